import type { NodeId } from '../core/index.ts';
import { drawSometimes } from './prng.ts';

/** Its own stream, so that every other draw of a seed stays as it was. */
const NEWCOMER_STREAM = 0x6e657763;
/** Share of random runs with a voter that first starts once the others agree. */
export const NEWCOMER_SHARE = 0.1;

/**
 * A machine added to a running cluster: in NEWCOMER_SHARE of the seeds one voter (never the only
 * spare of a quorum) does not start with the others, takes no part in the faults, and first
 * starts, with an empty disk, once the rest agree (./acts.ts, the `join` act). The coordinator
 * greets a newcomer with a lease round at once, so it follows within a few hops (L1's newcomer
 * bound, ./bounds.ts) instead of waiting for the next round or campaigning. Before, every voter
 * started within the first 1.5 s, when there was no coordinator to greet it. Null: none.
 */
export function drawNewcomer(seed: number, voters: readonly NodeId[], spare: number): NodeId | null {
  return spare < 1 ? null : drawSometimes(seed, NEWCOMER_STREAM, NEWCOMER_SHARE, voters);
}
