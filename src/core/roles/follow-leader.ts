import { Role, type NodeId } from '../messages.ts';
import type { RoleContext } from '../role-context.ts';

/**
 * A lease round from the coordinator of our term: follow it, promise not to vote for anyone for
 * a timeout, and acknowledge. Returns false when the round is ignored. Followers and candidates
 * alike take it.
 */
export function followLeader(node: RoleContext, leader: NodeId, round: number, term: number, nowMs: number): boolean {
  if (term <= node.releasedTerm) return false; // a round sent before its coordinator resigned
  if (node.leader !== null && node.leader !== leader) return false; // one coordinator per term
  if (node.role !== Role.Follower) node.becomeFollower(term, 'higher-term');
  node.followCoordinator(leader, term, nowMs + node.config.timeoutMs);
  node.send(leader, { type: 'lease-ack', round });
  return true;
}
