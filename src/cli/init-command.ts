/**
 * `conclave init pc-01..pc-12`: writes a cluster file and a fresh key beside it, so that a lab is
 * set up by copying two files to every machine and running one command there, the same on each.
 * IDs go 1..N in the order the hosts are given. What it writes is read back by the same checks
 * as `conclave run` reads it with; no existing file is replaced without --force.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { TIMERS, TIMER_NAMES, parseClusterFile, type TimerName } from '../session/cluster-file.ts';
import { CLUSTER_FILE_VARIABLE } from '../session/cluster-file-flags.ts';
import { ConclaveError, ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { expandHosts } from './host-list.ts';

export const INIT_USAGE = `usage: conclave init <hosts…> [options]

Writes a cluster file and a fresh key beside it for a lab of machines, each of which then runs
  conclave run --cluster-file <file>
and finds its own ID by its host name or address.

Hosts are names or IPv4 addresses, comma-separated or as separate arguments, and ranges:
pc-01..pc-12 (or pc-01..12), 10.0.0.11..10.0.0.15. They get IDs 1..N in the order given; the
highest live ID leads.

  --out <path>          the cluster file (default conclave.json); the key is written beside it,
                        as <name>.key (mode 600), and named in it
  --cluster <name>      the cluster's name (default: the file's name without .json, with '-'
                        for what a name cannot hold, such as a space)
${TIMER_NAMES.map((name) => `  ${`${TIMERS[name].flag} <ms>`.padEnd(22)}written into the file (default: conclave run's)`).join('\n')}
  --force               replace the files if they exist
  --help                this text

Exit status: 0 when both files are written, 2 on a bad argument or a file that exists.`;

export class InitError extends ConclaveError {
  override readonly name = 'InitError';
  readonly code = ConclaveErrorCode.Init;
}

const FLAGS = {
  out: { type: 'string' },
  cluster: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(TIMER_NAMES.map((name) => [TIMERS[name].flag.slice(2), { type: 'string' }])),
} as const;

/** Writes the files; returns what to print (null: the usage was asked for). Throws InitError. */
export function runInit(args: string[]): string | null {
  let parsed;
  try {
    parsed = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new InitError((error as Error).message);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  if (values.help === true) return null;
  let hosts: string[];
  try {
    hosts = expandHosts(positionals);
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.HostList)) throw new InitError(error.message, { cause: error });
    throw error;
  }
  const out = (values.out as string | undefined) ?? 'conclave.json';
  const name = basename(out, extname(out));
  const cluster = (values.cluster as string | undefined) ?? clusterNameOf(name);
  const keyFile = join(dirname(out), `${name}.key`);
  const timers: Partial<Record<TimerName, number>> = {};
  for (const timer of TIMER_NAMES) {
    const value = values[TIMERS[timer].flag.slice(2)] as string | undefined;
    if (value === undefined) continue;
    const { flag, min, max } = TIMERS[timer];
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InitError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
    timers[timer] = Number(value);
  }
  const text = `${JSON.stringify({ cluster, voters: Object.fromEntries(hosts.map((host, i) => [String(i + 1), host])), ...timers, keyFile: basename(keyFile) }, null, 2)}\n`;
  try {
    parseClusterFile(text, out); // what `conclave run` will read must pass its checks
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.ClusterFile)) throw new InitError(`would write a cluster file that conclave run refuses: ${error.message}`, { cause: error });
    throw error;
  }
  const force = values.force === true;
  for (const path of [out, keyFile]) if (!force && existsSync(path)) throw new InitError(`${path} exists; give --force to replace it`);
  // 'wx' as well: a file made since the check is not replaced either.
  writeFileSync(keyFile, `# conclave cluster "${cluster}": the same key on every machine; keep it secret\n1:${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: force ? 'w' : 'wx' });
  chmodSync(keyFile, 0o600); // a replaced file keeps its old mode
  writeFileSync(out, text, { flag: force ? 'w' : 'wx' });
  const listed = hosts.length <= 6 ? hosts.map((h, i) => `${i + 1} ${h}`).join(', ') : `1 ${hosts[0]}, 2 ${hosts[1]}, … ${hosts.length} ${hosts.at(-1)}`;
  return [
    `wrote ${out}: cluster "${cluster}", ${hosts.length} voters (${listed}); the highest live ID leads`,
    `wrote ${keyFile}: a fresh key (mode 600); keep it secret`,
    'Copy both files to every machine, into one folder, and run there:',
    `  conclave run --cluster-file ${quoted(basename(out))}`,
    `Each machine finds its ID by its host name or address (or set ${CLUSTER_FILE_VARIABLE}=${quoted(basename(out))}).`,
  ].join('\n');
}

/**
 * The cluster name a file's name gives: what a cluster name cannot hold (a space, as in
 * "Lab 2.json" on Windows) becomes '-', so that naming the file is enough.
 */
function clusterNameOf(fileName: string): string {
  return fileName.replace(/[^\w.-]+/g, '-').slice(0, 64) || 'conclave';
}

/** A path as one word in sh, PowerShell and cmd alike: in double quotes if it has a space. */
function quoted(path: string): string {
  return /\s/.test(path) ? `"${path}"` : path;
}
