import { RejectReason, Role, type Election, type NodeId, type VoteRequest } from './messages.ts';
import type { RoleContext } from './role-context.ts';
import { maybeCampaign } from './roles/follower.ts';
import { GRANT, reject, type VoteDecision } from './vote-decision.ts';

/**
 * The voter's rules, in order (docs/protocol.md, "Voting"). A pre-vote answers "would you?" and
 * changes nothing; a real vote is at most one per term, persisted before it is sent.
 */
export function decideVote(node: RoleContext, request: VoteRequest, nowMs: number): VoteDecision {
  const { preVote, voteTerm, from } = request;
  if (preVote ? voteTerm <= node.term : voteTerm < node.term) return reject(RejectReason.StaleTerm);
  // Another process with our ID spoke in that term or a later one: our ID's vote there may be cast.
  if (voteTerm <= node.spentThroughTerm) return reject(RejectReason.AlreadyVoted);
  // A resent request: the same answer, to the same process only (a second process with the
  // candidate's ID, or one that lost its state file, asks with another boot ID).
  if (!preVote && node.votedFor === from && node.votedForBoot === request.bootId) return GRANT;
  // Two processes with one ID could each cast "its" vote: neither votes until that is resolved.
  if (node.hasDuplicateAlarm(nowMs)) return reject(RejectReason.NotEligible);
  if (node.isQuarantined(nowMs)) {
    return reject(RejectReason.Quarantine, node.quarantineUntilMs - nowMs);
  }
  if (node.leadership !== null && node.hasLease(nowMs)) {
    return reject(RejectReason.LeaseHeld, node.leadership.leaseUntilMs - nowMs);
  }
  if (node.holdsPromise(nowMs) && from !== node.promisedLeader) {
    // The candidate saw our coordinator resign; it dropped its lease before saying so.
    if (citesPromisedResignation(node, request)) {
      node.releasePromise(request.resignedTerm, request.resignedBoot);
    } else {
      return reject(RejectReason.LeaseHeld, node.promiseUntilMs - nowMs);
    }
  }
  if (!preVote && node.votedFor !== null) return reject(RejectReason.AlreadyVoted);
  const higher = higherThanCandidate(node, request, nowMs);
  if (higher !== null) return reject(RejectReason.HigherNode, 0, higher);
  return GRANT;
}

/** Bully: the highest live ID that could lead, this voter included, outranks the candidate. */
function higherThanCandidate(node: RoleContext, request: VoteRequest, nowMs: number): NodeId | null {
  // The coordinator that resigned already judged Bully on fresher evidence (acknowledgements every
  // heartbeat) than this voter's view of the other followers: a follower dead for a moment still
  // looks alive here for up to three slow beats, and refusing for it cost a handover seconds.
  const named = node.namedSuccessor;
  if (!request.preVote && named !== null && named.id === request.from && named.term === request.resignedTerm) return null;
  const [highestPeer = 0] = node.higherEligible(nowMs, request.from, new Set(request.skip));
  const self = node.id > request.from && node.canLead(nowMs) ? node.id : 0;
  const best = Math.max(highestPeer, self);
  return best === 0 ? null : best;
}

/**
 * The candidate saw the coordinator we promised resign: the same term and, where the request
 * names it, the same process. A second process with the coordinator's ID that led the same term
 * unheard (a twin) resigns only its own lease; releasing our promise to the other for it let a
 * new lease overlap the other's (seed 35014815). A request without a boot (an older node) is
 * trusted as before.
 */
export function citesPromisedResignation(node: RoleContext, request: VoteRequest): boolean {
  if (request.resignedTerm === 0 || request.resignedTerm !== node.promisedTerm) return false;
  return request.resignedBoot === 0 || request.resignedBoot === node.promisedBoot;
}

export function handleVoteRequest(node: RoleContext, request: VoteRequest, nowMs: number): void {
  const decision = node.decideVote(request, nowMs);
  if (decision.granted && !request.preVote) node.grantVote(request.from, request.bootId, nowMs);
  reply(node, request, decision);
  if (decision.granted && request.from > node.id) deferToCandidate(node, request.from, nowMs);
}

/**
 * Bully: a higher ID that asks for our vote, and gets it, is alive and taking over; its request
 * says what its answer to a challenge would say, to every voter at once. A lower node stops its
 * own challenge or campaign and waits for that coordinator, as after an answer. Without this, on
 * a saturated machine each lower node walked down the IDs above it, challenging, timing out and
 * campaigning over them while the highest was already asking for votes (issue 22).
 */
function deferToCandidate(node: RoleContext, candidate: NodeId, nowMs: number): void {
  if (node.role === Role.Leader) return;
  if (node.role === Role.Candidate) node.becomeFollower(node.term, 'lease-expired');
  node.unskip(candidate);
  node.deferToHigher(Math.max(node.waitCoordinatorUntilMs, nowMs + node.replyWaitMs(node.config.timeoutMs, nowMs)));
}

/** Rejects without consulting the rules (the term gate's lease checks). */
export function rejectVote(node: RoleContext, request: VoteRequest, reason: RejectReason, retryAfterMs: number): void {
  reply(node, request, reject(reason, retryAfterMs));
}

function reply(node: RoleContext, request: VoteRequest, decision: VoteDecision): void {
  const { preVote, voteTerm, from } = request;
  node.send(from, { type: 'vote', preVote, voteTerm, ...decision });
  node.emit({ type: 'vote-cast', candidate: from, term: voteTerm, preVote, granted: decision.granted, reason: decision.reason });
}

/** A lower ID asks whether anyone above it is alive: answer if we can take over, and do. */
export function answerChallenge(node: RoleContext, challenge: Election, nowMs: number): void {
  if (challenge.from > node.id || !node.canLead(nowMs)) return;
  node.send(challenge.from, { type: 'answer', leader: node.knownLeader(nowMs) });
  if (node.role === Role.Follower && node.knownLeader(nowMs) === null) maybeCampaign(node, nowMs);
}
