/**
 * How `npm run demo` hands the window its run's action token: the environment, not the command
 * line (the same name as LAB_TOKEN_VARIABLE in src/lab/user-namespace.ts).
 */
export const LAB_TOKEN_VARIABLE = 'CONCLAVE_LAB_TOKEN';

/** The token from the environment, if it has the shape the lab makes (32 hex digits), else null. */
export function labToken(env: NodeJS.ProcessEnv): string | null {
  const token = env[LAB_TOKEN_VARIABLE];
  return token !== undefined && /^[0-9a-f]{32}$/.test(token) ? token : null;
}

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
