import type { ElectionCause, NodeId } from '../messages.ts';

/** An election as its winner announced it: the dashboard shows the last one a node saw. */
export interface ElectionWon {
  term: number;
  leader: NodeId;
  cause: ElectionCause;
  votedBy: NodeId[];
}
