import type { NodeId } from '../core/index.ts';
import { MAX_TERM } from '../core/terms.ts';
import { drawSometimes } from './prng.ts';

/** Its own stream, so that every other draw of a seed stays as it was. */
const SPENT_TERM_STREAM = 0x7465726d;
/** Share of random runs with one node whose state file holds the last term. */
export const SPENT_TERM_SHARE = 0.05;

/**
 * The term bound (docs/protocol.md, "Term bound"), seen from a cluster: in SPENT_TERM_SHARE of
 * the seeds one node (never the only spare of a quorum) starts from a state file at the last term,
 * 2^53 − 1, as a state file copied from a cluster that used up its terms would be, or a datagram
 * of a key holder offers. The others must drop everything it sends (`term-out-of-range`: above
 * the jump limit a node adopts only the next term) and elect without it; it must never campaign,
 * since its next term could not be sent. So it runs, takes no part, and L1 leaves it out. A
 * cluster that adopted its term could never elect again (L1); a spent node that campaigned would
 * send a term no peer can decode (W1). Null: no such node.
 */
export function drawSpentTerm(seed: number, voters: readonly NodeId[], spare: number): NodeId | null {
  return spare < 1 ? null : drawSometimes(seed, SPENT_TERM_STREAM, SPENT_TERM_SHARE, voters);
}

/** What the spent node's disk holds when it first starts. */
export const SPENT_STATE = { term: MAX_TERM, votedFor: null } as const;
