/**
 * The snapshot every node gives of itself, whichever way it elects: what both backends have, and
 * the part only the LAN (`network`, peers, votes, traffic) or ZooKeeper (`zookeeper`) has, told
 * apart by `backend`.
 */
import type { NodeId, NodeStatus, PeerStatus } from '../core/index.ts';
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

/** What both backends really have: the election as this node sees it. */
export interface CommonStatus extends Omit<NodeStatus, 'votedFor' | 'peers'> {
  backend: Backend;
  cluster: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
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
export interface LanStatus extends CommonStatus {
  backend: typeof Backend.Lan;
  votedFor: NodeId | null;
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
  /** Always null: how a reader told the backends apart before `backend`, kept for it. */
  network: null;
  zookeeper: ZooKeeperStatus;
}

/** The snapshot the CLI, the API and the dashboard show. */
export type RuntimeStatus = LanStatus | ZooKeeperNodeStatus;
