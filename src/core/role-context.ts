/**
 * What the roles (./roles), the voter (./voting.ts) and the status (./status.ts) see of their
 * node: they take this instead of the node itself, so that none of them imports node.ts, and none
 * can write the node's state except through a transition.
 */
import type { ElectionConfig } from './config.ts';
import type { CoreEvent, DemotionReason } from './events.ts';
import type { Body, ElectionCause, NodeId, ResignReason, Role, VoteRequest } from './messages.ts';
import type { PeerView } from './peers.ts';
import type { Campaign } from './state/campaign.ts';
import type { Challenge } from './state/challenge.ts';
import type { ElectionWon } from './state/election-won.ts';
import type { Leadership } from './state/leadership.ts';
import type { NamedSuccessor } from './state/named-successor.ts';
import type { VoteDecision } from './vote-decision.ts';

/** A node's state, read-only, and the questions it answers about it. */
export interface NodeView {
  readonly id: NodeId;
  readonly bootId: number;
  readonly config: ElectionConfig;
  readonly quorum: number;
  readonly peers: PeerView;
  /** Uniform in [0, 1), from the driver: the core has no randomness of its own. */
  readonly random: () => number;

  readonly term: number;
  readonly votedFor: NodeId | null;
  /** The boot of the process `votedFor` names (../state/durable.ts); NO_BOOT: the vote is spent. */
  readonly votedForBoot: number;
  /** Terms up to this one may hold our ID's vote (another process with our ID spoke in it); ../state/durable.ts. */
  readonly spentThroughTerm: number;
  /** The term a campaign asks for: above our term and every spent one. */
  readonly nextCampaignTerm: number;
  readonly role: Role;
  /** Coordinator of the current term this node follows; known while `namedUntilMs` lasts. */
  readonly leader: NodeId | null;
  /** Until then this node grants no vote to anyone: it acknowledged a lease round. */
  readonly promiseUntilMs: number;
  /**
   * Until then `leader` is known: a timeout from when its latest round was sent, as far as this
   * node can tell (../transit.ts), not from when it was read. At most `promiseUntilMs`.
   */
  readonly namedUntilMs: number;
  /** The coordinator the promise was given to, and its term. */
  readonly promisedLeader: NodeId | null;
  readonly promisedTerm: number;
  /** The boot of the coordinator process the promise was given to (0: none). */
  readonly promisedBoot: number;
  /** The coordinator of this term resigned: its lease rounds are ignored from now on. */
  readonly releasedTerm: number;
  /** The boot of the process that resigned `releasedTerm` (0: not known); a candidate cites it. */
  readonly releasedBoot: number;
  /** Whom the last coordinator that resigned (to us, or this node itself) named as successor. */
  readonly namedSuccessor: NamedSuccessor | null;
  /** Why the next election happens; shown on the dashboard. */
  readonly electionCause: ElectionCause;
  /** No campaign before this time (boot grace, back-off after a lost campaign). */
  readonly campaignNotBeforeMs: number;
  /** After a restart with a term, no votes and no campaign before this time. */
  readonly quarantineUntilMs: number;
  /** Sends Bully's `Election` to `to` (higher IDs); their answers time the round trip. */
  sendChallenge(to: readonly NodeId[], cause: ElectionCause, nowMs: number): void;
  /** A higher ID answered or outranked us; wait this long for its coordinator message. */
  readonly waitCoordinatorUntilMs: number;
  /** Higher IDs challenged without answer in this election; our vote requests name them. */
  readonly skip: ReadonlySet<NodeId>;
  readonly challenge: Readonly<Challenge> | null;
  readonly campaign: Campaign | null;
  readonly leadership: Leadership | null;
  /** After handing over to an ID that did not take over, not again before this time. */
  readonly preemptionBackoff: ReadonlyMap<NodeId, number>;
  /** The last election this node saw won (its own or a coordinator's announcement). */
  readonly lastElection: ElectionWon | null;
  /** Campaigns in a row that failed with nobody outranking this node (the back-off's exponent). */
  readonly failedCampaigns: number;

  /** When a coordinator no quorum has acknowledged yet steps down (check-quorum before its first lease). */
  firstAcksDueMs(leadership: Leadership, nowMs: number): number;
  /** Our own multicast has come back to us at least once (multicast loopback works here). */
  readonly readsOwnLoopback: boolean;

