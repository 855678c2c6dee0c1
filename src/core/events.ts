import type { ElectionCause, NodeId, RejectReason, ResignReason, Role } from './messages.ts';
import type { PeerChange } from './peers.ts';

export const DemotionReason = {
  LeaseExpired: 'lease-expired',
  HigherTerm: 'higher-term',
  Resigned: 'resigned',
} as const;
export type DemotionReason = (typeof DemotionReason)[keyof typeof DemotionReason];

/** What the core reports; the driver stamps each with the wall-clock time. */
export type CoreEvent =
  | { type: 'role-changed'; role: Role; previous: Role }
  | { type: 'term-changed'; term: number; previous: number }
  /** The coordinator this node knows to hold a valid lease changed (null: none). */
  | { type: 'leader-changed'; leader: NodeId | null; previous: NodeId | null; term: number }
  /** This node's lease became valid: it may act as coordinator, with `term` as fencing token. */
  | { type: 'elected'; term: number; cause: ElectionCause; votedBy: NodeId[] }
  /** This node's lease ended; it must stop acting as coordinator. */
  /** `leaseEndedAtMs`: local time the lease really ended: now, or earlier if its end was noticed late (a timer that fired late). */
  | { type: 'demoted'; term: number; reason: DemotionReason | ResignReason; leaseEndedAtMs: number }
  | { type: 'election-started'; term: number; preVote: boolean; cause: ElectionCause }
  | { type: 'challenge-sent'; to: NodeId[] }
  | { type: 'vote-cast'; candidate: NodeId; term: number; preVote: boolean; granted: boolean; reason: RejectReason | null }
  | { type: 'peer'; peer: NodeId; change: PeerChange }
  | { type: 'alarm'; alarm: 'duplicate-id'; raised: boolean };
