/**
 * The cluster file: one JSON file, written once by hand or by `conclave init`, that tells every
 * machine of a lab the cluster's name, its voters (node ID → host name or IPv4 address), and
 * optionally its timers and key file. Every field is checked; an unknown one is an error, so
 * that a typo is not silently ignored. docs/cluster-file.md describes it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, resolveConfig, type NodeId } from '../core/index.ts';
import { OptionError } from '../contract/errors.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';
import { checkClusterName } from '../runtime/options.ts';
import { JsonProblem, memberPath, parseStrictJson } from './strict-json.ts';
import { hostProblem, normalHost } from './voter-hosts.ts';
import { rangeOf } from './run-flags.ts';
import { optionOf } from './option-flags.ts';

/** The timers a cluster file may set: the timer flags' names in camelCase, their units and ranges. */
export const TIMER_NAMES = ['heartbeatMs', 'memberBeatMs', 'timeoutMs', 'leaseMs', 'dampingMs'] as const;
export type TimerName = (typeof TIMER_NAMES)[number];
/** Each timer's flag and range, as the option table gives them. */
export const TIMERS = Object.fromEntries(TIMER_NAMES.map((name) => [name, rangeOf(name)])) as Record<TimerName, ReturnType<typeof rangeOf>>;

const FIELDS = ['cluster', 'voters', 'keyFile', ...TIMER_NAMES] as const;
const MAX_NODE_ID = 0xffff_ffff;
const MAX_VOTERS = 255;

export interface ClusterFile {
  /** As it was given (for messages). */
  path: string;
  cluster: string;
  /** Node ID → host, by ascending ID. */
  voters: ReadonlyMap<NodeId, string>;
  /** The timers the file sets. */
  timers: Partial<Record<TimerName, number>>;
  /** The key file's path, resolved against the cluster file's directory. */
  keyFile: string | undefined;
  /**
   * What the file decides, in one canonical form (hosts normalised, every timer as it resolves,
   * whatever the file's spacing, order or defaults): hashed into the config ID, so that machines
   * with different files drop each other's datagrams as config-mismatch.
   */
  canonical: string;
}

/** A cluster file that cannot be used: the file, the JSON path of the field, and what was expected. */
export class ClusterFileError extends ConclaveError {
  override readonly name = 'ClusterFileError';
  readonly code = ConclaveErrorCode.ClusterFile;
}

export function readClusterFile(path: string): ClusterFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ClusterFileError(`${path}: cannot be read (${code === 'ENOENT' ? 'no such file' : (error as Error).message})`, { cause: error });
  }
  return parseClusterFile(text, path);
}

export function parseClusterFile(text: string, path: string): ClusterFile {
  try {
    return fields(parseStrictJson(text), path);
  } catch (error) {
    if (error instanceof JsonProblem) throw new ClusterFileError(`${path}: ${error.message}`);
    throw error;
  }
}

