import { Role, type Body, type Heartbeat, type Message, type NodeId } from '../messages.ts';
import type { RoleContext } from '../role-context.ts';
import type { Campaign } from '../state/campaign.ts';

/** Won a quorum of votes: announce (Bully's coordinator message), which is also lease round 1. */
export function becomeLeaderNow(node: RoleContext, campaign: Campaign, nowMs: number): void {
  const votedBy = [...campaign.granted].sort((a, b) => a - b);
  node.becomeLeader({
    cause: campaign.cause,
    votedBy,
    electedAtMs: nowMs,
    round: 0,
    rounds: new Map(),
    leaseUntilMs: 0,
    ackedRoundSentMs: new Map(),
  });
  const round = openRound(node, nowMs);
  node.broadcast({ type: 'coordinator', round, cause: campaign.cause, votedBy });
}

export function tickLeader(node: RoleContext, nowMs: number): void {
  const leadership = node.leadership!;
  const expired =
    leadership.leaseUntilMs > 0
      ? nowMs >= leadership.leaseUntilMs
      : nowMs >= node.firstAcksDueMs(leadership, nowMs);
  if (expired) {
    // Check-quorum: no majority acknowledged a round within the lease.
    node.becomeFollower(node.term, 'lease-expired');
    node.loseCoordinator();
    return;
  }
  maybePreempt(node, nowMs);
}

export function stepLeader(node: RoleContext, message: Message, nowMs: number): void {
  if (message.type !== 'lease-ack') return;
  const leadership = node.leadership!;
  const round = leadership.rounds.get(message.round);
  if (round === undefined) return;
  if (!round.acks.has(message.from)) node.noteRoundTrip(round.sentAtMs, nowMs);
  round.acks.add(message.from);
  leadership.ackedRoundSentMs.set(message.from, Math.max(leadership.ackedRoundSentMs.get(message.from) ?? 0, round.sentAtMs));
  extendLease(node, round);
}

/**
 * Every node's periodic heartbeat; a coordinator's opens a new lease round. Returns the `can_lead`
 * it said. `greets`: a follower's early beat that only greets these peers (Outgoing.greets).
 */
export function sendHeartbeat(node: RoleContext, nowMs: number, intervalMs: number, greets?: readonly NodeId[]): boolean {
  const round = node.role === Role.Leader ? openRound(node, nowMs) : 0;
  const canLead = node.canLead(nowMs);
  const heartbeat: Body<Heartbeat> = {
    type: 'heartbeat',
    role: node.role,
    leader: node.knownLeader(nowMs),
    round,
    hears: node.peers.aliveIds(nowMs),
    canLead,
    intervalMs,
  };
  const twins = node.twinsTold(nowMs);
  if (twins.length > 0) heartbeat.twins = twins;
  node.broadcast(heartbeat, greets);
  return canLead;
}

function openRound(node: RoleContext, nowMs: number): number {
  const leadership = node.leadership!;
  const round = ++leadership.round;
  const entry = { sentAtMs: nowMs, acks: new Set<NodeId>() };
  leadership.rounds.set(round, entry);
  for (const [number, { sentAtMs }] of leadership.rounds) {
    if (sentAtMs + node.config.leaseMs <= nowMs) leadership.rounds.delete(number);
  }
  extendLease(node, entry); // a cluster of one is its own quorum
  return round;
}

/**
 * A quorum (this node included) acknowledged a round sent at `sentAtMs`: each of them promised
 * not to vote for a timeout from when it received it, which outlasts `sentAtMs + leaseMs`.
 */
function extendLease(node: RoleContext, round: { sentAtMs: number; acks: Set<NodeId> }): void {
  if (round.acks.size + 1 < node.quorum) return;
  const leadership = node.leadership!;
  leadership.leaseUntilMs = Math.max(leadership.leaseUntilMs, round.sentAtMs + node.config.leaseMs);
}

/**
 * Bully preemption, damped: hand over to the highest ID that may lead, once it has been connected
 * for the damping period and was heard just now. Handing over is optional, so it asks for fresher
 * evidence than liveness does, and does not hand over to the same ID again until it has proved
 * itself anew. Until the highest qualifies it waits, rather than hand over to a lower ID whose
 * damping ran out first: Bully would replace that one at once, a second handover behind its new
 * lease (seed 36008232: n797's damping ended 0.6 ms before n875's, and n875 led a second later).
 */
function maybePreempt(node: RoleContext, nowMs: number): void {
  const { preempt, dampingMs, heartbeatMs, timeoutMs } = node.config;
  if (!preempt || !node.hasLease(nowMs)) return;
  const successor = node.higherEligible(nowMs, node.id).find((id) => nowMs >= (node.preemptionBackoff.get(id) ?? 0));
  if (successor === undefined) return;
  const damped = nowMs - node.peers.get(successor)!.aliveSinceMs >= dampingMs;
  const fresh = nowMs - node.knownAliveAtMs(successor) <= 2 * heartbeatMs;
  if (!damped || !fresh) return;
  node.preemptFor(successor, nowMs + Math.max(dampingMs, timeoutMs));
}
