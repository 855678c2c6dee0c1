import { DEFAULT_LAN_TIMINGS, resolveConfig, type ElectionConfig, type NodeId } from '../core/index.ts';
import { parseSeeds, type Seed } from '../net/seeds.ts';
import { EncodeError, MAX_BEAT_INTERVAL_MS, encodeMessage } from '../wire/codec.ts';
import type { KeyRing } from '../wire/seal.ts';
import { OptionError } from '../contract/errors.ts';
import type { MulticastBind } from '../net/multicast-socket-plan.ts';
import { defaultDataDir } from './data-dir.ts';

/** What a node is started with, from the CLI or the library API. */
export interface NodeOptions {
  id: NodeId;
  clusterSize: number;
  /** Voter IDs; default 1..clusterSize. */
  voters?: readonly NodeId[];
  /** Cluster name: datagrams of other clusters are dropped. */
  cluster?: string;
  group?: string;
  port?: number;
  /** Interface name or IPv4 address; default: the first non-internal IPv4 interface. */
  interface?: string;
  ttl?: number;
  /**
   * Peers to reach by unicast where multicast does not (routed networks): "host[:port]" entries
   * (port default: `port`). Each node needs one reachable seed; the others are learned by gossip.
   */
  seeds?: string | readonly string[];
  /** False: no multicast at all (then seeds are needed). Default true. */
  multicast?: boolean;
  /** How the multicast socket binds: to the group, or to 0.0.0.0 (Windows); default by platform. */
  multicastBind?: MulticastBind;
  /**
   * Port of the unicast socket, where seeds reach this node. Default `port`: required with seeds;
   * without, taken if free (so that the node can be another's seed) and otherwise any free port.
   */
  unicastPort?: number;
  /** Shared cluster keys; null or absent: unauthenticated (a warning is logged). */
  keys?: KeyRing | null;
  /** Where term, vote and voter set are kept; default: per cluster and ID in the platform's place
   * for application state (./data-dir.ts). */
  dataDir?: string;
  /** Accept a state file written for another voter set (after a deliberate, full-stop change). */
  acceptNewVoters?: boolean;
  heartbeatMs?: number;
  /** A follower's heartbeat while it follows a live coordinator (the slow rate); default 1000. */
  memberBeatMs?: number;
  timeoutMs?: number;
  leaseMs?: number;
  dampingMs?: number;
  preempt?: boolean;
  maxClockDriftPpm?: number;
  /**
   * Elect through ZooKeeper instead of the LAN: `zookeeper://host:port[,host:port…][/path][?mode=bully|fair]`.
   * Then `timeoutMs` is the session timeout asked for, and the network, key and state options do not apply.
   */
  backend?: string;
  /** Serve Prometheus metrics on this port (0: an ephemeral one); absent: no endpoint. */
  metricsPort?: number;
  metricsHost?: string;
  /**
   * Text every node of the cluster must share, hashed into the config ID: a cluster file's
   * canonical form (src/session/cluster-file.ts), so that nodes started from different files
   * drop each other's datagrams as config-mismatch.
   */
  agreedDescription?: string;
}

/**
 * A LAN node's defaults, whole (memberlist's DefaultLANConfig): spread it and override what differs.
 * The reasons are in the option table (src/session/option-table.ts). Left out, because they follow
 * from other options: `voters` (1..clusterSize), `unicastPort` (`port`), `leaseMs` (90% of
 * `timeoutMs`), `memberBeatMs` (1000, or `heartbeatMs` if longer), `dataDir` (per cluster and ID),
 * `interface` and `multicastBind` (by machine and platform).
 */
export const DEFAULT_LAN_OPTIONS = Object.freeze({
  cluster: 'conclave',
  /** Administratively scoped (RFC 2365), so routers at a site boundary drop it. */
  group: '239.255.77.7',
  port: 7707,
  ttl: 1,
  multicast: true,
  keys: null,
  acceptNewVoters: false,
  heartbeatMs: DEFAULT_LAN_TIMINGS.heartbeatMs,
  timeoutMs: DEFAULT_LAN_TIMINGS.timeoutMs,
  dampingMs: DEFAULT_LAN_TIMINGS.dampingMs,
  preempt: DEFAULT_LAN_TIMINGS.preempt,
  maxClockDriftPpm: DEFAULT_LAN_TIMINGS.maxClockDriftPpm,
  metricsHost: '127.0.0.1',
  agreedDescription: '',
} as const satisfies Partial<NodeOptions>);

export const DEFAULT_CLUSTER = DEFAULT_LAN_OPTIONS.cluster;
export const DEFAULT_GROUP = DEFAULT_LAN_OPTIONS.group;
export const DEFAULT_PORT = DEFAULT_LAN_OPTIONS.port;

