/**
 * The hosts `conclave init` is given: names or IPv4 addresses, comma-separated or as separate
 * arguments, and ranges that count up a number in them: `pc-01..pc-12` (or `pc-01..12`), keeping
 * the zero padding, and `10.0.0.11..10.0.0.15` (or `10.0.0.11..15`).
 */
import { hostProblem, normalHost } from '../session/voter-hosts.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

export class HostListError extends ConclaveError {
  override readonly name = 'HostListError';
  readonly code = ConclaveErrorCode.HostList;
}

/** A lab is at most the cluster's 255 voters. */
const MAX_HOSTS = 255;

export function expandHosts(args: readonly string[]): string[] {
  const hosts = args.flatMap((arg) => arg.split(',')).map((item) => item.trim()).filter((item) => item !== '').flatMap(expandItem);
  if (hosts.length === 0) throw new HostListError('no hosts given: list the machines, e.g. pc-01..pc-12 or 10.0.0.11,10.0.0.12');
  if (hosts.length > MAX_HOSTS) throw new HostListError(`${hosts.length} hosts: a cluster has at most ${MAX_HOSTS} voters`);
  const seen = new Map<string, number>();
  for (const [index, host] of hosts.entries()) {
    const problem = hostProblem(host);
    if (problem !== null) throw new HostListError(problem);
    const earlier = seen.get(normalHost(host));
    if (earlier !== undefined) throw new HostListError(`"${host}" is listed twice (as host ${earlier + 1} and ${index + 1})`);
    seen.set(normalHost(host), index);
  }
  return hosts;
}

const NUMBERED = /^(.*?)(\d+)(\D*)$/;

function expandItem(item: string): string[] {
  if (!item.includes('..')) return [item];
  const notRange = new HostListError(`"${item}" is not a range: write the first and last host with the number that counts up, e.g. pc-01..pc-12 or 10.0.0.11..10.0.0.15`);
  const [left, right, extra] = item.split('..');
  const first = extra === undefined ? NUMBERED.exec(left!) : null;
  if (first === null) throw notRange;
  const [, prefix, fromDigits, suffix] = first as unknown as [string, string, string, string];
  // The last host written out, or only its number.
  const last = /^\d+$/.test(right!) ? [right!, prefix, right!, suffix] : NUMBERED.exec(right!);
  if (last === null || last[1]!.toLowerCase() !== prefix.toLowerCase() || last[3]!.toLowerCase() !== suffix.toLowerCase()) throw notRange;
  const toDigits = last[2]!;
  const [from, to] = [Number(fromDigits), Number(toDigits)];
  if (to < from) throw new HostListError(`"${item}" counts down: give the lower number first`);
  if (to - from + 1 > MAX_HOSTS) throw new HostListError(`"${item}" is ${to - from + 1} hosts: a cluster has at most ${MAX_HOSTS} voters`);
  // pc-01..pc-12 keeps two digits; pc-1..pc-12 does not pad.
  const width = fromDigits.startsWith('0') || fromDigits.length === toDigits.length ? fromDigits.length : 0;
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(width, '0')}${suffix}`);
}
