/** What a ZooKeeper-backed node shows: its session and the election's znodes. No runtime dependencies: the page imports it too. */
import type { NodeId } from '../election/vocabulary.ts';

/** Who leads: the highest ID (bully) or the first registered (fair). */
export const ElectionMode = { Fair: 'fair', Bully: 'bully' } as const;
export type ElectionMode = (typeof ElectionMode)[keyof typeof ElectionMode];

export const SessionState = {
  Connecting: 'connecting',
  Connected: 'connected',
  /** The connection is lost; the session may still live on the servers. */
  Suspended: 'suspended',
  Expired: 'expired',
  Closed: 'closed',
} as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

/** One candidate znode as the dashboard shows it. */
export interface ZnodeView {
  name: string;
  id: NodeId;
  seq: number;
  /** The znode this candidate watches, '(children)' for the list of children, null for none. */
  watches: string | null;
  self: boolean;
  /** This candidate's node holds the claim. */
  leads: boolean;
}

export interface ZooKeeperStatus {
  backend: string;
  servers: string[];
  path: string;
  mode: ElectionMode;
  session: {
    state: SessionState;
    id: string | null;
    /** Granted by the servers once connected; until then, the one asked for. */
    timeoutMs: number;
    requestedTimeoutMs: number;
    /** Since the last request that came back was sent. */
    lastContactAgoMs: number | null;
  };
  /** This node's candidate znode. */
  self: string | null;
  /** Candidates in the order the mode ranks them: the first should lead. */
  znodes: ZnodeView[];
  claim: { id: NodeId; znode: string; token: number } | null;
  paused: boolean;
}

