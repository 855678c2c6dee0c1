/**
 * What the ZooKeeper election asks of a session, and what comes back: plain data, so that the
 * same election runs over node-zookeeper-client and over the simulator's ensemble.
 */

/** The parts of a znode's Stat the election uses. */
export interface ZnodeStat {
  /** The zxid of the transaction that created it: unique, and it only grows. */
  czxid: number;
  /** The session that owns it, if ephemeral (hex); null otherwise. */
  owner: string | null;
}

export type ZkRequest =
  /** Creates the path and its parents if missing (persistent znodes). */
  | { op: 'ensure-path'; path: string }
  /** Creates an ephemeral znode (sequential: ZooKeeper appends a 10-digit sequence). */
  | { op: 'create'; path: string; data: Uint8Array; sequential: boolean }
  /** A write: it goes through the ensemble's leader, which refuses it once the session has expired. */
  | { op: 'set-data'; path: string; data: Uint8Array }
  | { op: 'remove'; path: string }
  | { op: 'children'; path: string; watch: boolean }
  | { op: 'exists'; path: string; watch: boolean }
  | { op: 'get-data'; path: string };

export type ZkOp = ZkRequest['op'];

/** What each request yields when it succeeds. */
export interface ZkResultOf {
  'ensure-path': null;
  /** The created znode's full path. */
  create: string;
  'set-data': null;
  remove: null;
  children: string[];
  /** null: no such znode. */
  exists: ZnodeStat | null;
  /** null: no such znode. */
  'get-data': { data: Uint8Array; stat: ZnodeStat } | null;
}

export const ZkFailure = {
  NoNode: 'no-node',
  NodeExists: 'node-exists',
  /** No answer within the request's deadline. */
  Timeout: 'timeout',
  /** The connection was lost with the request out. */
  Connection: 'connection',
  SessionExpired: 'session-expired',
  Other: 'other',
} as const;
export type ZkFailure = (typeof ZkFailure)[keyof typeof ZkFailure];

export type ZkReply<T = ZkResultOf[ZkOp]> = { ok: true; value: T } | { ok: false; failure: ZkFailure; message: string };

/** A request that failed where the election cannot go on without it: the round ends and is retried. */
export class ZkRequestFailed extends Error {
  override readonly name = 'ZkRequestFailed';
  readonly failure: ZkFailure;
  constructor(op: ZkOp, failure: ZkFailure, message: string) {
    super(`${op}: ${message}`);
    this.failure = failure;
  }
}
