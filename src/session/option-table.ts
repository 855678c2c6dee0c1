/**
 * Every option of `conclave run` and `startNode`, declared once (memberlist's `DefaultLANConfig`,
 * with the flag beside each value): its flag, the value it takes and the range the command line
 * checks, its default and why, the backend it applies to, and one line that says what it does.
 * From this table come the command line's parser (./run-command.ts), its `--help` (./run-usage.ts),
 * the flag an error names (./option-flags.ts), the timers a cluster file may set, and the flag
 * table of docs/cli.md (test/cli/option-table.test.ts keeps the doc equal to it).
 *
 * The library's own checks (runtime/options.ts, core/config.ts) run on every start, from the
 * command line or not; the ranges here are what the command line checks first, so that a bad
 * value is named before anything is opened. The default values themselves are declared in
 * DEFAULT_LAN_OPTIONS and DEFAULT_ZOOKEEPER_OPTIONS; this table gives their reasons.
 */
import { DEFAULT_LAN_TIMINGS, DEFAULT_LAN_TIMING_REASONS, MAX_BEAT_INTERVAL_MS } from '../core/index.ts';
import { MULTICAST_BINDS } from '../net/multicast-socket-plan.ts';
import { DEFAULT_LAN_OPTIONS, type NodeOptions } from '../runtime/options.ts';

/** Which election an option steers. */
export const OptionBackend = { Lan: 'LAN', ZooKeeper: 'ZooKeeper', Both: 'both' } as const;
export type OptionBackend = (typeof OptionBackend)[keyof typeof OptionBackend];

/** What a flag takes: a switch takes nothing; every other value is checked before the node starts. */
export type OptionValue =
  | { kind: 'switch' }
  | { kind: 'text' }
  | { kind: 'integer'; min: number; max: number }
  /** Comma-separated node IDs, each once. */
  | { kind: 'ids'; min: number; max: number }
  | { kind: 'choice'; choices: readonly string[] }
  /** An option of the library only, of this TypeScript type. */
  | { kind: 'object'; type: string };

/** The headings of `conclave run --help`, in order. */
export const OptionSection = {
  Identity: 'Identity and membership',
  ZooKeeper: 'Elect through ZooKeeper instead (no multicast; see docs/beyond-one-lan.md)',
  Network: 'Network',
  State: 'State',
  Timing: 'Timing',
  Output: 'Output and integration',
  Dashboard: 'Dashboard',
  /** Printed last, under no heading. */
  Help: '',
} as const;
export type OptionSection = (typeof OptionSection)[keyof typeof OptionSection];

export interface OptionSpec {
  /** `conclave run`'s flag; null: the library only. */
  flag: `--${string}` | null;
  /** The one-letter form, if any. */
  short?: string;
  /** What the value is called in the help (`<n>`); absent for a switch and the library only. */
  placeholder?: string;
  value: OptionValue;
  /** The backend whose election it steers (not `backend`, which already names the ZooKeeper URL). */
  appliesTo: OptionBackend;
  /**
   * A LAN option given with --backend is refused rather than silently ignored; `--cluster-size`
   * alone is ignored there, as it always was (the ZooKeeper election counts no voters).
   */
  ignoredByZooKeeper?: true;
  /**
   * Another option whose flag alone decides this one when its own is not given: an error of
   * this option names both flags (the voters are 1..cluster-size without --voters).
   */
  namedWith?: keyof NodeOptions;
  /** A flag without which this one means nothing: given alone, it is refused. */
  needs?: `--${string}`;
  section: OptionSection;
  /** What it does, in the help's words (wrapped there; one line in docs/cli.md). */
  summary: string;
  /** The default as the help and the docs show it; absent: none (off, or required). */
  default?: string;
  /** Why the default is what it is. */
  why?: string;
  /** Where docs/ says more, as a link from docs/cli.md. */
  see?: string;
}

const NODE_ID = { kind: 'integer', min: 1, max: 0xffff_ffff } as const;
const TEXT = { kind: 'text' } as const;
const SWITCH = { kind: 'switch' } as const;
const MS = (min: number, max: number) => ({ kind: 'integer', min, max }) as const;
const PORT = (min: 0 | 1) => ({ kind: 'integer', min, max: 65535 }) as const;
const { Lan, ZooKeeper, Both } = OptionBackend;
const HOUR_MS = 3_600_000;

