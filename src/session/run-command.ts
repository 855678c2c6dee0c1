import { parseArgs } from 'node:util';
import { MAX_BEAT_INTERVAL_MS, type ConfigError, type NodeId } from '../core/index.ts';
import { parseKeys, readKeyFile } from '../net/keys.ts';
import type { MetricsListenError } from '../metrics/listen-error.ts';
import type { NodeOptions } from '../runtime/options.ts';
import type { DataDirError } from '../runtime/state-file.ts';
import type { KeyRing } from '../wire/seal.ts';
import type { OptionError, OptionName } from '../contract/errors.ts';
import { ConclaveError, ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { MULTICAST_BINDS, type MulticastBind } from '../net/multicast-socket-plan.ts';
import { withClusterFile, type ClusterFileUse } from './cluster-file-flags.ts';
import { thisMachine, type Machine } from './voter-hosts.ts';

export const RUN_USAGE = `usage: conclave run --id <n> --cluster-size <n> [options]
       conclave run --cluster-file <path> [options]

Runs one node: finds its peers by UDP multicast (and, with --seeds, by unicast across routers)
and takes part in the election.

Identity and membership
  --id <n>                this node's ID (required), one of the voters
  --cluster-size <n>      number of voters; the quorum is a majority (required unless --voters)
  --voters <ids>          the voter IDs, comma-separated (default 1..cluster-size)
  --cluster <name>        cluster name; other clusters on the LAN are ignored (default conclave)
  --cluster-file <path>   the cluster's name, voters (ID → host) and timers from one file (made by
                          conclave init); this node's ID is the voter whose host is this machine's
                          name or address. Or set CONCLAVE_CLUSTER_FILE. See docs/cluster-file.md
Elect through ZooKeeper instead (no multicast; see docs/beyond-one-lan.md)
  --backend <url>         zookeeper://host:port[,host:port…][/path][?mode=bully|fair]
                          (path default /conclave/<cluster>; mode default bully: the highest ID
                          leads; fair: the first registered leads). --timeout-ms is then the
                          session timeout; --cluster-size is not needed, and the network, key
                          and state flags do not apply
Network
  --group <ip>            multicast group (default 239.255.77.7)
  --port <p>              multicast port (default 7707)
  --interface <name|ip>   interface (default: the first non-internal IPv4 one, printed at start)
  --seeds <host[:port],…> peers to reach by unicast where multicast does not (other subnets);
                          one reachable seed is enough, the rest is learned from it (gossip).
                          Give each seed's --interface address; the port defaults to --port
  --unicast-port <p>      port for direct datagrams, where seeds reach this node (default
                          --port; without --seeds any free port if that one is taken)
  --no-multicast          use no multicast at all, only --seeds
  --bind-multicast <how>  group: bind the multicast socket to the group (default on Linux and
                          macOS: hears no other group on the port); wildcard: bind 0.0.0.0 and
                          join on the interface (default on Windows, which refuses the group)
  --key-file <path>       shared cluster keys, "<id>:<secret>" per line, first one signs;
                          or set CONCLAVE_KEY. Without a key, anyone on the LAN can disrupt.
State
  --data-dir <dir>        term, vote and voter set (default: <cluster>-<id> in $XDG_STATE_HOME/conclave
                          or ~/.local/state/conclave on Linux, ~/Library/Application
                          Support/Conclave on macOS, %LOCALAPPDATA%\\Conclave on Windows)
  --accept-new-voters     start although the state file was written for another voter set
Timing
  --heartbeat-ms <ms>     the leader's lease rounds; any node's beat while it follows no leader (default 100)
  --member-beat-ms <ms>   a follower's beat while it follows a live leader (default 1000)
  --timeout-ms <ms>       failure detection and election timeout (default 1000)
  --lease-ms <ms>         leader lease (default 90% of the timeout)
  --damping-ms <ms>       a returning higher ID waits this long before taking over (default 3000)
  --no-preempt            keep the current leader when a higher ID appears
Output and integration
  --json                  one JSON object per line on stdout
  --on-elected <cmd>      shell command run when this node becomes coordinator
  --on-demoted <cmd>      shell command run as soon as it stops being coordinator
                          (both get CONCLAVE_ID, CONCLAVE_LEADER, CONCLAVE_TERM)
  --hook-timeout-ms <ms>  kill a hook that runs longer (default 10000)
  --metrics-port <p>      serve Prometheus metrics on http://<metrics-host>:<p>/metrics
  --metrics-host <h>      (default 127.0.0.1)
Dashboard
  --dashboard-port <p>    serve the live dashboard on http://<dashboard-host>:<p>/ (0: any port)
  --dashboard-host <h>    (default 127.0.0.1; another address exposes it to that network)
  --dashboard-controls    let the page resign, pause and resume this node; every request
                          must carry the token printed at start
  --dashboard-socket <f>  listen on this Unix socket instead, behind a local proxy that
                          answers on <dashboard-host>:<dashboard-port> (the demo lab does this)
  --help                  this text

Exit status: 0 after SIGINT or SIGTERM (a coordinator resigns first), 1 on a runtime error,
2 on a bad or conflicting flag.`;

export class UsageError extends ConclaveError {
  override readonly name = 'UsageError';
  readonly code = ConclaveErrorCode.Usage;
}

export interface RunSettings {
  node: NodeOptions;
  json: boolean;
  onElected: string | undefined;
  onDemoted: string | undefined;
  hookTimeoutMs: number;
  keyWarning: string | null;
  dashboard: DashboardSettings | null;
  /** The cluster file the node was started from, if any. */
  clusterFile: ClusterFileUse | null;
}

export interface DashboardSettings {
  port: number;
  host: string;
  controls: boolean;
  /** Listen on this Unix socket instead of `host`:`port` (requests are still checked against them). */
  socketPath?: string;
}

export const RUN_FLAGS = {
  id: { type: 'string' },
  'cluster-size': { type: 'string' },
  voters: { type: 'string' },
  cluster: { type: 'string' },
  'cluster-file': { type: 'string' },
  backend: { type: 'string' },
  group: { type: 'string' },
  port: { type: 'string' },
  interface: { type: 'string' },
  seeds: { type: 'string' },
  'unicast-port': { type: 'string' },
  'no-multicast': { type: 'boolean' },
  'bind-multicast': { type: 'string' },
  'key-file': { type: 'string' },
  'data-dir': { type: 'string' },
  'accept-new-voters': { type: 'boolean' },
  'heartbeat-ms': { type: 'string' },
  'member-beat-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'lease-ms': { type: 'string' },
  'damping-ms': { type: 'string' },
  'no-preempt': { type: 'boolean' },
  json: { type: 'boolean' },
  'on-elected': { type: 'string' },
  'on-demoted': { type: 'string' },
  'hook-timeout-ms': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'dashboard-port': { type: 'string' },
  'dashboard-host': { type: 'string' },
  'dashboard-controls': { type: 'boolean' },
  'dashboard-socket': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags of the LAN election that a ZooKeeper-backed node refuses rather than ignore. */
const LAN_ONLY_FLAGS = [
  'voters', 'group', 'port', 'interface', 'seeds', 'unicast-port', 'no-multicast', 'bind-multicast', 'key-file', 'data-dir',
  'accept-new-voters', 'heartbeat-ms', 'member-beat-ms', 'lease-ms',
] as const;

/** Which flag sets each configuration field, to name it in errors. */
const FLAG_OF: Record<string, string> = {
  clusterSize: '--cluster-size',
  voters: '--voters',
  heartbeatMs: '--heartbeat-ms',
  memberBeatMs: '--member-beat-ms',
  timeoutMs: '--timeout-ms',
  leaseMs: '--lease-ms',
  dampingMs: '--damping-ms',
  answerTimeoutMs: '--timeout-ms',
};

/** The flag that sets each node option, as a bad value of it is reported. */
const FLAG_OF_OPTION: Record<OptionName, string> = {
  id: '--id',
  group: '--group',
  multicast: '--no-multicast: without multicast',
  unicastPort: '--unicast-port',
  cluster: '--cluster',
  seeds: '--seeds',
  voters: '--voters/--cluster-size',
  backend: '--backend',
  timeoutMs: '--timeout-ms',
};

/**
 * Parses `conclave run` flags; throws UsageError naming the bad flag. Returns null for --help.
 * `machine`: what a cluster file's hosts are matched against (tests give their own).
 */
export function parseRunFlags(args: string[], env: NodeJS.ProcessEnv, machine: () => Machine = thisMachine): RunSettings | null {
  let values;
  try {
    ({ values } = parseArgs({ args, options: RUN_FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  let clusterFile: ClusterFileUse | null;
  try {
    if (values.id !== undefined) integer('--id', values.id, 1, 0xffff_ffff);
    ({ values, use: clusterFile } = withClusterFile(values, env, machine));
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.ClusterFile)) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const voters = values.voters === undefined ? undefined : idList(values.voters);
  if (values.id === undefined) throw new UsageError('--id is required: this node\'s ID, one of the voters (or --cluster-file, where it is found by host name)');
  if (values.backend !== undefined) {
    const unused = LAN_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
    if (unused !== undefined) throw new UsageError(`--${unused} has no effect with --backend (the node elects through ZooKeeper, not the LAN)`);
  }
  const clusterSize = integer('--cluster-size', values['cluster-size'], 1, 255) ?? voters?.length ?? (values.backend === undefined ? undefined : 1);
  if (clusterSize === undefined) {
    throw new UsageError('--cluster-size is required: the number of voters (the quorum is a majority of it)');
  }
  if (voters !== undefined && voters.length !== clusterSize) {
    throw new UsageError(`--voters lists ${voters.length} IDs but --cluster-size is ${clusterSize}`);
  }
  if (values['metrics-host'] !== undefined && values['metrics-port'] === undefined) {
    throw new UsageError('--metrics-host needs --metrics-port');
  }
  for (const flag of ['dashboard-host', 'dashboard-controls', 'dashboard-socket'] as const) {
    if (values[flag] !== undefined && values['dashboard-port'] === undefined) throw new UsageError(`--${flag} needs --dashboard-port`);
  }
  const { keys, warning } = loadKeys(values['key-file'], env.CONCLAVE_KEY);
  const node: NodeOptions = {
    id: integer('--id', values.id, 1, 0xffff_ffff)!,
    clusterSize,
    ...(voters === undefined ? {} : { voters }),
    ...(values.cluster === undefined ? {} : { cluster: values.cluster }),
    ...(values.backend === undefined ? {} : { backend: values.backend }),
    ...(values.group === undefined ? {} : { group: values.group }),
    ...(values.port === undefined ? {} : { port: integer('--port', values.port, 1, 65535)! }),
    ...(values.interface === undefined ? {} : { interface: values.interface }),
    ...(values.seeds === undefined ? {} : { seeds: values.seeds }),
    ...(values['unicast-port'] === undefined ? {} : { unicastPort: integer('--unicast-port', values['unicast-port'], 0, 65535)! }),
    ...(values['no-multicast'] ? { multicast: false } : {}),
    ...(values['bind-multicast'] === undefined ? {} : { multicastBind: multicastBind(values['bind-multicast'], values['no-multicast'] ?? false) }),
    keys,
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    acceptNewVoters: values['accept-new-voters'] ?? false,
    heartbeatMs: integer('--heartbeat-ms', values['heartbeat-ms'], 1, 600_000),
    memberBeatMs: integer('--member-beat-ms', values['member-beat-ms'], 1, MAX_BEAT_INTERVAL_MS),
    timeoutMs: integer('--timeout-ms', values['timeout-ms'], 1, 3_600_000),
    leaseMs: integer('--lease-ms', values['lease-ms'], 1, 3_600_000),
    dampingMs: integer('--damping-ms', values['damping-ms'], 0, 3_600_000),
    preempt: !(values['no-preempt'] ?? false),
    ...(values['metrics-port'] === undefined ? {} : { metricsPort: integer('--metrics-port', values['metrics-port'], 0, 65535)! }),
    ...(values['metrics-host'] === undefined ? {} : { metricsHost: values['metrics-host'] }),
    ...(clusterFile === null ? {} : { agreedDescription: clusterFile.file.canonical }),
  };
  return {
    node,
    json: values.json ?? false,
    onElected: values['on-elected'],
    onDemoted: values['on-demoted'],
    hookTimeoutMs: integer('--hook-timeout-ms', values['hook-timeout-ms'], 1, 3_600_000) ?? 10_000,
    keyWarning: warning,
    dashboard:
      values['dashboard-port'] === undefined
        ? null
        : {
            port: integer('--dashboard-port', values['dashboard-port'], 0, 65535)!,
            host: values['dashboard-host'] ?? '127.0.0.1',
            controls: values['dashboard-controls'] ?? false,
            ...(values['dashboard-socket'] === undefined ? {} : { socketPath: values['dashboard-socket'] }),
          },
    clusterFile,
  };
}

/**
 * Turns a start-up error into a usage error naming the flag, by its code: an option that failed
 * validation, a metrics endpoint that cannot listen where the flags say, a data directory given
 * that cannot be used; the original is the cause. `given`: the node options the flags made (a
 * default data directory is no flag's fault).
 */
export function asUsageError(error: unknown, given?: NodeOptions): UsageError | null {
  if (!isConclaveError(error)) return null;
  // The code names the class (docs/errors.md): the switch below narrows to it.
  const flagged = error as UsageError | MetricsListenError | DataDirError | ConfigError | OptionError;
  switch (flagged.code) {
    case ConclaveErrorCode.Usage:
      return flagged;
    case ConclaveErrorCode.MetricsListen:
      return new UsageError(metricsListenProblem(flagged), { cause: flagged });
    case ConclaveErrorCode.DataDir:
      return given?.dataDir === undefined ? null : new UsageError(`--data-dir ${flagged.message}`, { cause: flagged });
    case ConclaveErrorCode.Config:
      return new UsageError(`${FLAG_OF[flagged.field] ?? flagged.field}: ${flagged.problem}`, { cause: flagged });
    case ConclaveErrorCode.Option:
      return new UsageError(`${FLAG_OF_OPTION[flagged.option]}${flagged.problem}`, { cause: flagged });
    default:
      return null;
  }
}

function metricsListenProblem({ systemCode, host, port, message }: MetricsListenError): string {
  switch (systemCode) {
    case 'EADDRINUSE':
      return `--metrics-port ${port}: the port is in use on ${host}`;
    case 'EACCES':
      return `--metrics-port ${port}: not allowed to listen there`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `--metrics-host ${host}: not an address of this machine`;
    default:
      return `--metrics-port/--metrics-host: ${message}`;
  }
}

export function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function multicastBind(value: string, noMulticast: boolean): MulticastBind {
  if (noMulticast) throw new UsageError('--bind-multicast has no effect with --no-multicast');
  if (!(MULTICAST_BINDS as readonly string[]).includes(value)) throw new UsageError(`--bind-multicast must be ${MULTICAST_BINDS.join(' or ')}, got "${value}"`);
  return value as MulticastBind;
}

function idList(value: string): NodeId[] {
  const ids = value.split(',').map((part) => integer('--voters', part.trim(), 1, 0xffff_ffff)!);
  if (new Set(ids).size !== ids.length) throw new UsageError(`--voters lists an ID twice: ${value}`);
  return ids;
}

export function loadKeys(keyFile: string | undefined, envKey: string | undefined): { keys: KeyRing | null; warning: string | null } {
  try {
    if (keyFile !== undefined) {
      const { ring, warning } = readKeyFile(keyFile);
      return { keys: ring, warning };
    }
    if (envKey !== undefined && envKey !== '') return { keys: parseKeys(envKey, 'CONCLAVE_KEY'), warning: null };
    return { keys: null, warning: null };
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Key)) throw new UsageError(`${keyFile === undefined ? '' : '--key-file '}${error.message}`, { cause: error });
    throw error;
  }
}
