/**
 * The one tagged message type the core understands, for the network and for local input alike
 * (etcd raft's pb.Message). The wire codec maps it to and from the protobuf Envelope.
 */

/** The vocabulary both cores share (../election/vocabulary.ts); re-exported as this core's own words. */
export { ElectionCause, Role, type NodeId } from '../election/vocabulary.ts';
import type { NodeId, Role, ElectionCause } from '../election/vocabulary.ts';

export const RejectReason = {
  StaleTerm: 'stale-term',
  AlreadyVoted: 'already-voted',
  LeaseHeld: 'lease-held',
  HigherNode: 'higher-node',
  Quarantine: 'quarantine',
  NotEligible: 'not-eligible',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export const ResignReason = {
  Stopping: 'stopping',
  Preempted: 'preempted',
  Requested: 'requested',
  DuplicateId: 'duplicate-id',
  Suspending: 'suspending',
} as const;
export type ResignReason = (typeof ResignReason)[keyof typeof ResignReason];

/** Fields every message carries. `term` is always the sender's current term. */
export interface Header {
  from: NodeId;
  bootId: number;
  term: number;
  /** Addressee; 0 = every node. */
  to: NodeId;
  /**
   * The sender's clock when its core made the message, whole ms; 0 or absent: not stamped (a
   * message made outside a core). Only compared with the same boot's other stamps (./transit.ts).
   */
  sentAtMs?: number;
}

export interface Heartbeat extends Header {
  type: 'heartbeat';
  role: Role;
  leader: NodeId | null;
  /** Lease round to acknowledge when the sender is the leader, 0 otherwise. */
  round: number;
  hears: NodeId[];
  canLead: boolean;
  /** The sender's next heartbeat is due this long after this one (the fast or the slow rate). */
  intervalMs: number;
  /**
   * IDs the sender lately heard from two live processes (its wire dropped one's datagrams as an
   * impostor's), at most MAX_TWINS_TOLD; absent or empty: none. A process that reads its own ID
   * here raises its duplicate-ID alarm (docs/protocol.md, "Restarts, duplicates, leaving").
   */
  twins?: NodeId[];
}

/** The most IDs a heartbeat's `twins` names; the wire refuses a longer list (`bad-field`). */
export const MAX_TWINS_TOLD = 4;

export interface Election extends Header {
  type: 'election';
  cause: ElectionCause;
}

export interface Answer extends Header {
  type: 'answer';
  leader: NodeId | null;
}

export interface VoteRequest extends Header {
  type: 'vote-request';
  preVote: boolean;
  /** The term the vote is for: the sender's term + 1 for a pre-vote, its term for a real vote. */
  voteTerm: number;
  skip: NodeId[];
  /** The candidate saw the coordinator of this term resign; 0 = none. */
  resignedTerm: number;
  /** The boot of the process that resigned `resignedTerm`; 0 = not said (an older node): any. */
  resignedBoot: number;
  cause: ElectionCause;
}

export interface Vote extends Header {
  type: 'vote';
  preVote: boolean;
  voteTerm: number;
  granted: boolean;
  reason: RejectReason | null;
  retryAfterMs: number;
  prefer: NodeId | null;
}

export interface Coordinator extends Header {
  type: 'coordinator';
  round: number;
  cause: ElectionCause;
  votedBy: NodeId[];
}

export interface LeaseAck extends Header {
  type: 'lease-ack';
  round: number;
}

export interface Resign extends Header {
  type: 'resign';
  reason: ResignReason;
  successor: NodeId | null;
}

export interface Leave extends Header {
  type: 'leave';
}

export type Message =
  | Heartbeat
  | Election
  | Answer
  | VoteRequest
  | Vote
  | Coordinator
  | LeaseAck
  | Resign
  | Leave;

export type MessageType = Message['type'];

/** A message body as the core writes it; the node fills in the header. */
export type Body<M extends Message = Message> = M extends Message ? Omit<M, keyof Header> : never;

/** What the core asks the driver to send. */
export interface Outgoing {
  /** A node ID for a direct message, 'all' for the multicast group. */
  to: NodeId | 'all';
  message: Message;
  /**
   * A beat to everyone sent early only to greet these peers (heard for the first time, or anew):
   * the group gets it as always, but of the unicast copies to peers beyond the group only theirs
   * go out. The others learn the same from the regular beat, and a unicast-only cluster of 100
   * no longer sends 99 × 99 copies when six nodes come back from a partition (seed 2 of 100 nodes).
   */
  greets?: readonly NodeId[];
}