function fields(json: unknown, path: string): ClusterFile {
  if (!isObject(json)) throw new JsonProblem('$', `expected an object with "cluster" and "voters", got ${kind(json)}`);
  for (const key of Object.keys(json)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      const near = nearest(key, FIELDS);
      throw new JsonProblem(memberPath('$', key), `unknown field${near === null ? '' : ` (did you mean "${near}"?)`}; expected ${FIELDS.join(', ')}`);
    }
  }
  const cluster = clusterName(json.cluster);
  const voters = voterHosts(json.voters);
  const timers: Partial<Record<TimerName, number>> = {};
  for (const name of TIMER_NAMES) {
    const value = json[name];
    if (value === undefined) continue;
    const { min, max } = TIMERS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new JsonProblem(`$.${name}`, `expected an integer number of milliseconds from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    timers[name] = value;
  }
  if (json.keyFile !== undefined && (typeof json.keyFile !== 'string' || json.keyFile === '')) {
    throw new JsonProblem('$.keyFile', `expected a path (relative to the cluster file), got ${JSON.stringify(json.keyFile)}`);
  }
  const keyFile = json.keyFile === undefined ? undefined : resolve(dirname(path), json.keyFile as string);
  return { path, cluster, voters, timers, keyFile, canonical: canonical(cluster, voters, timers) };
}

function clusterName(value: unknown): string {
  if (value === undefined) throw new JsonProblem('$.cluster', 'missing: expected the cluster\'s name');
  if (typeof value !== 'string') throw new JsonProblem('$.cluster', `expected a string, got ${kind(value)}`);
  try {
    checkClusterName(value);
  } catch (error) {
    if (error instanceof OptionError) throw new JsonProblem('$.cluster', `expected a cluster name:${error.problem}`);
    throw error;
  }
  return value;
}

function voterHosts(value: unknown): Map<NodeId, string> {
  if (value === undefined) throw new JsonProblem('$.voters', 'missing: expected an object from node ID to host name or IPv4 address, e.g. {"1": "pc-01"}');
  if (!isObject(value)) throw new JsonProblem('$.voters', `expected an object from node ID to host name or IPv4 address, got ${kind(value)}`);
  const entries = Object.entries(value);
  if (entries.length === 0 || entries.length > MAX_VOTERS) throw new JsonProblem('$.voters', `expected 1 to ${MAX_VOTERS} voters, got ${entries.length}`);
  const voters = new Map<NodeId, string>();
  for (const [key, host] of entries) {
    const at = memberPath('$.voters', key);
    if (!/^[1-9]\d*$/.test(key) || Number(key) > MAX_NODE_ID) throw new JsonProblem(at, `expected a node ID (an integer from 1 to ${MAX_NODE_ID}, without leading zeros) as the key`);
    if (typeof host !== 'string') throw new JsonProblem(at, `expected a host name or IPv4 address, got ${kind(host)}`);
    const problem = hostProblem(host);
    if (problem !== null) throw new JsonProblem(at, `expected a host name or IPv4 address: ${problem}`);
    for (const [otherId, other] of voters) {
      if (sameHost(host, other)) throw new JsonProblem(at, `"${host}" is listed twice: also for node ${otherId} ("${other}"); each machine runs one voter`);
    }
    voters.set(Number(key), host);
  }
  return new Map([...voters].sort(([a], [b]) => a - b));
}

/** One machine under two entries: the same name or address, or a name with and without its domain. */
function sameHost(a: string, b: string): boolean {
  const [x, y] = [normalHost(a), normalHost(b)];
  if (x === y) return true;
  const [shortX, shortY] = [x.split('.')[0], y.split('.')[0]];
  return !/^[\d.]+$/.test(x) && (!x.includes('.') || !y.includes('.')) && shortX === shortY;
}

/**
 * The canonical form: the voters and their hosts, the cluster, and every timer as the core
 * resolves it (a timer left at its default and one written out with the default value agree).
 * A timer that breaks a rule of the core is an error of the file's field.
 */
function canonical(cluster: string, voters: ReadonlyMap<NodeId, string>, timers: Partial<Record<TimerName, number>>): string {
  let config;
  try {
    config = resolveConfig({ clusterSize: voters.size, voters: [...voters.keys()], ...timers });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The file's voters decide the cluster size; the option a derived timer follows is the field to fix.
    const field = error.field === 'clusterSize' ? 'voters' : (optionOf(error.field) ?? error.field);
    throw new JsonProblem(`$.${field}`, error.problem);
  }
  const resolvedTimers = Object.fromEntries(TIMER_NAMES.map((name) => [name, config[name]]));
  return JSON.stringify({ cluster, voters: [...voters].map(([id, host]) => [id, normalHost(host)]), timers: resolvedTimers });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known name a typo most likely meant: the same letters in another case or without '-'/'_', or at most two edits away. */
function nearest(key: string, known: readonly string[]): string | null {
  const letters = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  const same = known.find((name) => letters(name) === letters(key));
  if (same !== undefined) return same;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
