import type { ElectionCause, NodeId } from '../messages.ts';

/**
 * A coordinator's term: its lease rounds and who acknowledged them. The leader role's working
 * record: it creates one on winning and alone updates it; the node reads it for the lease.
 */
export interface Leadership {
  cause: ElectionCause;
  votedBy: NodeId[];
  electedAtMs: number;
  round: number;
  /** Rounds recent enough to still extend the lease, by number. */
  rounds: Map<number, { sentAtMs: number; acks: Set<NodeId> }>;
  /** The lease is valid while now < leaseUntilMs; 0 until a quorum first acknowledges. */
  leaseUntilMs: number;
  lastAckMs: Map<NodeId, number>;
}
