import { RejectReason, type Message, type NodeId, type Vote, type VoteRequest } from '../messages.ts';
import { campaignBackoffMs } from '../backoff.ts';
import { VoteResult, voteResult } from '../quorum.ts';
import type { RoleContext } from '../role-context.ts';
import type { Campaign } from '../state/campaign.ts';
import { followLeader } from './follow-leader.ts';
import { becomeLeaderNow } from './leader.ts';

/**
 * Campaigns for the next term. `preVote: false` skips the pre-vote: only for a successor its
 * coordinator named on resigning, whose voters are free to vote at once.
 */
export function startCampaign(node: RoleContext, nowMs: number, { preVote = true } = {}): void {
  node.becomeCandidate({
    phase: 'pre-vote',
    voteTerm: node.nextCampaignTerm,
    cause: node.electionCause,
    skip: [...node.skip].sort((a, b) => a - b),
    resignedTerm: node.releasedTerm === node.term ? node.term : 0,
    resignedBoot: node.releasedTerm === node.term ? node.releasedBoot : 0,
    granted: new Set([node.id]),
    rejected: new Map(),
    deferred: new Map(),
    phaseStartedAtMs: nowMs,
    deadlineMs: nowMs + phaseMs(node, nowMs),
    requestReadBackAtMs: null,
    resendAtMs: nowMs + node.replyWaitMs(node.config.heartbeatMs, nowMs),
    sends: 1,
    askedAtMs: new Map(),
    reaskedUnanswered: new Set(),
    challenged: new Map(),
  });
  if (!preVote) {
    startRealVote(node, nowMs);
    return;
  }
  node.emit({ type: 'election-started', term: node.nextCampaignTerm, preVote: true, cause: node.electionCause });
  requestVotes(node, 'all', nowMs);
  evaluate(node, nowMs);
}

export function tickCandidate(node: RoleContext, nowMs: number): void {
  const campaign = node.campaign!;
  campaign.deadlineMs = Math.max(campaign.deadlineMs, phaseDeadlineMs(node, campaign, nowMs));
  if (nowMs >= campaign.deadlineMs) {
    abandon(node, nowMs);
    return;
  }
  if (skipSilentPreferred(node, nowMs)) return;
  for (const [id, atMs] of campaign.deferred) {
    if (nowMs < atMs) continue;
    campaign.deferred.delete(id);
    // It answered (deferring): the next vote answers this request.
    campaign.askedAtMs.set(id, nowMs);
    campaign.reaskedUnanswered.delete(id);
    requestVotes(node, id, nowMs);
  }
  if (nowMs >= campaign.resendAtMs && !awaitsOwnRequest(node, campaign, nowMs)) {
    // Requests or votes lost, or voters not up yet. Every voter answers every copy, so copies
    // every heartbeat to 25 voters, some of them still starting, were most of a cold start's traffic.
    campaign.resendAtMs = nowMs + node.replyWaitMs(node.config.heartbeatMs * 2 ** campaign.sends, nowMs);
    const silent = node.config.voters.filter(
      (id) => id !== node.id && !campaign.granted.has(id) && !campaign.rejected.has(id) && !campaign.deferred.has(id),
    );
    if (silent.length > 0) {
      campaign.sends++;
      for (const id of silent) if (campaign.askedAtMs.has(id)) campaign.reaskedUnanswered.add(id);
      // Only those that have not answered; by one multicast only when they are most of the others,
      // so that the voters that did answer never answer more copies than are needed.
      if (2 * silent.length > node.config.voters.length - 1) requestVotes(node, 'all', nowMs);
      else for (const id of silent) requestVotes(node, id, nowMs);
    }
  }
}

/**
 * Whether resends wait for our own request of this phase to come back through our receive queue
 * (the replies queue behind it), and until when. Not beyond twice a reply's wait from the phase's
 * start, four round trips at least: a request the full backlog refused (ENOBUFS) never comes back,
 * and a named successor of 100 nodes then sent nothing more for 790 ms while 18 of its 99 voters
 * had answered (seed 41 of 100 nodes, a handover).
 */
export function ownRequestWaitUntilMs(node: RoleContext, campaign: Campaign, nowMs: number): number {
  if (!node.readsOwnLoopback || campaign.requestReadBackAtMs !== null) return Number.NEGATIVE_INFINITY;
  return campaign.phaseStartedAtMs + 2 * node.replyWaitMs(node.config.heartbeatMs, nowMs);
}

function awaitsOwnRequest(node: RoleContext, campaign: Campaign, nowMs: number): boolean {
  return nowMs < ownRequestWaitUntilMs(node, campaign, nowMs);
}

