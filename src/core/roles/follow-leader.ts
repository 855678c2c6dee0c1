import { Role, type NodeId } from '../messages.ts';
import type { RoleContext } from '../role-context.ts';

/**
 * A lease round from the coordinator of our term: follow it, promise not to vote for anyone for
 * a timeout, and acknowledge. Returns false when the round is ignored. Followers and candidates
 * alike take it.
 *
 * The promise runs a timeout from reading the round: from then on, after any lease the
 * coordinator counts from its sending, so acknowledging is always safe. The name runs a timeout
 * from the round's sending, as far as the round's stamp tells (../transit.ts): a follower woken
 * from a 2-s stall read its queued rounds and named, for another second, a coordinator that had
 * resigned meanwhile (issue 22). A round so late that it would name its coordinator for less than
 * `shortestNameMs` revives nothing: it keeps a promise still held, nothing more.
 */
export function followLeader(node: RoleContext, leader: NodeId, leaderBoot: number, round: number, term: number, nowMs: number): boolean {
  if (term <= node.releasedTerm) return false; // a round sent before its coordinator resigned
  if (node.leader !== null && node.leader !== leader) return false; // one coordinator per term
  const { timeoutMs } = node.config;
  const namedUntilMs = Math.min(nowMs + timeoutMs - (node.peers.get(leader)?.lateMs ?? 0), unmeasuredBurstLimitMs(node, leader, nowMs));
  if (namedUntilMs <= nowMs + shortestNameMs(node)) {
    const following = node.knownLeader(nowMs) === leader && node.promisedTerm === term;
    if (!following) return false;
    node.keepPromise(nowMs + timeoutMs);
  } else {
    if (node.role !== Role.Follower) node.becomeFollower(term, 'higher-term');
    node.followCoordinator(leader, leaderBoot, term, nowMs + timeoutMs, namedUntilMs);
  }
  node.send(leader, { type: 'lease-ack', round });
  return true;
}

/**
 * A round read while our queue drains after a stall of ours, from a coordinator whose messages we
 * have only ever read in such bursts (we were stalled from our start, it is new to us, or we
 * have read it only after stalls): its stamps know no quick delivery to measure against, so the
 * freshest of the burst looks fresh (seed 21007412: a node that booted on a busy machine read ten
 * rounds at once and named their coordinator 250 ms past the N1 bound). It may be as old as the
 * stall, or sent a moment ago: it names nobody, and the first round read once the queue has
 * drained (the answer timeout after the last late input) names the coordinator. Naming it until a
 * timeout past the stall's start instead made a fresh coordinator's name lapse for a round (seed
 * 22002798).
 */
function unmeasuredBurstLimitMs(node: RoleContext, leader: NodeId, nowMs: number): number {
  if (node.queuedSinceMs(nowMs) === null) return Infinity;
  return node.peers.get(leader)?.transit.measured === true ? Infinity : -Infinity;
}

/**
 * A name that would last less than this is not given: the queue a stalled follower drains holds
 * rounds of every lateness, and one just under a timeout late named its coordinator for 0.4 ms
 * before a tick took the name back, a moment before the fresher rounds behind it named it again
 * (seed 24004936). Two rounds' worth, so that one lost round does not end the name either; at
 * most a quarter of the timeout, so that a round on time always names.
 */
function shortestNameMs(node: RoleContext): number {
  return Math.min(2 * node.config.heartbeatMs, node.config.timeoutMs / 4);
}
