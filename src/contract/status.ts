/**
 * The snapshot every node gives of itself, whichever way it elects: what both backends have, and
 * the part only the LAN (`network`, peers, votes, traffic) or ZooKeeper (`zookeeper`) has, told
 * apart by `backend`.
 */
import type { NodeStatus, PeerStatus } from '../core/index.ts';
import type { NodeId, Role } from '../election/vocabulary.ts';
import type { DropReason } from '../wire/wire.ts';
import type { ZooKeeperStatus } from './zookeeper-status.ts';
import type { AloneDiagnosis } from './alone.ts';

/** How a peer was last heard: over the multicast group, or on our unicast socket. */
export type Route = 'group' | 'direct';

/** One peer in the runtime's snapshot: the core's view plus where it was heard from. */
export interface RuntimePeerStatus extends PeerStatus {
  /** The peer's IPv4 address: where it was heard from, or where another node said it is. */
  address: string | null;
  /** How it was heard within the timeout: over the multicast group or directly (seeds, gossip). */
  route: Route | null;
}

/** Which way a node elects: the discriminant of RuntimeStatus. */
export const Backend = { Lan: 'lan', ZooKeeper: 'zookeeper' } as const;
export type Backend = (typeof Backend)[keyof typeof Backend];

/**
 * What both backends really have: the election as this node sees it, in terms both mean the same
 * by. What only one backend has is in LanStatus or ZooKeeperNodeStatus; narrow on `backend` first.
 */
export interface CommonStatus {
  backend: Backend;
  id: NodeId;
  role: Role;
  /** The election's counter: the LAN term, or the ZooKeeper claim's token; the fencing token while leading. */
  term: number;
  /** A coordinator known to hold a valid lease (this node included), or null. */
  leader: NodeId | null;
  /** How long `leader` has been known, or null. */
  leaderForMs: number | null;
  /** This node's own lease, when it is the coordinator. */
  leaseRemainingMs: number | null;
  /** This node could take the lead now, were it its turn (LAN: a voter not held back; ZooKeeper: connected, not paused, not held off). */
  canLead: boolean;
  alarms: {
    /** Another node runs with this node's ID. */
    duplicateId: boolean;
  };
  /** The last election this node saw won: its term (or token) and winner. */
  lastElection: { term: number; leader: NodeId } | null;
  timings: {
    /** How long a node may go unheard before it is deemed gone: a LAN peer's silence, or the ZooKeeper session timeout. */
    timeoutMs: number;
    /** How long a coordinator's lease lasts from its last confirmation. */
    leaseMs: number;
    /** How long a node waits, after the leader is gone, before it runs for election. */
    dampingMs: number;
    /** A better candidate takes over from a healthy coordinator. */
    preempt: boolean;
  };
  cluster: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** When `leader` became known, in milliseconds since the epoch, or null. */
  leaderSince: number | null;
}

/** Where a LAN node listens and whom it asks: in its status and in its `started` line. */
export interface LanEndpoint {
  interface: string;
  address: string;
  group: string;
  port: number;
  unicastPort: number;
  /** False: this node uses no multicast, only its seeds and what they tell. */
  multicast: boolean;
  /** As given ("host:port"). */
  seeds: string[];
}

/** A node on the multicast/unicast network. */
export interface LanStatus extends CommonStatus, Omit<NodeStatus, 'peers' | keyof CommonStatus> {
  backend: typeof Backend.Lan;
  /** Also whether this node holds back, having seen its ID used by another boot. */
  alarms: NodeStatus['alarms'];
  /** Also why the election was held and who voted for the winner. */
  lastElection: NodeStatus['lastElection'];
  /** Also how often the coordinator and the members beat. */
  timings: NodeStatus['timings'];
  peers: RuntimePeerStatus[];
  network: LanEndpoint & { authenticated: boolean; paused: boolean };
  /** Always null: how a reader told the backends apart before `backend`, kept for it. */
  zookeeper: null;
  dataDir: string;
  drops: Record<DropReason, number>;
  /** Why this node hears nobody, or drops some sender's datagrams, while that holds; empty when neither. */
  alone: AloneDiagnosis[];
  traffic: {
    datagramsSent: number;
    bytesSent: number;
    datagramsReceived: number;
    bytesReceived: number;
    sendErrors: number;
    /** Failed sends by error code: ENOBUFS means the host's queue toward the network was full. */
    sendErrorsByCode: Record<string, number>;
    /**
     * The kernel's UDP errors since start (Linux: /proc/net/snmp; null elsewhere), all sockets
     * of this host or namespace together: datagrams it could not queue for sending, and
     * datagrams dropped because a receive buffer was full.
     */
    kernel: { sndbufErrors: number; rcvbufErrors: number } | null;
    /** Datagrams waiting in this process for the socket to take them (libuv retries refused ones). */
    sendQueue: number;
    /** Sends are failing for lack of room: probes and one-way repairs are held back for now. */
    congested: boolean;
    /** Errors the sockets reported by themselves (failed receives, ICMP errors), by error code. */
    socketErrors: Record<string, number>;
  };
}

/** A node that elects through ZooKeeper: its session and the election's znodes, no peers of its own. */
export interface ZooKeeperNodeStatus extends CommonStatus {
  backend: typeof Backend.ZooKeeper;
  /** `timeoutMs` is the session timeout the servers granted (until connected, the one asked for). */
  timings: CommonStatus['timings'] & {
    /** How often the coordinator writes to its claim to keep its lease. */
    refreshMs: number;
  };
  /** Always null: how a reader told the backends apart before `backend`, kept for it. */
  network: null;
  zookeeper: ZooKeeperStatus;
}

/** The snapshot the CLI, the API and the dashboard show. */
export type RuntimeStatus = LanStatus | ZooKeeperNodeStatus;
