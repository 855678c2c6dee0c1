/**
 * Deliberately broken cores that the checkers must catch: the simulator's (test/sim) and the log
 * check's on a simulation's event lines. Each is broken through the core's one test seam
 * (CoreHooks in src/core/node.ts), not by overriding its methods.
 */
import { RejectReason, type LanCore, type ElectionNodeOptions } from '../../src/core/index.ts';
import { lanCoreOf } from '../../src/core/lan-core.ts';
import { ElectionNode } from '../../src/core/node.ts';

/**
 * A voter that forgets it already voted in this term: two votes per term. S3 sees the second vote
 * on the disk; the test asks for S1 as well, two leaders of one term, the harm the vote rule prevents.
 */
export function doubleVoter(options: ElectionNodeOptions): LanCore {
  return lanCoreOf(new ElectionNode({
    ...options,
    hooks: {
      decideVote: (decided) => (decided.reason === RejectReason.AlreadyVoted ? { granted: true, reason: null, retryAfterMs: 0, prefer: null } : decided),
    },
  }));
}

/** A voter that ignores the promise it gave a live coordinator. */
export function promiseBreaker(options: ElectionNodeOptions): LanCore {
  return lanCoreOf(new ElectionNode({ ...options, hooks: { holdsPromise: () => false } }));
}