/**
 * Our own request of this phase came back through our receive queue: the replies queued behind it
 * come next. The resends count from now: before, a voter's reply was slow, not lost, and every
 * voter answers every copy (a 100-node candidate's duplicate replies delayed its real votes).
 */
export function readOwnRequestBack(node: RoleContext, request: VoteRequest, nowMs: number): void {
  const campaign = node.campaign;
  if (campaign === null || campaign.requestReadBackAtMs !== null) return;
  if (request.voteTerm !== campaign.voteTerm || request.preVote !== (campaign.phase === 'pre-vote')) return;
  campaign.requestReadBackAtMs = nowMs;
  campaign.resendAtMs = Math.max(campaign.resendAtMs, nowMs + node.replyWaitMs(node.config.heartbeatMs, nowMs));
}

export function stepCandidate(node: RoleContext, message: Message, nowMs: number): void {
  switch (message.type) {
    case 'vote':
      onVote(node, message, nowMs);
      return;
    case 'heartbeat':
      if (message.role === 'leader' && message.round > 0) {
        followLeader(node, message.from, message.bootId, message.round, message.term, nowMs);
      }
      return;
    case 'coordinator':
      followLeader(node, message.from, message.bootId, message.round, message.term, nowMs);
      return;
    case 'answer':
      // A higher ID a voter preferred, or one we skipped because it answered too late, is alive
      // and takes over: wait for its coordinator message.
      if (node.campaign!.challenged.has(message.from) || node.campaign!.skip.includes(message.from)) {
        node.becomeFollower(node.term, 'lease-expired');
        node.deferToHigher(nowMs + node.replyWaitMs(node.config.timeoutMs, nowMs));
      }
      return;
    default:
      return;
  }
}

function onVote(node: RoleContext, vote: Vote, nowMs: number): void {
  const campaign = node.campaign!;
  if (vote.voteTerm !== campaign.voteTerm || vote.preVote !== (campaign.phase === 'pre-vote')) return;
  const voter = vote.from;
  const askedAtMs = campaign.askedAtMs.get(voter);
  if (askedAtMs !== undefined && !campaign.reaskedUnanswered.has(voter)) node.noteRoundTrip(askedAtMs, nowMs);
  campaign.askedAtMs.delete(voter);
  campaign.reaskedUnanswered.delete(voter);
  // The latest answer of a voter stands.
  campaign.granted.delete(voter);
  campaign.rejected.delete(voter);
  campaign.deferred.delete(voter);
  if (vote.granted) campaign.granted.add(voter);
  else if (vote.reason === RejectReason.HigherNode && vote.prefer !== null && campaign.skip.includes(vote.prefer)) {
    // An answer to an earlier request, without the skip list: the voter has not judged this one.
    return;
  } else if (vote.reason === RejectReason.LeaseHeld || vote.reason === RejectReason.Quarantine) {
    campaign.deferred.set(voter, nowMs + Math.max(1, vote.retryAfterMs));
  } else campaign.rejected.set(voter, vote.reason ?? RejectReason.NotEligible);
  if (vote.reason === RejectReason.HigherNode && vote.prefer !== null) challengePreferred(node, vote.prefer, nowMs);
  evaluate(node, nowMs);
}

/**
 * A voter defers to a higher ID this candidate does not count (a follower that died a moment ago
 * still looks alive to the others for up to three slow beats): ask it, as Bully does, instead of
 * waiting a whole timeout for a coordinator that may never come.
 */
function challengePreferred(node: RoleContext, preferred: NodeId, nowMs: number): void {
  const campaign = node.campaign!;
  if (campaign.challenged.has(preferred) || preferred === node.id) return;
  campaign.challenged.set(preferred, { sentAtMs: nowMs, dueMs: nowMs + node.replyWaitMs(node.config.answerTimeoutMs, nowMs) });
  node.sendChallenge([preferred], campaign.cause, nowMs);
}

/**
 * Preferred IDs that did not answer in time are skipped, and if a voter's refusal rested on one,
 * the campaign starts again naming them in `skip`. Returns true when it did.
 */
function skipSilentPreferred(node: RoleContext, nowMs: number): boolean {
  const campaign = node.campaign!;
  const silent: NodeId[] = [];
  for (const [id, { dueMs }] of campaign.challenged) {
    if (nowMs < dueMs || campaign.skip.includes(id)) continue;
    silent.push(id);
  }
  if (silent.length === 0) return false;
  for (const id of silent) campaign.challenged.delete(id);
  node.skipUnanswered(silent);
  if (![...campaign.rejected.values()].includes(RejectReason.HigherNode)) return false;
  node.becomeFollower(node.term, 'lease-expired');
  startCampaign(node, nowMs);
  return true;
}