/** The options a node is started with (the keys of NodeOptions), in the order of the help. */
export const NODE_OPTION_TABLE = {
  id: { flag: '--id', placeholder: '<n>', value: NODE_ID, appliesTo: Both, section: OptionSection.Identity, summary: "this node's ID (required), one of the voters" },
  clusterSize: {
    flag: '--cluster-size', placeholder: '<n>', value: { kind: 'integer', min: 1, max: 255 }, appliesTo: Lan, ignoredByZooKeeper: true, section: OptionSection.Identity,
    summary: 'number of voters; the quorum is a majority (required unless --voters)',
  },
  voters: {
    flag: '--voters', placeholder: '<ids>', value: { kind: 'ids', min: 1, max: 0xffff_ffff }, appliesTo: Lan, namedWith: 'clusterSize', section: OptionSection.Identity,
    summary: 'the voter IDs, comma-separated', default: '1..cluster-size',
  },
  cluster: {
    flag: '--cluster', placeholder: '<name>', value: TEXT, appliesTo: Both, section: OptionSection.Identity,
    summary: 'cluster name; other clusters on the LAN are ignored', default: DEFAULT_LAN_OPTIONS.cluster,
  },
  backend: {
    flag: '--backend', placeholder: '<url>', value: TEXT, appliesTo: ZooKeeper, section: OptionSection.ZooKeeper,
    summary: 'zookeeper://host:port[,host:port…][/path][?mode=bully|fair] (path default /conclave/<cluster>; mode default bully: the highest ID leads; fair: the first registered leads). --timeout-ms is then the session timeout; --cluster-size is not needed, and the network, key and state flags do not apply',
    see: 'beyond-one-lan.md',
  },
  group: {
    flag: '--group', placeholder: '<ip>', value: TEXT, appliesTo: Lan, section: OptionSection.Network,
    summary: 'multicast group', default: DEFAULT_LAN_OPTIONS.group, why: 'administratively scoped, RFC 2365: routers at a site boundary drop it',
  },
  port: {
    flag: '--port', placeholder: '<p>', value: PORT(1), appliesTo: Lan, section: OptionSection.Network,
    summary: 'multicast port', default: String(DEFAULT_LAN_OPTIONS.port),
  },
  interface: {
    flag: '--interface', placeholder: '<name|ip>', value: TEXT, appliesTo: Lan, section: OptionSection.Network,
    summary: 'interface; the choice and its reason are printed at start', default: 'the first non-internal IPv4 one that is not a virtual adapter',
    see: 'platforms.md#the-interface',
  },
  ttl: {
    flag: null, value: { kind: 'integer', min: 1, max: 255 }, appliesTo: Lan, section: OptionSection.Network,
    summary: 'multicast TTL', default: String(DEFAULT_LAN_OPTIONS.ttl), why: 'one LAN: a datagram crosses no router',
  },
  seeds: {
    flag: '--seeds', placeholder: '<host[:port],…>', value: TEXT, appliesTo: Lan, section: OptionSection.Network,
    summary: "peers to reach by unicast where multicast does not (other subnets); one reachable seed is enough, the rest is learned from it (gossip). Give each seed's --interface address; the port defaults to --port",
    see: 'beyond-one-lan.md',
  },
  unicastPort: {
    flag: '--unicast-port', placeholder: '<p>', value: PORT(0), appliesTo: Lan, section: OptionSection.Network,
    summary: 'port for direct datagrams, where seeds reach this node; without --seeds, any free port if that one is taken', default: '--port',
  },
  multicast: { flag: '--no-multicast', value: SWITCH, appliesTo: Lan, section: OptionSection.Network, summary: 'use no multicast at all, only --seeds' },
  multicastBind: {
    flag: '--bind-multicast', placeholder: '<how>', value: { kind: 'choice', choices: MULTICAST_BINDS }, appliesTo: Lan, section: OptionSection.Network,
    summary: 'group: bind the multicast socket to the group (hears no other group on the port); wildcard: bind 0.0.0.0 and join on the interface',
    default: 'wildcard on Windows, which refuses the group; else group', see: 'platforms.md#the-multicast-socket',
  },
  keys: {
    flag: null, value: { kind: 'object', type: 'KeyRing | null' }, appliesTo: Lan, section: OptionSection.Network,
    summary: 'shared cluster keys (parseKeys, readKeyFile); the command line reads them from --key-file or CONCLAVE_KEY', default: 'none: unauthenticated, with a warning',
    see: 'security.md',
  },
  dataDir: {
    flag: '--data-dir', placeholder: '<dir>', value: TEXT, appliesTo: Lan, section: OptionSection.State,
    summary: 'term, vote and voter set', default: '<cluster>-<id> in $XDG_STATE_HOME/conclave or ~/.local/state/conclave on Linux, ~/Library/Application Support/Conclave on macOS, %LOCALAPPDATA%\\Conclave on Windows',
    why: "each platform's place for application state", see: 'platforms.md#files-keys-and-hooks',
  },
  acceptNewVoters: {
    flag: '--accept-new-voters', value: SWITCH, appliesTo: Lan, section: OptionSection.State,
    summary: 'start although the state file was written for another voter set (after stopping the whole cluster to change it)',
  },
  heartbeatMs: {
    flag: '--heartbeat-ms', placeholder: '<ms>', value: MS(1, 600_000), appliesTo: Lan, section: OptionSection.Timing,
    summary: "the leader's lease rounds; any node's beat while it follows no leader", default: String(DEFAULT_LAN_TIMINGS.heartbeatMs),
    why: DEFAULT_LAN_TIMING_REASONS.heartbeatMs, see: 'protocol.md#timers',
  },
  memberBeatMs: {
    flag: '--member-beat-ms', placeholder: '<ms>', value: MS(1, MAX_BEAT_INTERVAL_MS), appliesTo: Lan, section: OptionSection.Timing,
    summary: "a follower's beat while it follows a live leader", default: String(DEFAULT_LAN_TIMINGS.memberBeatMs),
    why: DEFAULT_LAN_TIMING_REASONS.memberBeatMs, see: 'protocol.md#timers',
  },
  timeoutMs: {
    flag: '--timeout-ms', placeholder: '<ms>', value: MS(1, HOUR_MS), appliesTo: Both, section: OptionSection.Timing,
    summary: 'failure detection and election timeout; with --backend, the session timeout', default: String(DEFAULT_LAN_TIMINGS.timeoutMs),
    why: DEFAULT_LAN_TIMING_REASONS.timeoutMs, see: 'protocol.md#timers',
  },
  leaseMs: {
    flag: '--lease-ms', placeholder: '<ms>', value: MS(1, HOUR_MS), appliesTo: Lan, section: OptionSection.Timing,
    summary: 'leader lease', default: '90% of the timeout', why: DEFAULT_LAN_TIMING_REASONS.leaseMs, see: 'protocol.md#timers',
  },
  dampingMs: {
    flag: '--damping-ms', placeholder: '<ms>', value: MS(0, HOUR_MS), appliesTo: Both, section: OptionSection.Timing,
    summary: 'a returning higher ID waits this long before taking over', default: String(DEFAULT_LAN_TIMINGS.dampingMs),
    why: DEFAULT_LAN_TIMING_REASONS.dampingMs, see: 'protocol.md#timers',
  },
  preempt: { flag: '--no-preempt', value: SWITCH, appliesTo: Both, section: OptionSection.Timing, summary: 'keep the current leader when a higher ID appears', why: DEFAULT_LAN_TIMING_REASONS.preempt },
  maxClockDriftPpm: {
    flag: null, value: { kind: 'integer', min: 0, max: 99_999 }, appliesTo: Lan, section: OptionSection.Timing,
    summary: "bound on how far any two clocks' rates may differ, in parts per million", default: String(DEFAULT_LAN_TIMINGS.maxClockDriftPpm),
    why: DEFAULT_LAN_TIMING_REASONS.maxClockDriftPpm, see: 'protocol.md#timers',
  },
  metricsPort: {
    flag: '--metrics-port', placeholder: '<p>', value: PORT(0), appliesTo: Both, section: OptionSection.Output,
    summary: 'serve Prometheus metrics on http://<metrics-host>:<p>/metrics', default: 'off',
  },
  metricsHost: {
    flag: '--metrics-host', placeholder: '<h>', value: TEXT, appliesTo: Both, needs: '--metrics-port', section: OptionSection.Output,
    summary: 'where the metrics are served', default: DEFAULT_LAN_OPTIONS.metricsHost, why: 'loopback: nothing is exposed unless asked for',
  },
  agreedDescription: {
    flag: null, value: TEXT, appliesTo: Lan, section: OptionSection.Identity,
    summary: "text every node must share, hashed into the config ID (the command line gives a cluster file's canonical form)", default: 'none',
  },
} as const satisfies { [K in keyof Required<NodeOptions>]: OptionSpec };

