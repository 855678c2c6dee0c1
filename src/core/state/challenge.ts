import type { NodeId } from '../messages.ts';

/** A Bully challenge in flight: when it left, the higher IDs asked, and those that answered. */
export interface Challenge {
  sentAtMs: number;
  deadlineMs: number;
  challenged: ReadonlySet<NodeId>;
  answered: Set<NodeId>;
}
