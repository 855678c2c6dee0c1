/** Whether this node's side of the network holds a majority of the voters. */
import type { NodeStatus } from '../../core/status.ts';

export const QuorumState = { Ok: 'ok', Lost: 'lost' } as const;
export type QuorumState = (typeof QuorumState)[keyof typeof QuorumState];

export const NO_QUORUM_TEXT = 'No quorum — this side cannot elect';

export interface QuorumView {
  state: QuorumState;
  have: number;
  need: number;
  voters: number;
  /** How many more reachable voters a majority needs (0 when it holds). */
  missing: number;
  /** "3 of 5 voters reachable · 3 needed" */
  text: string;
}

export function quorumView(quorum: NodeStatus['quorum']): QuorumView {
  const { have, need, voters } = quorum;
  return {
    state: have >= need ? QuorumState.Ok : QuorumState.Lost,
    have,
    need,
    voters,
    missing: Math.max(0, need - have),
    text: `${have} of ${voters} ${voters === 1 ? 'voter' : 'voters'} reachable · ${need} needed`,
  };
}
