import type { SessionState } from '../contract/zookeeper-status.ts';
import type { ZkReply, ZkRequest } from './election/requests.ts';

/**
 * One ZooKeeper session as the election's driver needs it: the port that node-zookeeper-client
 * (zk-session.ts) and the simulator's ensemble both implement. Callbacks never run inside the
 * call that caused them.
 */
export interface ZkClient {
  /** The session ID in hex, once connected. */
  readonly sessionId: string | null;
  /** The timeout the servers granted (or the one asked for, before that). */
  readonly timeoutMs: number;
  connect(): void;
  /** Drops the connection so that the client connects again, with the same session. */
  kick(): void;
  /** Ends the session: the ensemble deletes its ephemeral znodes. */
  close(): void;
  /** Sends a request; `onReply` runs once. `onWatch` (a watching read) runs once, when the watched thing changes. */
  request(request: ZkRequest, onReply: (reply: ZkReply<unknown>) => void, onWatch?: () => void): void;
}

/** Opens a client for a new session; `onState` hears its state changes. */
export type ZkClientFactory = (onState: (state: SessionState) => void) => ZkClient;
