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
  /**
   * Per follower, when the newest round it acknowledged was sent: it was alive then. Unlike the
   * time an acknowledgement is read, this cannot look fresh because it waited in our queue behind
   * a stall of ours (a coordinator woken from a 700 ms stall named a follower dead meanwhile).
   */
  ackedRoundSentMs: Map<NodeId, number>;
}
