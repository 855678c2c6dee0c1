/**
 * `conclave watch` flags: the cluster is named as `conclave run` names it (the same flags, or the
 * cluster file), so that the observer computes the same config ID and key ring and authenticates
 * exactly the datagrams a node would accept. It needs no ID of its own: it is no voter.
 */
import { parseArgs } from 'node:util';
import { ConfigError, configId, resolveConfig, type ElectionConfig } from '../core/index.ts';
import { DEFAULT_CLUSTER, DEFAULT_GROUP, DEFAULT_PORT, checkClusterName } from '../runtime/options.ts';
import { MULTICAST_BINDS, type MulticastBind } from '../net/multicast-socket-plan.ts';
import { ClusterFileError } from '../session/cluster-file.ts';
import { withClusterFile, type ClusterFileUse } from '../session/cluster-file-flags.ts';
import { RUN_FLAGS, UsageError, integer, loadKeys, option } from '../session/run-command.ts';
import { OptionError } from '../contract/errors.ts';
import { namingTheFlag } from '../session/option-flags.ts';
import type { KeyRing } from '../wire/seal.ts';

export const WATCH_USAGE = `usage: conclave watch --cluster-size <n> [options]
       conclave watch --cluster-file <path> [options]
       conclave watch --replay <file> [--speed <n>] [--page-port <p>] [--page-host <h>]

Watches a cluster from any machine on its LAN without taking part: joins the multicast group,
authenticates every datagram with the cluster's key, and sends nothing. Serves a page with a card
per voter, the verdict (the sides the nodes' heartbeats form, and each side's coordinator) and a
timeline of changes with how long each took to settle. See docs/watch.md.

The cluster (as given to conclave run; the config ID must match or nothing is accepted)
  --cluster-file <path>   the cluster file (or CONCLAVE_CLUSTER_FILE); no voter needs to be this machine
  --cluster <name>        (default conclave)
  --cluster-size <n>      number of voters
  --voters <ids>          the voter IDs, comma-separated (default 1..cluster-size)
  --key-file <path>       the cluster's keys; or CONCLAVE_KEY
  --heartbeat-ms, --member-beat-ms, --timeout-ms, --lease-ms, --damping-ms
                          the timers, if the nodes were given any
Network
  --group <ip>            multicast group (default 239.255.77.7)
  --port <p>              multicast port (default 7707)
  --interface <name|ip>   interface (default: the first non-internal IPv4 one)
  --bind-multicast <how>  group or wildcard, as for conclave run
Output
  --page-port <p>         serve the page on http://<page-host>:<p>/ (default 0: any free port)
  --page-host <h>         (default 127.0.0.1; another address exposes it to that network)
  --json                  print one JSON line per change on stdout instead of serving a page
  --record <file>         also append one JSON line per change to <file>
  --window                show the page in a desktop window (Electron, where installed; else the
                          browser), as npm start -- --watch does
Replay
  --replay <file>         serve the page of a recording (--record) instead of listening: no socket
  --speed <n>             play it n times faster (default 1, at most 100)
  --help                  this text

Exit status: 0 after SIGINT or SIGTERM, 2 on a bad flag.`;

export interface WatchSettings {
  cluster: string;
  config: ElectionConfig;
  configId: number;
  keys: KeyRing | null;
  keyWarning: string | null;
  group: string;
  port: number;
  interface: string | undefined;
  multicastBind: MulticastBind | undefined;
  json: boolean;
  record: string | null;
  page: { host: string; port: number } | null;
  /** Show the page in a window (or a browser) once it is served. */
  window: boolean;
  clusterFile: ClusterFileUse | null;
}

/** The flags that name the cluster and where it is heard, exactly as `conclave run` takes them. */
const SHARED_FLAGS = [
  'cluster-file', 'cluster', 'cluster-size', 'voters', 'key-file', 'heartbeat-ms', 'member-beat-ms', 'timeout-ms', 'lease-ms', 'damping-ms',
  'group', 'port', 'interface', 'bind-multicast', 'json', 'help',
] as const;

const FLAGS = {
  ...pick(RUN_FLAGS, SHARED_FLAGS),
  'page-port': { type: 'string' },
  'page-host': { type: 'string' },
  record: { type: 'string' },
  window: { type: 'boolean' },
} as const;

function pick<T, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, object[key]])) as Pick<T, K>;
}

/** Throws UsageError naming the bad flag; null for --help. */
export function parseWatchFlags(args: string[], env: NodeJS.ProcessEnv): WatchSettings | null {
  let parsed;
  try {
    ({ values: parsed } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.help) return null;
  let values: Record<string, string | boolean | undefined>;
  let clusterFile: ClusterFileUse | null;
  try {
    // ID 0 is never a voter's: the file is read for the cluster, not to find this machine in it.
    ({ values, use: clusterFile } = withClusterFile({ ...parsed, id: '0' }, env, () => ({ hostname: '', addresses: [] })));
  } catch (error) {
    if (error instanceof ClusterFileError) throw new UsageError(error.message);
    throw error;
  }
  const text = (flag: string): string | undefined => values[flag] as string | undefined;
  const voters = text('voters')?.split(',').map((part) => option('voters', part.trim())!);
  const clusterSize = option('clusterSize', text('cluster-size')) ?? voters?.length;
  if (clusterSize === undefined) throw new UsageError('--cluster-size is required (or --voters, or --cluster-file): the voters to list, and part of the config ID');
  if (voters !== undefined && voters.length !== clusterSize) throw new UsageError(`--voters lists ${voters.length} IDs but --cluster-size is ${clusterSize}`);
  const cluster = text('cluster') ?? DEFAULT_CLUSTER;
  let config: ElectionConfig;
  try {
    checkClusterName(cluster);
    config = resolveConfig({
      clusterSize,
      ...(voters === undefined ? {} : { voters }),
      heartbeatMs: option('heartbeatMs', text('heartbeat-ms')),
      memberBeatMs: option('memberBeatMs', text('member-beat-ms')),
      timeoutMs: option('timeoutMs', text('timeout-ms')),
      leaseMs: option('leaseMs', text('lease-ms')),
      dampingMs: option('dampingMs', text('damping-ms')),
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof OptionError) throw new UsageError(namingTheFlag(error), { cause: error });
    throw error;
  }
  const bind = text('bind-multicast');
  if (bind !== undefined && !(MULTICAST_BINDS as readonly string[]).includes(bind)) throw new UsageError(`--bind-multicast must be ${MULTICAST_BINDS.join(' or ')}, got "${bind}"`);
  const json = values.json === true;
  if (json && (text('page-port') !== undefined || text('page-host') !== undefined)) throw new UsageError('--json prints the changes instead of serving a page: drop --page-port/--page-host');
  if (json && values.window === true) throw new UsageError('--json prints the changes instead of serving a page: drop --window');
  const { keys, warning } = loadKeys(text('key-file'), env.CONCLAVE_KEY);
  return {
    cluster,
    config,
    configId: configId(config, clusterFile?.file.canonical ?? ''),
    keys,
    keyWarning: warning,
    group: text('group') ?? DEFAULT_GROUP,
    port: option('port', text('port')) ?? DEFAULT_PORT,
    interface: text('interface'),
    multicastBind: bind as MulticastBind | undefined,
    json,
    record: text('record') ?? null,
    page: json ? null : { host: text('page-host') ?? '127.0.0.1', port: integer('--page-port', text('page-port'), 0, 65535) ?? 0 },
    window: values.window === true,
    clusterFile,
  };
}
