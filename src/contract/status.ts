/**
 * The snapshot every node gives of itself, whichever way it elects: the core's view, and the part
 * of the LAN (`network`) or of ZooKeeper (`zookeeper`) it has.
 */
import type { NodeStatus, PeerStatus } from '../core/index.ts';
import type { DropReason } from '../wire/wire.ts';
import type { ZooKeeperStatus } from './zookeeper-status.ts';

/** How a peer was last heard: over the multicast group, or on our unicast socket. */
export type Route = 'group' | 'direct';

/** One peer in the runtime's snapshot: the core's view plus where it was heard from. */
export interface RuntimePeerStatus extends PeerStatus {
  /** The peer's IPv4 address: where it was heard from, or where another node said it is. */
  address: string | null;
  /** How it was heard within the timeout: over the multicast group or directly (seeds, gossip). */
  route: Route | null;
}

/** The snapshot the CLI, the API and the dashboard show. */
export interface RuntimeStatus extends NodeStatus {
  peers: RuntimePeerStatus[];
  cluster: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  leaderSince: number | null;
  /** The multicast/unicast network; null when the node elects through ZooKeeper. */
  network: {
    interface: string;
    address: string;
    group: string;
    port: number;
    unicastPort: number;
    /** False: this node uses no multicast, only its seeds and what they tell. */
    multicast: boolean;
    /** As given ("host:port"). */
    seeds: string[];
    authenticated: boolean;
    paused: boolean;
  } | null;
  /** The ZooKeeper backend's session and znodes; null on the multicast network. */
  zookeeper: ZooKeeperStatus | null;
  dataDir: string;
  drops: Record<DropReason, number>;
  traffic: {
    datagramsSent: number;
    bytesSent: number;
    datagramsReceived: number;
    bytesReceived: number;
    sendErrors: number;
    /** Errors the sockets reported by themselves (failed receives, ICMP errors), by error code. */
    socketErrors: Record<string, number>;
  };
}
