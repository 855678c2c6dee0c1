import { ElectionCause, ResignReason, Role, type Message, type Resign } from '../messages.ts';
import type { RoleContext } from '../role-context.ts';
import { startCampaign } from './candidate.ts';
import { followLeader } from './follow-leader.ts';

/** A challenge goes to at most this many higher IDs, the highest first. */
export const MAX_CHALLENGED = 3;

export function tickFollower(node: RoleContext, nowMs: number): void {
  if (node.leader !== null && nowMs >= node.namedUntilMs) node.loseCoordinator();
  if (node.challenge !== null && nowMs >= node.challenge.deadlineMs) resolveChallenge(node, nowMs);
  if (node.waitCoordinatorUntilMs !== 0 && nowMs >= node.waitCoordinatorUntilMs) node.endDeference();
  maybeCampaign(node, nowMs);
}

export function stepFollower(node: RoleContext, message: Message, nowMs: number): void {
  switch (message.type) {
    case 'heartbeat':
      if (message.role === Role.Leader && message.round > 0) {
        followLeader(node, message.from, message.bootId, message.round, message.term, nowMs);
      }
      return;
    case 'coordinator':
      if (followLeader(node, message.from, message.bootId, message.round, message.term, nowMs)) {
        const { term, from: leader, cause, votedBy } = message;
        node.witnessElection({ term, leader, cause, votedBy });
      }
      return;
    case 'resign':
      onResign(node, message, nowMs);
      return;
    case 'leave':
      // A leaving coordinator resigns first; this covers a lost Resign.
      if (message.from === node.leader) {
        onResign(node, { ...message, type: 'resign', reason: ResignReason.Stopping, successor: null }, nowMs);
      }
      return;
    default:
      return;
  }
}

function onResign(node: RoleContext, resign: Resign, nowMs: number): void {
  if (resign.term !== node.promisedTerm && resign.from !== node.leader) return;
  // A second process with our coordinator's ID that led the same term unheard (a twin) resigns
  // only its own lease (./voting.ts, citesPromisedResignation).
  if (resign.from === node.promisedLeader && resign.term === node.promisedTerm && node.promisedBoot !== 0 && resign.bootId !== node.promisedBoot) return;
  node.acceptResignation(
    resign.term,
    resign.bootId,
    resign.reason === ResignReason.Preempted ? ElectionCause.Preemption : ElectionCause.Resignation,
    resign.successor,
  );
  if (resign.successor === node.id && node.canLead(nowMs) && !node.holdsPromise(nowMs)) {
    // The coordinator chose us and dropped its lease: a pre-vote would only ask what it knows.
    startCampaign(node, nowMs, { preVote: false });
  } else {
    maybeCampaign(node, nowMs);
  }
}

/**
 * Bully: with no coordinator, the highest eligible ID campaigns at once; a lower one first asks
 * the higher ones and campaigns itself only if none answers in time.
 */
export function maybeCampaign(node: RoleContext, nowMs: number): void {
  if (node.role !== Role.Follower || node.challenge !== null) return;
  if (nowMs < node.waitCoordinatorUntilMs || nowMs < node.campaignNotBeforeMs) return;
  if (node.holdsPromise(nowMs) || !node.canLead(nowMs) || node.isSettlingColdStart(nowMs)) return;
  const higher = node.higherEligible(nowMs, node.id, node.skip);
  if (higher.length === 0) {
    startCampaign(node, nowMs);
    return;
  }
  // Any one answer is enough to wait; asking everyone above made a failover at 25 nodes send
  // 300 challenges and as many answers at once. Those that do not answer are skipped next time.
  const challenged = higher.slice(0, MAX_CHALLENGED);
  node.startChallenge({
    sentAtMs: nowMs,
    deadlineMs: nowMs + node.replyWaitMs(node.config.answerTimeoutMs, nowMs),
    challenged: new Set(challenged),
    answered: new Set(),
  });
  node.sendChallenge(challenged, node.electionCause, nowMs);
}

function resolveChallenge(node: RoleContext, nowMs: number): void {
  const { challenged, answered } = node.challenge!;
  if (answered.size > 0) node.deferToHigher(nowMs + node.replyWaitMs(node.config.timeoutMs, nowMs));
  else node.skipUnanswered(challenged);
}
