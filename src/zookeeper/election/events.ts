import type { NodeId, Role } from '../../election/vocabulary.ts';
import type { SessionState } from '../../contract/zookeeper-status.ts';

/** Why a ZooKeeper leader stopped leading. */
export type ZkDemoteReason =
  | 'requested'
  | 'preempted'
  | 'paused'
  | 'stopping'
  | 'claim-lost'
  | 'zookeeper-disconnected'
  | 'session-expired'
  | 'zookeeper-unreachable';

/** What the ZooKeeper election tells: the lines of its story, in the order they happened. */
export type ZkCoreEvent =
  | { type: 'session'; state: SessionState; sessionId: string | null; sessionTimeoutMs: number }
  | { type: 'registered'; znode: string }
  | { type: 'elected'; cause: 'cold-start' | 'failover'; token: number; znode: string }
  /** `leaseEndedAtMs`: local time the lease really ended (earlier than now after a stall). */
  | { type: 'demoted'; reason: ZkDemoteReason; token: number; leaseEndedAtMs: number }
  | { type: 'leader'; leader: NodeId | null; previous: NodeId | null }
  | { type: 'warning'; message: string }
  | { type: 'paused' }
  | { type: 'resumed' };

/** The node as it stood when it told an event: what the event's line says about it. */
export interface ZkNodeState {
  role: Role;
  /** The fencing token space: its own claim's while it leads, else the last claim seen. */
  term: number;
  leader: NodeId | null;
  connected: boolean;
}

/** An event and the state the node was in right after it happened. */
export interface ZkTold {
  event: ZkCoreEvent;
  state: ZkNodeState;
}
