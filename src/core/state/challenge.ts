import type { NodeId } from '../messages.ts';

/** A Bully challenge in flight: the higher IDs asked, and those that answered. */
export interface Challenge {
  deadlineMs: number;
  challenged: ReadonlySet<NodeId>;
  answered: Set<NodeId>;
}
