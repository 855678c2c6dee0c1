import type { ElectionCause, NodeId, RejectReason } from '../messages.ts';

/**
 * One election attempt: a pre-vote phase, then (if a quorum would vote) the real vote. The
 * candidate role's working record: it creates one on entering the role and alone updates it;
 * the node reads it for deadlines and status.
 */
export interface Campaign {
  phase: 'pre-vote' | 'vote';
  voteTerm: number;
  cause: ElectionCause;
  skip: NodeId[];
  resignedTerm: number;
  /** The boot of the process that resigned `resignedTerm` (0: none, or not known). */
  resignedBoot: number;
  granted: Set<NodeId>;
  /** Rejections that stand for this phase. */
  rejected: Map<NodeId, RejectReason>;
  /** Voters bound by a lease or quarantine, and when to ask them again. */
  deferred: Map<NodeId, number>;
  /** When this phase began; its deadline moves on if the round trips measured meanwhile need more (phaseMs). */
  phaseStartedAtMs: number;
  deadlineMs: number;
  /**
   * When this phase's own request came back to us through our receive queue (multicast loopback),
   * or null: the replies wait in that queue behind it, so nothing is resent for a while
   * (ownRequestWaitUntilMs: a refused request never comes back) and the phase does not end
   * before it is read (docs/protocol.md, "Under load").
   */
  requestReadBackAtMs: number | null;
  resendAtMs: number;
  /** Requests to everyone sent in this phase; each resend waits twice as long as the last. */
  sends: number;
  /**
   * When each voter not yet heard in this phase was first asked (or re-asked after deferring):
   * its vote is a sample of the round trip (replyWaitMs), taken once.
   */
  askedAtMs: Map<NodeId, number>;
  /**
   * Voters asked again in this phase before they answered: which copy a vote answers is unknown,
   * so it is no sample (Karn's algorithm). Timed from the first copy, a vote after two lost
   * requests seemed a 300-ms round trip, and the next phase waited 600 ms to resend.
   */
  reaskedUnanswered: Set<NodeId>;
  /**
   * Higher IDs a voter preferred (HIGHER_NODE) that this candidate does not count as eligible,
   * challenged Bully-style: when each challenge left and when its answer is due. One that does not
   * answer is skipped.
   */
  challenged: Map<NodeId, { sentAtMs: number; dueMs: number }>;
}
