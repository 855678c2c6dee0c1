import type { NodeId, NodeStatus } from '../core/index.ts';

/**
 * The leader every given node names, if they all name the same one and it is among them (a
 * node cut off or killed is not asked, and cannot be the answer).
 */
export function agreedLeader(statuses: ReadonlyMap<NodeId, NodeStatus>): NodeId | null {
  const named = new Set([...statuses.values()].map((status) => status.leader));
  if (named.size !== 1) return null;
  const [leader] = named;
  return leader !== undefined && leader !== null && statuses.has(leader) ? leader : null;
}

/** Agreed, and the leader holds its lease and hears every given node (itself included). */
export function settledLeader(statuses: ReadonlyMap<NodeId, NodeStatus>): NodeId | null {
  const leader = agreedLeader(statuses);
  if (leader === null) return null;
  const own = statuses.get(leader)!;
  return own.leaseRemainingMs !== null && own.leaseRemainingMs > 0 && own.quorum.have >= statuses.size ? leader : null;
}

/** One line per node, for the error a wait that ran out throws. */
export function describeStatuses(statuses: ReadonlyMap<NodeId, NodeStatus>): string {
  if (statuses.size === 0) return 'no live, reachable node';
  return [...statuses.values()].map((s) => `n${s.id}: ${s.role}, term ${s.term}, names ${s.leader === null ? 'no leader' : `n${s.leader}`}, hears ${s.quorum.have}`).join('; ');
}