export interface ResolvedOptions {
  id: NodeId;
  config: ElectionConfig;
  cluster: string;
  group: string;
  port: number;
  interface: string | undefined;
  ttl: number;
  seeds: Seed[];
  multicast: boolean;
  multicastBind: MulticastBind | undefined;
  unicastPort: number;
  /** A unicast port in use is an error (it was asked for, or seeds need it), not a fallback. */
  unicastPortRequired: boolean;
  keys: KeyRing | null;
  dataDir: string;
  acceptNewVoters: boolean;
  metricsPort: number | undefined;
  metricsHost: string;
  /** Empty when not given. */
  agreedDescription: string;
}

/** Applies defaults and validates; throws ConfigError or OptionError naming the problem. */
export function resolveOptions(options: NodeOptions): ResolvedOptions {
  const cluster = options.cluster ?? DEFAULT_CLUSTER;
  checkClusterName(cluster);
  const config = resolveConfig({
    clusterSize: options.clusterSize,
    ...(options.voters === undefined ? {} : { voters: options.voters }),
    heartbeatMs: options.heartbeatMs,
    memberBeatMs: options.memberBeatMs,
    timeoutMs: options.timeoutMs,
    leaseMs: options.leaseMs,
    dampingMs: options.dampingMs,
    preempt: options.preempt,
    maxClockDriftPpm: options.maxClockDriftPpm,
  });
  if (!config.voters.includes(options.id)) {
    const voters = config.voters.length <= 12 ? config.voters.join(',') : `${config.voters.slice(0, 10).join(',')},… ${config.voters.length} in all`;
    throw new OptionError('id', 'node ID', ` ${options.id} is not one of the voters [${voters}]`);
  }
  checkFitsOneDatagram(config, cluster);
  const group = options.group ?? DEFAULT_GROUP;
  const firstOctet = Number(group.split('.')[0]);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(group) || firstOctet < 224 || firstOctet > 239) {
    throw new OptionError('group', 'group', ` ${group} is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255)`);
  }
  const port = options.port ?? DEFAULT_PORT;
  const seedList = typeof options.seeds === 'string' ? options.seeds : (options.seeds ?? []).join(',');
  const seeds = seedList.trim() === '' ? [] : parseSeeds(seedList, port);
  const multicast = options.multicast ?? DEFAULT_LAN_OPTIONS.multicast;
  if (!multicast && seeds.length === 0) throw new OptionError('multicast', 'without multicast', ' a node finds no peer: give seeds (--seeds host:port)');
  const unicastPort = options.unicastPort ?? port;
  if (!Number.isInteger(unicastPort) || unicastPort < 0 || unicastPort > 65535) throw new OptionError('unicastPort', 'unicast port', ` ${unicastPort}: use 0 to 65535`);
  return {
    id: options.id,
    config,
    cluster,
    group,
    port,
    interface: options.interface,
    ttl: options.ttl ?? DEFAULT_LAN_OPTIONS.ttl,
    seeds,
    multicast,
    multicastBind: options.multicastBind,
    unicastPort,
    unicastPortRequired: options.unicastPort !== undefined || seeds.length > 0,
    keys: options.keys ?? DEFAULT_LAN_OPTIONS.keys,
    dataDir: options.dataDir ?? defaultDataDir(cluster, options.id),
    acceptNewVoters: options.acceptNewVoters ?? DEFAULT_LAN_OPTIONS.acceptNewVoters,
    metricsPort: options.metricsPort,
    metricsHost: options.metricsHost ?? DEFAULT_LAN_OPTIONS.metricsHost,
    agreedDescription: options.agreedDescription ?? DEFAULT_LAN_OPTIONS.agreedDescription,
  };
}

export function checkClusterName(cluster: string): void {
  if (!/^[\w.-]{1,64}$/.test(cluster)) throw new OptionError('cluster', 'cluster name', ` "${cluster}": use 1 to 64 letters, digits, '.', '-' or '_'`);
}

/**
 * A heartbeat names every voter a node hears; with many long IDs it must still fit a datagram.
 * (Gossip is left out of a heartbeat it would not fit in: see Wire.encode.)
 */
function checkFitsOneDatagram(config: ElectionConfig, cluster: string): void {
  const largest = Math.max(...config.voters);
  const worst = Number.MAX_SAFE_INTEGER;
  try {
    encodeMessage(
      { type: 'heartbeat', from: largest, bootId: worst, term: worst, to: 0, role: 'leader', leader: largest, round: worst, hears: config.voters.slice(1), canLead: true, intervalMs: MAX_BEAT_INTERVAL_MS },
      { cluster, seq: worst, configId: 0xffff_ffff, unicastPort: 65535 },
    );
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error;
    throw new OptionError(
      'voters',
      'voters',
      `: ${config.voters.length} voters with IDs up to ${largest} do not fit one datagram's heartbeat (${error.message}); use fewer voters or smaller IDs`,
      { cause: error },
    );
  }
}