  holdsPromise(nowMs: number): boolean;
  /**
   * While our queue drains after a stall of ours (our own timer came later than the answer
   * timeout): the time of the last input before it, after which what is read now was sent, give
   * or take a network delay. Null otherwise.
   */
  queuedSinceMs(nowMs: number): number | null;
  hasLease(nowMs: number): boolean;
  knownLeader(nowMs: number): NodeId | null;
  isQuarantined(nowMs: number): boolean;
  hasDuplicateAlarm(nowMs: number): boolean;
  /** IDs this node lately heard from two live processes, for its heartbeats' `twins` (empty: none). */
  twinsTold(nowMs: number): NodeId[];
  canLead(nowMs: number): boolean;
  quorumHave(nowMs: number): number;
  higherEligible(nowMs: number, above: NodeId, skip?: ReadonlySet<NodeId>): NodeId[];
  isSettlingColdStart(nowMs: number): boolean;
  /** How long to wait for a reply a calm LAN brings within `baseMs`: twice the recent round trips, at most a timeout more. */
  replyWaitMs(baseMs: number, nowMs: number): number;
  /** The latest time peer `id` is surely known to have been alive (not queued behind our stall). */
  knownAliveAtMs(id: NodeId): number;
}

/**
 * The transitions a role may ask of its node: the only writers of its state. Those that change
 * the term or the vote mark it for the next Ready themselves (./state/durable.ts).
 */
export interface NodeTransitions {
  /** A reply came to a request sent at `sentAtMs`: one more sample of the round trip (replyWaitMs). */
  noteRoundTrip(sentAtMs: number, nowMs: number): void;
  /** Adopts `term` if higher (forgetting the vote and the coordinator), and follows. */
  becomeFollower(term: number, reason: DemotionReason | ResignReason): void;
  becomeCandidate(campaign: Campaign): void;
  /** The candidate's real vote: the next term, voting for itself. */
  enterNextTerm(): void;
  /** Won: leads with `leadership`, and records the election as won. */
  becomeLeader(leadership: Leadership): void;
  /** Persists the vote; the Ready that carries the grant also carries the state to write first. */
  grantVote(candidate: NodeId, candidateBoot: number, nowMs: number): void;
  /**
   * Follows `leader` of `term`, promising no vote to anyone else until `promiseUntilMs`, and
   * naming it until `namedUntilMs`. Neither moves back for the same coordinator and term.
   */
  followCoordinator(leader: NodeId, leaderBoot: number, term: number, promiseUntilMs: number, namedUntilMs: number): void;
  /** Keeps the promise to the coordinator we follow until at least `promiseUntilMs`, naming it no longer. */
  keepPromise(promiseUntilMs: number): void;
  /** A coordinator announced its election. */
  witnessElection(election: ElectionWon): void;
  /** The coordinator of `term`, process `resignedBoot`, resigned: its promise no longer binds (./voting.ts). */
  releasePromise(term: number, resignedBoot: number): void;
  /** The same, announced by the coordinator itself; the next election has `cause`; it named `successor`. */
  acceptResignation(term: number, resignedBoot: number, cause: ElectionCause, successor: NodeId | null): void;
  /** The coordinator's lease ran out here: the next election is a failover. */
  loseCoordinator(): void;
  /** A Bully challenge to the higher IDs went out. */
  startChallenge(challenge: Challenge): void;
  /** Sends Bully's `Election` to `to` (higher IDs); their answers time the round trip. */
  sendChallenge(to: readonly NodeId[], cause: ElectionCause, nowMs: number): void;
  /** A higher ID answered or outranked us: wait for its coordinator message until `untilMs`. */
  deferToHigher(untilMs: number): void;
  /** `id` is alive after all (it answered late, or asked for our vote): challenge it again, do not skip it. */
  unskip(id: NodeId): void;
  /** The challenge went unanswered: skip those IDs in this election. */
  skipUnanswered(ids: Iterable<NodeId>): void;
  /** No coordinator came in time: the next attempt starts from a fresh view. */
  endDeference(): void;
  /** A lost campaign: no new one before `untilMs`. */
  backOff(untilMs: number): void;
  /** One more campaign in a row failed with nobody outranking this node. */
  noteFailedCampaign(): void;
  /** Drops the lease first, then announces it; followers may then vote at once. */
  resignLeadership(reason: ResignReason, successor: NodeId | null): void;
  /** Hands over to `successor`, and not again to it before `notAgainBeforeMs`. */
  preemptFor(successor: NodeId, notAgainBeforeMs: number): void;
}

/** How a role speaks: messages out and events reported, in order. They change no state. */
export interface NodeOutbox {
  send(to: NodeId, body: Body): void;
  /** `greets`: an early beat that only greets these peers (Outgoing.greets). */
  broadcast(body: Body, greets?: readonly NodeId[]): void;
  emit(event: CoreEvent): void;
}

/** A role's whole view of its node. */
export interface RoleContext extends NodeView, NodeTransitions, NodeOutbox {
  /** The voter's rules (./voting.ts), through the node so that a test's hook may break them (node.ts, CoreHooks). */
  decideVote(request: VoteRequest, nowMs: number): VoteDecision;
}