/** The defaults of the command line's own settings. */
export const DEFAULT_RUN_SETTINGS = Object.freeze({ hookTimeoutMs: 10_000, dashboardHost: '127.0.0.1' } as const);

/** Settings of the command line only: the library has its own way to do each (events, an HTTP server of its own). */
export const RUN_ONLY_TABLE = {
  clusterFile: {
    flag: '--cluster-file', placeholder: '<path>', value: TEXT, appliesTo: Lan, section: OptionSection.Identity,
    summary: "the cluster's name, voters (ID → host) and timers from one file (made by conclave init); this node's ID is the voter whose host is this machine's name or address",
    default: '$CONCLAVE_CLUSTER_FILE', see: 'cluster-file.md',
  },
  keyFile: {
    flag: '--key-file', placeholder: '<path>', value: TEXT, appliesTo: Lan, section: OptionSection.Network,
    summary: 'shared cluster keys, "<id>:<secret>" per line, first one signs. Without a key, anyone on the LAN can disrupt', default: '$CONCLAVE_KEY',
    see: 'security.md',
  },
  json: { flag: '--json', value: SWITCH, appliesTo: Both, section: OptionSection.Output, summary: 'one JSON object per line on stdout', see: 'events.md' },
  onElected: {
    flag: '--on-elected', placeholder: '<cmd>', value: TEXT, appliesTo: Both, section: OptionSection.Output,
    summary: 'shell command (/bin/sh -c; cmd.exe on Windows) run when this node becomes coordinator',
  },
  onDemoted: {
    flag: '--on-demoted', placeholder: '<cmd>', value: TEXT, appliesTo: Both, section: OptionSection.Output,
    summary: 'shell command run as soon as it stops being coordinator (both get CONCLAVE_ID, CONCLAVE_LEADER, CONCLAVE_TERM)',
  },
  hookTimeoutMs: {
    flag: '--hook-timeout-ms', placeholder: '<ms>', value: MS(1, HOUR_MS), appliesTo: Both, section: OptionSection.Output,
    summary: 'kill a hook that runs longer, with what it started (its process group; taskkill /T on Windows), and report it', default: String(DEFAULT_RUN_SETTINGS.hookTimeoutMs),
  },
  dashboardPort: {
    flag: '--dashboard-port', placeholder: '<p>', value: PORT(0), appliesTo: Both, section: OptionSection.Dashboard,
    summary: 'serve the live dashboard on http://<dashboard-host>:<p>/ (0: any port)', default: 'off', see: 'dashboard.md#the-dashboard',
  },
  dashboardHost: {
    flag: '--dashboard-host', placeholder: '<h>', value: TEXT, appliesTo: Both, needs: '--dashboard-port', section: OptionSection.Dashboard,
    summary: 'where the dashboard is served; another address exposes it to that network', default: DEFAULT_RUN_SETTINGS.dashboardHost, why: 'loopback: nothing is exposed unless asked for',
  },
  dashboardControls: {
    flag: '--dashboard-controls', value: SWITCH, appliesTo: Both, needs: '--dashboard-port', section: OptionSection.Dashboard,
    summary: 'let the page resign, pause and resume this node; every request must carry the token printed at start',
  },
  dashboardSocket: {
    flag: '--dashboard-socket', placeholder: '<f>', value: TEXT, appliesTo: Both, needs: '--dashboard-port', section: OptionSection.Dashboard,
    summary: 'listen on this Unix socket instead, behind a local proxy that answers on <dashboard-host>:<dashboard-port> (the demo lab does this)',
  },
  help: { flag: '--help', short: 'h', value: SWITCH, appliesTo: Both, section: OptionSection.Help, summary: 'this text' },
} as const satisfies Record<string, OptionSpec>;

export type NodeOptionName = keyof typeof NODE_OPTION_TABLE;
export type RunOnlyName = keyof typeof RUN_ONLY_TABLE;
/** Any entry of the table (not contract/errors.ts's OptionName: the options a node's checks can reject). */
export type TableOptionName = NodeOptionName | RunOnlyName;

/** Both tables as one: what `conclave run` accepts is every entry with a flag. */
export const OPTION_TABLE: { readonly [K in TableOptionName]: OptionSpec } = { ...NODE_OPTION_TABLE, ...RUN_ONLY_TABLE };

/** The entries in the help's order: by section, and within one in the order declared. */
export function optionsInOrder(): Array<[TableOptionName, OptionSpec]> {
  const sections = Object.values(OptionSection) as string[];
  return (Object.entries(OPTION_TABLE) as Array<[TableOptionName, OptionSpec]>)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => sections.indexOf(a.entry[1].section) - sections.indexOf(b.entry[1].section) || a.index - b.index)
    .map(({ entry }) => entry);
}
