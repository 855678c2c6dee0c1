/** The lab page's origin from `--url`: plain HTTP on a loopback address only, or null. */
export function labOrigin(args: readonly string[]): string | null {
  const index = args.indexOf('--url');
  const given = index >= 0 ? args[index + 1] : args.find((a) => a.startsWith('--url='))?.slice('--url='.length);
  if (given === undefined) return null;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return url.protocol === 'http:' && loopback && url.port !== '' && url.username === '' && url.password === '' ? url.origin : null;
}
