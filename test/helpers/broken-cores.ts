/**
 * Deliberately broken cores that the checkers must catch: the simulator's (test/sim) and the log
 * check's on a simulation's event lines.
 */
import { ElectionNode, RejectReason, type VoteRequest } from '../../src/core/index.ts';
import type { VoteDecision } from '../../src/core/index.ts';

/**
 * A voter that forgets it already voted in this term: two votes per term. S3 sees the second vote
 * on the disk; the test asks for S1 as well, two leaders of one term, the harm the vote rule prevents.
 */
export class DoubleVoter extends ElectionNode {
  override decideVote(request: VoteRequest, nowMs: number): VoteDecision {
    const decision = super.decideVote(request, nowMs);
    if (decision.reason !== RejectReason.AlreadyVoted) return decision;
    return { granted: true, reason: null, retryAfterMs: 0, prefer: null };
  }
}

/** A voter that ignores the promise it gave a live coordinator. */
export class PromiseBreaker extends ElectionNode {
  override holdsPromise(): boolean {
    return false;
  }
}