function evaluate(node: RoleContext, nowMs: number): void {
  const campaign = node.campaign!;
  const result = voteResult(node.config.voters.length, campaign.granted.size, campaign.rejected.size);
  if (result === VoteResult.Lost) abandon(node, nowMs);
  else if (result === VoteResult.Won && campaign.phase === 'pre-vote') startRealVote(node, nowMs);
  else if (result === VoteResult.Won) becomeLeaderNow(node, campaign, nowMs);
}

function startRealVote(node: RoleContext, nowMs: number): void {
  const campaign = node.campaign!;
  node.enterNextTerm();
  Object.assign(campaign, {
    phase: 'vote',
    granted: new Set([node.id]),
    rejected: new Map(),
    deferred: new Map(),
    phaseStartedAtMs: nowMs,
    deadlineMs: nowMs + phaseMs(node, nowMs),
    requestReadBackAtMs: null,
    resendAtMs: nowMs + node.replyWaitMs(node.config.heartbeatMs, nowMs),
    sends: 1,
    askedAtMs: new Map(),
    reaskedUnanswered: new Set(),
  } satisfies Partial<Campaign>);
  node.emit({ type: 'election-started', term: campaign.voteTerm, preVote: false, cause: campaign.cause });
  requestVotes(node, 'all', nowMs);
  evaluate(node, nowMs);
}

/** Lost or timed out: defer to a higher ID if a voter named one, else back off a little. */
function abandon(node: RoleContext, nowMs: number): void {
  const campaign = node.campaign!;
  const outranked = [...campaign.rejected.values()].includes(RejectReason.HigherNode);
  const pending = [...campaign.challenged].filter(([id, { dueMs }]) => nowMs < dueMs && !campaign.skip.includes(id));
  node.becomeFollower(node.term, 'lease-expired');
  if (pending.length > 0) {
    // The preferred IDs were asked and may still answer: resolve it as a follower's challenge.
    node.startChallenge({
      sentAtMs: Math.min(...pending.map(([, { sentAtMs }]) => sentAtMs)),
      deadlineMs: Math.max(...pending.map(([, { dueMs }]) => dueMs)),
      challenged: new Set(pending.map(([id]) => id)),
      answered: new Set(),
    });
  } else if (outranked) node.deferToHigher(nowMs + node.replyWaitMs(node.config.timeoutMs, nowMs));
  else {
    // Random back-off separates the rare equal-rank collisions (a split real vote); growing with
    // each failure in a row, it keeps a node refused for a reason it cannot see (voters bound to a
    // coordinator it does not hear) from asking every voter every 1.4 s forever.
    node.noteFailedCampaign();
    node.backOff(nowMs + campaignBackoffMs(node.config, node.failedCampaigns, node.random));
  }
}

/** Asks `to` for its vote; a request to everyone at `nowMs` starts the round trip of each voter not yet asked. */
function requestVotes(node: RoleContext, to: NodeId | 'all', nowMs: number): void {
  const campaign = node.campaign!;
  const { phase, voteTerm, skip, resignedTerm, resignedBoot, cause } = campaign;
  const body = { type: 'vote-request', preVote: phase === 'pre-vote', voteTerm, skip, resignedTerm, resignedBoot, cause } as const;
  if (to !== 'all') {
    node.send(to, body);
    return;
  }
  node.broadcast(body);
  for (const id of node.config.voters) {
    if (id !== node.id && !campaign.askedAtMs.has(id) && !campaign.granted.has(id) && !campaign.rejected.has(id)) campaign.askedAtMs.set(id, nowMs);
  }
}

/**
 * When a phase ends: its length (phaseMs, stretched by the round trips measured meanwhile) from
 * its start; and where our own multicast comes back, not before that length after we read our
 * request back, since the replies wait behind it in our queue (at most two timeouts more).
 */
function phaseDeadlineMs(node: RoleContext, campaign: Campaign, nowMs: number): number {
  const start = campaign.phaseStartedAtMs;
  const stretched = start + phaseMs(node, nowMs);
  if (!node.readsOwnLoopback) return stretched;
  const baseMs = node.config.timeoutMs + node.config.answerTimeoutMs;
  const readBackMs = campaign.requestReadBackAtMs ?? nowMs;
  return Math.max(stretched, Math.min(readBackMs + phaseMs(node, nowMs), start + baseMs + OWN_QUEUE_WAIT_TIMEOUTS_MAX * node.config.timeoutMs));
}

/** A phase waits for its own request to come back through our queue at most this many timeouts more. */
const OWN_QUEUE_WAIT_TIMEOUTS_MAX = 2;

/**
 * A phase lasts long enough for every lease promise given before it to run out, and for the
 * replies of a loaded machine to come.
 */
function phaseMs(node: RoleContext, nowMs: number): number {
  return node.replyWaitMs(node.config.timeoutMs + node.config.answerTimeoutMs, nowMs);
}
