/**
 * `conclave run --cluster-file lab.json` (or CONCLAVE_CLUSTER_FILE): the file stands in for the
 * flags it decides (--cluster, --cluster-size, --voters, the timers, --key-file when it names one),
 * and this machine's ID is found in it (./voter-hosts.ts) unless --id gives it. A flag beside the
 * file that it decides is refused, naming both: which of the two was meant cannot be guessed.
 */
import { configId, resolveConfig, type NodeId } from '../core/index.ts';
import { KeyError, readKeyFile } from '../net/keys.ts';
import { ClusterFileError, TIMERS, TIMER_NAMES, readClusterFile, type ClusterFile } from './cluster-file.ts';
import { describeMachine, matchVoters, type Machine } from './voter-hosts.ts';

export const CLUSTER_FILE_VARIABLE = 'CONCLAVE_CLUSTER_FILE';

/** What the node was started from, for the line it prints at start. */
export interface ClusterFileUse {
  file: ClusterFile;
  id: NodeId;
  /** Why this ID: the host name or address that matched, or --id. */
  how: string;
  /** The config ID the file gives; a peer with another file reports a different one when it drops ours. */
  configId: number;
}

type FlagValues = Record<string, string | boolean | undefined>;

/** The flags a cluster file decides, with what it decides for each. */
const DECIDED = {
  cluster: 'the cluster name',
  'cluster-size': 'the voters',
  voters: 'the voters',
  backend: 'the voters, on the LAN',
  ...Object.fromEntries(TIMER_NAMES.map((name) => [TIMERS[name].flag.slice(2), 'the timers'])),
} as Record<string, string>;

/**
 * The flag values with the cluster file's in place (the file named by --cluster-file, else by
 * CONCLAVE_CLUSTER_FILE), and what was used; the values unchanged and null without a file.
 * Throws ClusterFileError naming the file, and the field or the flag.
 */
export function withClusterFile<V extends FlagValues>(values: V, env: NodeJS.ProcessEnv, machine: () => Machine): { values: V; use: ClusterFileUse | null } {
  const flag = values['cluster-file'];
  const path = typeof flag === 'string' ? flag : env[CLUSTER_FILE_VARIABLE] || undefined;
  if (path === undefined) return { values, use: null };
  const named = typeof flag === 'string' ? `--cluster-file ${path}` : `${CLUSTER_FILE_VARIABLE}=${path}`;
  for (const [decided, what] of Object.entries(DECIDED)) {
    if (values[decided] !== undefined) throw new ClusterFileError(`--${decided} conflicts with ${named}: the file decides ${what}; give one or the other`);
  }
  const file = readClusterFile(path);
  if (file.keyFile !== undefined && values['key-file'] !== undefined) {
    throw new ClusterFileError(`--key-file conflicts with ${named}, whose keyFile is ${file.keyFile}; give one or the other`);
  }
  if (file.keyFile !== undefined) checkKeyFile(file);
  const { id, how } = typeof values.id === 'string' ? { id: Number(values.id), how: 'given by --id' } : ownId(file, machine());
  const timers = Object.fromEntries(Object.entries(file.timers).map(([name, ms]) => [TIMERS[name as keyof typeof TIMERS].flag.slice(2), String(ms)]));
  const decided = {
    cluster: file.cluster,
    'cluster-size': String(file.voters.size),
    voters: [...file.voters.keys()].join(','),
    id: String(id),
    ...timers,
    ...(file.keyFile === undefined ? {} : { 'key-file': file.keyFile }),
  };
  const config = resolveConfig({ clusterSize: file.voters.size, voters: [...file.voters.keys()], ...file.timers });
  return { values: { ...values, ...decided }, use: { file, id, how, configId: configId(config, file.canonical) } };
}

/** The one voter this machine is; otherwise what was compared and with what. */
function ownId(file: ClusterFile, machine: Machine): { id: NodeId; how: string } {
  const matches = matchVoters(file.voters, machine);
  if (matches.length === 1) return { id: matches[0]!.id, how: `${matches[0]!.by} matches "${matches[0]!.host}"` };
  const compared = `compared ${describeMachine(machine)}`;
  if (matches.length === 0) {
    const listed = [...file.voters].map(([id, host]) => `${id}: ${host}`).join(', ');
    throw new ClusterFileError(`${file.path}: no voter is this machine (${compared}; the voters are ${listed}); add it, or give --id`);
  }
  const found = matches.map((m) => `${m.id} ("${m.host}", by ${m.by})`).join(', ');
  throw new ClusterFileError(`${file.path}: several voters are this machine: ${found} (${compared}); list each machine once, or give --id`);
}

function checkKeyFile(file: ClusterFile): void {
  try {
    readKeyFile(file.keyFile!);
  } catch (error) {
    if (error instanceof KeyError) throw new ClusterFileError(`${file.path}: $.keyFile: ${error.message}`);
    throw error;
  }
}

/** The line a node started from a cluster file prints first. */
export function clusterFileLine(use: ClusterFileUse): string {
  const { file } = use;
  return `cluster file ${file.path}: this machine is n${use.id} (${use.how}) of ${file.voters.size} voter${file.voters.size === 1 ? '' : 's'} in cluster "${file.cluster}", config ${use.configId.toString(16)}`;
}
