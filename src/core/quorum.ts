/**
 * Majority arithmetic, alone so that it can be read and tested by tables
 * (etcd raft's quorum/majority.go).
 */

export const VoteResult = { Pending: 'pending', Won: 'won', Lost: 'lost' } as const;
export type VoteResult = (typeof VoteResult)[keyof typeof VoteResult];

/** Votes needed to win among `voterCount` voters: a strict majority. */
export function quorumSize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/** Any two sets of this size drawn from the same voters share at least one voter. */
export function hasQuorum(count: number, voterCount: number): boolean {
  return count >= quorumSize(voterCount);
}

/**
 * Outcome of a vote among `voterCount` voters with `granted` yes votes and `rejected` no votes:
 * won once a majority said yes, lost once a majority can no longer be reached.
 */
export function voteResult(voterCount: number, granted: number, rejected: number): VoteResult {
  const need = quorumSize(voterCount);
  if (granted >= need) return VoteResult.Won;
  if (voterCount - rejected < need) return VoteResult.Lost;
  return VoteResult.Pending;
}
