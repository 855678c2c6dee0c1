import { ChangeReport } from './change-report.ts';
import { silenceLimitMs, type ElectionConfig } from './config.ts';
import type { CoreEvent, DemotionReason } from './events.ts';
import {
  ElectionCause,
  MAX_TWINS_TOLD,
  RejectReason,
  ResignReason,
  Role,
  type Body,
  type Message,
  type NodeId,
  type Outgoing,
  type VoteRequest,
} from './messages.ts';
import { PeerTable, type PeerView } from './peers.ts';
import { quorumSize } from './quorum.ts';
import { RoundTripGauge } from './round-trip.ts';
import type { RoleContext } from './role-context.ts';
import { ownRequestWaitUntilMs, readOwnRequestBack, stepCandidate, tickCandidate } from './roles/candidate.ts';
import { stepFollower, tickFollower } from './roles/follower.ts';
import { sendHeartbeat, stepLeader, tickLeader } from './roles/leader.ts';
import type { Campaign } from './state/campaign.ts';
import type { Challenge } from './state/challenge.ts';
import { DurableState, type PersistentState } from './state/durable.ts';
import type { ElectionWon } from './state/election-won.ts';
import type { Leadership } from './state/leadership.ts';
import type { NamedSuccessor } from './state/named-successor.ts';
import type { NodeSnapshot } from './state/snapshot.ts';
import { buildStatus, type NodeStatus } from './status.ts';
import { MAX_TERM, mayAdoptTerm, offeredTerm } from './terms.ts';
import type { VoteDecision } from './vote-decision.ts';
import { answerChallenge, citesPromisedResignation, decideVote, handleVoteRequest, rejectVote } from './voting.ts';

/**
 * The output of one or more inputs (etcd raft's Ready): first persist `persist` durably if it is
 * not null, then send `messages`, then report `events`.
 */
export interface Ready {
  persist: PersistentState | null;
  messages: Outgoing[];
  events: CoreEvent[];
}

/** A reply is waited for this many of the longest recent round trips (one for slack, as TCP's RTO has). */
const REPLY_WAIT_ROUND_TRIPS = 2;
/** Round trips are remembered for one to two windows of this many timeouts. */
const ROUND_TRIP_WINDOW_TIMEOUTS = 2;
/** Greeting or news beats allowed between two regular beats (docs/protocol.md, "Rates"). */
const EARLY_BEATS_MAX = 2;

/**
 * After an early beat (a greeting, news), the next regular one comes at this share of the
 * interval, drawn from [½, 1): periodic messages started by one event stay in step (Floyd and
 * Jacobson, "The Synchronization of Periodic Routing Messages"), and 50 member beats landing
 * within the same 100 ms every second queued seconds of datagrams on a saturated core. Never
 * later than announced, so no peer times the node out early.
 */
function desyncedShare(random: Random): number {
  return 0.5 + 0.5 * random();
}

/**
 * How late a regular beat may run, as a share of its interval, before the next is drawn early:
 * timers late behind a busy CPU run together when it frees, and nodes that beat from then on
 * every interval stay in step (seed 5 of 100: 80 of 100 beats within 35 ms of every 100).
 */
const LATE_BEAT_SHARE = 0.1;

/** A late beat's next interval: in [¾, 1) of it, so nodes drift apart, never later than announced. */
function lateShare(random: Random): number {
  return 0.75 + 0.25 * random();
}

/** `atMs` if it is after `nowMs` and before `nextMs`, else `nextMs`: one step of finding the next deadline. */
function earlierAfter(nextMs: number, atMs: number, nowMs: number): number {
  return atMs > nowMs && atMs < nextMs ? atMs : nextMs;
}

/** A source of uniform numbers in [0, 1); the simulator passes a seeded one. */
export type Random = () => number;

/**
 * A deliberate seam for tests, and the only one (test/helpers/broken-cores.ts): each hook sees
 * what the node's rule decided and may change it, so that the simulator's checkers can be shown
 * a broken voter. Real nodes pass none; the package does not export it.
 */
export interface CoreHooks {
  /** After the voter's rules (./voting.ts) decided on `request`. */
  decideVote?(decided: VoteDecision, request: VoteRequest, nowMs: number): VoteDecision;
  /** After the node worked out whether the promise it gave a coordinator binds it at `nowMs`. */
  holdsPromise?(holds: boolean, nowMs: number): boolean;
}

/** What an election core is built from (not the library's NodeOptions, which a running node is started with). */
export interface ElectionNodeOptions {
  id: NodeId;
  /** A resolved, validated configuration (resolveConfig). */
  config: ElectionConfig;
  /** Random per process start, below 2^53. */
  bootId: number;
  /** The local monotonic clock at start, in milliseconds. */
  nowMs: number;
  /** What the previous process persisted, or null on first start. */
  persisted: PersistentState | null;
  random: Random;
  /** Tests only: the seam above. */
  hooks?: CoreHooks;
}

type StepFunction = (node: RoleContext, message: Message, nowMs: number) => void;
type TickFunction = (node: RoleContext, nowMs: number) => void;

/**
 * One node's election state machine: pure and deterministic. Inputs are `tick(nowMs)`,
 * `step(message, nowMs)` and the commands `resign` and `leave`; outputs come from `ready()`.
 * Time is the node's own monotonic clock in milliseconds; it never goes backwards.
 *
 * Its state is private: the roles in ./roles read it through getters (./role-context.ts) and
 * change it only through the transitions below; observers outside the core read `inspect()`.
 */
export class ElectionNode implements RoleContext {
  readonly id: NodeId;
  readonly config: ElectionConfig;
  readonly bootId: number;
  readonly quorum: number;
  readonly random: Random;
  readonly #hooks: CoreHooks;
  readonly #peers: PeerTable;
  readonly #voterIds: ReadonlySet<NodeId>;
  /** How many voters have a higher ID than this node: those a cold start waits for. */
  readonly #votersAbove: number;
  readonly #highestVoter: NodeId;

  // Persistent state: the term and the vote.
  readonly #durable: DurableState;

  // Volatile state (described on the getters of ./role-context.ts).
  #role: Role = Role.Follower;
  #leader: NodeId | null = null;
  #promiseUntilMs = 0;
  /** The coordinator is named until then: a timeout from its latest round's sending, as far as its stamp tells (./transit.ts). */
  #namedUntilMs = 0;
  #promisedLeader: NodeId | null = null;
  #promisedTerm = 0;
  /** The boot of the coordinator process the promise was given to (0: none). */
  #promisedBoot = 0;
  #releasedTerm = 0;
  /** The boot of the process that resigned `#releasedTerm` (0: not known). */
  #releasedBoot = 0;
  #namedSuccessor: NamedSuccessor | null = null;
  #electionCause: ElectionCause = ElectionCause.ColdStart;
  #campaignNotBeforeMs: number;
  readonly #quarantineUntilMs: number;
  /** After a requested resignation, this node does not campaign before this time. */
  #holdOffUntilMs = 0;
  /** The end of the damping part of a hold-off: following a newer coordinator shortens it to this. */
  #holdOffDampingUntilMs = 0;
  /** Another process with this ID was heard; no leading, no voting before this time. */
  #duplicateUntilMs = 0;
  /**
   * Peer IDs lately heard from two live processes (the wire dropped one's datagrams as an
   * impostor's), each until when our heartbeats name it: at most MAX_TWINS_TOLD.
   */
  readonly #twinsUntilMs = new Map<NodeId, number>();
  /** An ID joined `#twinsUntilMs` since the last heartbeat: the next one comes early (beatIfNews). */
  #twinsNews = false;
  #nextHeartbeatMs: number;
  /** When the next beat is due by the rate alone; a greeting or news may come before it. */
  #regularBeatMs = 0;
  /** Greetings and news beats sent since the last regular beat (mayBeatEarly). */
  #earlyBeats = 0;
  /** The interval the last heartbeat announced; a faster need sends the next one at once. */
  #beatIntervalMs: number;
  /** When the last heartbeat left, and the `can_lead` it said; news is told at once (beatIfNews). */
  #lastBeatMs = -Infinity;
  #announcedCanLead = false;
  /** A peer died or left since the last heartbeat: its `hears` is out of date. */
  #hearsNews = false;
  /** Peers heard for the first time (or anew) since the last beat, which an early beat greets. */
  #greetees: NodeId[] = [];
  /** When the next input is due at the latest (a timer); an input much later means we were stalled. */
  #idleUntilMs: number;
  /** Silence up to this time has been excused already as our own stall (with its grace). */
  #excusedUntilMs = 0;
  /** When the last stall began: what is read before `#excusedUntilMs` may have been sent then. */
  #stallBeganMs = 0;
  /** The last input before that stall: what is read before `#excusedUntilMs` was sent after it (give or take a delay). */
  #queuedSinceMs = 0;
  /** How long our requests have lately taken to be answered (replyWaitMs). */
  readonly #roundTrips: RoundTripGauge;
  /** Our own multicast has come back at least once: its return can be waited for. */
  #readsOwnLoopback = false;
  /** When a peer was last heard for the first time since boot; a cold start waits for joins to settle. */
  #lastJoinMs: number;
  #challenge: Challenge | null = null;
  #waitCoordinatorUntilMs = 0;
  readonly #skip = new Set<NodeId>();
  /** When each higher ID was last challenged and has not answered since: its answer times a round trip. */
  readonly #challengedAtMs = new Map<NodeId, number>();
  #campaign: Campaign | null = null;
  readonly #preemptionBackoff = new Map<NodeId, number>();
  #leadership: Leadership | null = null;
  #lastElection: ElectionWon | null = null;
  #stopped = false;
  /** Campaigns in a row that failed with nobody outranking this node; the back-off grows with it. */
  #failedCampaigns = 0;
  #nowMs: number;

  #stepRole: StepFunction = stepFollower;
  #tickRole: TickFunction = tickFollower;
  #outbox: Outgoing[] = [];
  #events: CoreEvent[] = [];
  readonly #changes: ChangeReport;

  constructor(options: ElectionNodeOptions) {
    const { id, config, bootId, nowMs, persisted } = options;
    this.id = id;
    this.config = config;
    this.bootId = bootId;
    this.random = options.random;
    this.#hooks = options.hooks ?? {};
    this.#voterIds = new Set(config.voters);
    if (!this.#voterIds.has(id)) {
      throw new RangeError(`node ID ${id} is not in the voter set ${config.voters.join(',')}`);
    }
    this.quorum = quorumSize(config.voters.length);
    this.#votersAbove = config.voters.filter((voter) => voter > id).length;
    this.#highestVoter = Math.max(...config.voters);
    this.#peers = new PeerTable(config);
    this.#roundTrips = new RoundTripGauge(ROUND_TRIP_WINDOW_TIMEOUTS * config.timeoutMs);
    this.#nowMs = nowMs;
    this.#durable = new DurableState(persisted);
    // A restarted node may have acknowledged a lease just before it died; its promise died with
    // its memory, so it keeps the promise's worst case instead. A node that never had a term
    // never acknowledged anything.
    this.#quarantineUntilMs = this.term > 0 ? nowMs + config.timeoutMs : nowMs;
    // Listen briefly before claiming: an existing coordinator answers our first heartbeat with a
    // lease round at once; nodes starting with us are waited for by the cold-start settle rule.
    this.#campaignNotBeforeMs = nowMs + config.answerTimeoutMs;
    this.#nextHeartbeatMs = nowMs;
    this.#beatIntervalMs = config.heartbeatMs;
    this.#lastJoinMs = nowMs;
    this.#idleUntilMs = nowMs;
    this.#changes = new ChangeReport({ role: this.#role, term: this.term, leader: null, leaseValid: false });
  }

  // ---- State, read-only ----

  get peers(): PeerView { return this.#peers; }
  get term(): number { return this.#durable.term; }
  get votedFor(): NodeId | null { return this.#durable.votedFor; }
  get votedForBoot(): number { return this.#durable.votedForBoot; }
  get spentThroughTerm(): number { return this.#durable.spentThroughTerm; }
  get nextCampaignTerm(): number { return this.#durable.nextCampaignTerm; }
  get role(): Role { return this.#role; }
  get leader(): NodeId | null { return this.#leader; }
  get promiseUntilMs(): number { return this.#promiseUntilMs; }
  get namedUntilMs(): number { return this.#namedUntilMs; }
  get promisedLeader(): NodeId | null { return this.#promisedLeader; }
  get promisedTerm(): number { return this.#promisedTerm; }
  get promisedBoot(): number { return this.#promisedBoot; }
  get releasedTerm(): number { return this.#releasedTerm; }
  get releasedBoot(): number { return this.#releasedBoot; }
  get namedSuccessor(): NamedSuccessor | null { return this.#namedSuccessor; }
  get electionCause(): ElectionCause { return this.#electionCause; }
  get campaignNotBeforeMs(): number { return this.#campaignNotBeforeMs; }
  get quarantineUntilMs(): number { return this.#quarantineUntilMs; }
  get waitCoordinatorUntilMs(): number { return this.#waitCoordinatorUntilMs; }
  get skip(): ReadonlySet<NodeId> { return this.#skip; }
  get challenge(): Readonly<Challenge> | null { return this.#challenge; }
  get campaign(): Campaign | null { return this.#campaign; }
  get leadership(): Leadership | null { return this.#leadership; }
  get preemptionBackoff(): ReadonlyMap<NodeId, number> { return this.#preemptionBackoff; }
  get lastElection(): ElectionWon | null { return this.#lastElection; }
  get failedCampaigns(): number { return this.#failedCampaigns; }
  get readsOwnLoopback(): boolean { return this.#readsOwnLoopback; }

  // ---- Inputs ----

  /**
   * Advances the clock: fires due timers (heartbeats, timeouts, lease expiry). Every input uses
   * the advanced clock, so a time earlier than one already seen changes nothing.
   */
  tick(nowMs: number): void {
    if (this.#stopped) return;
    this.advance(nowMs);
    this.observe();
  }

  /** Handles one received message. Timers due by `nowMs` fire first. */
  step(message: Message, nowMs: number): void {
    if (this.#stopped) return;
    this.advance(nowMs);
    this.receive(message, this.#nowMs);
    this.beatIfFaster(this.#nowMs);
    this.beatIfNews(this.#nowMs);
    this.observe();
  }

  /** Gives up leadership now (a no-op unless leader); the successor is elected at once. */
  resign(reason: ResignReason, nowMs: number): void {
    if (this.#stopped) return;
    this.advance(nowMs);
    if (this.#role === Role.Leader) {
      this.resignLeadership(reason, this.handoverTarget(this.#nowMs));
      // Without a hold-off the highest ID would simply win again.
      if (reason === ResignReason.Requested) {
        // At least until its successor leads (it then follows it), at most a timeout beyond the
        // damping: with dampingMs 0 the resigner campaigned at once against the successor it had
        // named, split the vote and cost a timeout (found by the simulator's per-cause L1 bounds).
        this.#holdOffDampingUntilMs = this.#nowMs + this.config.dampingMs;
        this.#holdOffUntilMs = this.#nowMs + Math.max(this.config.dampingMs, this.config.timeoutMs);
      }
    }
    this.beatIfFaster(this.#nowMs);
    this.observe();
  }

  /**
   * The wire dropped a datagram of voter `id` as an impostor's: two live processes speak for that
   * ID, and this node takes only one of them. Its heartbeats name the ID for as long as the other
   * counts as alive after its last datagram, so that a process of that ID reading them raises its
   * duplicate-ID alarm even where the two cannot hear each other (unicast only: docs/protocol.md,
   * "Restarts, duplicates, leaving"). A new ID is told at once, as news.
   */
  hearImpostor(id: NodeId, nowMs: number): void {
    if (this.#stopped) return;
    this.advance(nowMs);
    this.noteTwins(id, this.#nowMs);
    this.beatIfNews(this.#nowMs);
    this.observe();
  }

  /** Resigns if leader and tells the peers this node is leaving. No input is taken afterwards. */
  leave(nowMs: number): void {
    if (this.#stopped) return;
    this.advance(nowMs);
    if (this.#role === Role.Leader) this.resignLeadership(ResignReason.Stopping, this.handoverTarget(this.#nowMs));
    this.broadcast({ type: 'leave' });
    this.observe();
    this.#stopped = true;
  }

  /** Drains what the inputs so far produced. */
  ready(): Ready {
    const ready: Ready = {
      persist: this.#durable.takeUnsaved(),
      messages: this.#outbox,
      events: this.#events,
    };
    this.#outbox = [];
    this.#events = [];
    return ready;
  }

  // ---- Queries ----

  /** True while this node may act as coordinator: it leads and a quorum backs its lease. */
  hasLease(nowMs: number): boolean {
    return this.#leadership !== null && nowMs < this.#leadership.leaseUntilMs;
  }

  /** The coordinator this node knows to hold a valid lease, or null: at most a promise past that lease (docs/protocol.md, State). */
  knownLeader(nowMs: number): NodeId | null {
    if (this.#role === Role.Leader) return this.hasLease(nowMs) ? this.id : null;
    return this.#leader !== null && nowMs < this.#namedUntilMs ? this.#leader : null;
  }

  holdsPromise(nowMs: number): boolean {
    const holds = nowMs < this.#promiseUntilMs;
    return this.#hooks.holdsPromise === undefined ? holds : this.#hooks.holdsPromise(holds, nowMs);
  }

  queuedSinceMs(nowMs: number): number | null {
    return nowMs < this.#excusedUntilMs ? this.#queuedSinceMs : null;
  }

  /**
   * Whether `message` keeps to the term bound (./terms.ts); one that does not is dropped before
   * it touches any state, and the driver counts it.
   */
  acceptsTerm(message: Message): boolean {
    return mayAdoptTerm(this.term, offeredTerm(message));
  }

  isVoter(id: NodeId): boolean {
    return this.#voterIds.has(id);
  }

  isQuarantined(nowMs: number): boolean {
    return nowMs < this.#quarantineUntilMs;
  }

  hasDuplicateAlarm(nowMs: number): boolean {
    return nowMs < this.#duplicateUntilMs;
  }

  /**
   * The IDs our heartbeats name in `twins`: heard from a second process lately, while the one we
   * took for that ID is alive too. Once that one is silent, the wire takes the other: no twins.
   */
  twinsTold(nowMs: number): NodeId[] {
    if (this.#twinsUntilMs.size === 0) return [];
    const ids: NodeId[] = [];
    for (const [id, untilMs] of this.#twinsUntilMs) {
      const taken = this.#peers.get(id);
      if (nowMs < untilMs && taken !== undefined && this.#peers.isAlive(taken, nowMs)) ids.push(id);
      else this.#twinsUntilMs.delete(id);
    }
    return ids.sort((a, b) => a - b);
  }

  /** Voters (this node included) that this node counts toward a quorum right now. */
  quorumHave(nowMs: number): number {
    if (this.#leadership !== null) {
      let acked = 1;
      for (const at of this.#leadership.ackedRoundSentMs.values()) if (nowMs - at < this.config.timeoutMs) acked++;
      return acked;
    }
    return 1 + this.#peers.aliveCount(nowMs);
  }

  /** Whether this node could campaign now, as it advertises in its heartbeats. */
  canLead(nowMs: number): boolean {
    return (
      !this.#stopped &&
      this.nextCampaignTerm <= MAX_TERM &&
      !this.isQuarantined(nowMs) &&
      !this.hasDuplicateAlarm(nowMs) &&
      nowMs >= this.#holdOffUntilMs &&
      1 + this.#peers.aliveCount(nowMs) >= this.quorum
    );
  }

  /**
   * Peers above `above` that could lead and hear this node (a link both ways), highest first:
   * the Bully order. `skip` lists IDs a candidate challenged without an answer.
   */
  higherEligible(nowMs: number, above: NodeId, skip: ReadonlySet<NodeId> = new Set()): NodeId[] {
    const ids: NodeId[] = [];
    // Peers are voters: above the highest there is nobody, and a coordinator with the highest ID
    // asks on every input (preemption) while 99 acknowledgements a round come in.
    if (above >= this.#highestVoter) return ids;
    for (const peer of this.#peers.all()) {
      if (peer.id <= above || skip.has(peer.id)) continue;
      if (!this.#peers.isAlive(peer, nowMs) || !peer.canLead) continue;
      if (!peer.hears.has(this.id) || peer.hears.size + 1 < this.quorum) continue;
      ids.push(peer.id);
    }
    return ids.sort((a, b) => b - a);
  }

  /**
   * A new coordinator that no quorum has acknowledged yet steps down a timeout after winning, or
   * as long as a reply takes on a loaded machine: it holds no lease meanwhile, so waiting longer
   * costs nothing but refusing candidates (a 100-node coordinator stepped down while its 99
   * acknowledgements waited in its queue).
   */
  firstAcksDueMs(leadership: Leadership, nowMs: number): number {
    return leadership.electedAtMs + this.replyWaitMs(this.config.timeoutMs, nowMs);
  }

  /** When this coordinator's lease ends, or would end if no quorum acknowledges its first round. */
  leaseEndMs(): number {
    const leadership = this.#leadership;
    if (leadership === null) return this.#nowMs;
    return leadership.leaseUntilMs > 0 ? leadership.leaseUntilMs : this.firstAcksDueMs(leadership, this.#nowMs);
  }

  /** The earliest local time at which `tick` has something to do. */
  nextDeadlineMs(): number {
    // Without an array of them: this runs twice after every input.
    const now = this.#nowMs;
    let next = this.#nextHeartbeatMs;
    next = earlierAfter(next, this.#promiseUntilMs, now);
    next = earlierAfter(next, this.#namedUntilMs, now);
    next = earlierAfter(next, this.#campaignNotBeforeMs, now);
    next = earlierAfter(next, this.#quarantineUntilMs, now);
    next = earlierAfter(next, this.#holdOffUntilMs, now);
    next = earlierAfter(next, this.#duplicateUntilMs, now);
    next = earlierAfter(next, this.#waitCoordinatorUntilMs, now);
    next = earlierAfter(next, this.#challenge?.deadlineMs ?? 0, now);
    next = earlierAfter(next, this.#campaign?.deadlineMs ?? 0, now);
    next = earlierAfter(next, this.#campaign?.resendAtMs ?? 0, now);
    next = earlierAfter(next, this.#campaign === null ? 0 : ownRequestWaitUntilMs(this, this.#campaign, now), now);
    next = earlierAfter(next, this.#leadership?.leaseUntilMs ?? 0, now);
    next = earlierAfter(next, this.#leadership === null ? 0 : this.firstAcksDueMs(this.#leadership, now), now);
    if (this.#campaign !== null) for (const at of this.#campaign.deferred.values()) next = earlierAfter(next, at, now);
    if (this.isSettlingColdStart(now)) next = earlierAfter(next, this.#lastJoinMs + this.coldStartSettleMs(now), now);
    // The peers' deadlines: the table keeps them between inputs.
    next = Math.min(next, this.#peers.nextDeadlineMs(now));
    return Math.max(next, now);
  }

  /**
   * The rate this node beats at (docs/protocol.md, "Rates"): fast only while it leads (every beat
   * is a lease round), slow otherwise. A candidate or a follower without a coordinator used to
   * beat fast for fresher views; news beats (can_lead, hears) now carry what Bully reads at once,
   * and 40 candidates beating fast to 49 peers each were most of a saturated core (issue 22).
   */
  heartbeatIntervalMs(): number {
    return this.#role === Role.Leader ? this.config.heartbeatMs : this.config.memberBeatMs;
  }

  /**
   * How long to wait for a reply that a calm machine brings within `baseMs`: at least twice the
   * longest round trip seen lately, at most a timeout more than `baseMs`. On a calm LAN round
   * trips are a few milliseconds and this is `baseMs`; on a saturated machine a slow peer is not
   * taken for a dead one (docs/protocol.md, "Bully under load").
   */
  replyWaitMs(baseMs: number, nowMs: number): number {
    const needMs = REPLY_WAIT_ROUND_TRIPS * this.#roundTrips.recentMs(nowMs);
    return Math.min(Math.max(baseMs, needMs), baseMs + this.config.timeoutMs);
  }

  noteRoundTrip(sentAtMs: number, nowMs: number): void {
    this.#roundTrips.record(nowMs, nowMs - sentAtMs);
  }

  /**
   * How long a cold start waits after the last newcomer: a timeout, and on a loaded machine as
   * long as a reply takes, since the beats that say the higher IDs can lead by now are queued
   * behind the ones we read (13 of 50 nodes campaigned on views 3 s old, issue 22).
   */
  private coldStartSettleMs(nowMs: number): number {
    return this.replyWaitMs(this.config.timeoutMs, nowMs);
  }

  /**
   * A cluster starting together elects its highest ID without churn: a node that has never known
   * a coordinator, and does not yet hear every voter above it (or hears one not yet able to lead),
   * waits until no new peer joined for a timeout. Lower voters do not matter to who should win:
   * the highest voter of all never waits, and one whose greeting was lost in a full queue no
   * longer holds back the rest (100 nodes: the highest campaigned 3.6 s after the last start).
   */
  isSettlingColdStart(nowMs: number): boolean {
    if (this.#electionCause !== ElectionCause.ColdStart || nowMs >= this.#lastJoinMs + this.coldStartSettleMs(nowMs)) return false;
    const higherAlive = this.#peers.aliveCount(nowMs, this.id);
    if (higherAlive < this.#votersAbove) return true;
    // Everyone above is up; still wait while one is too new to hear us and a quorum.
    return this.higherEligible(nowMs, this.id).length < higherAlive;
  }

  /**
   * Whom a coordinator that gives up names as its successor: the one Bully would elect, the
   * highest peer that could lead, among those whose acknowledgements are fresh. Named, it asks
   * for votes at once, without a pre-vote. Null: nobody fits, and Bully decides as after a failure.
   */
  handoverTarget(nowMs: number): NodeId | null {
    const fresh = this.higherEligible(nowMs, 0).find((id) => nowMs - this.knownAliveAtMs(id) <= 2 * this.config.heartbeatMs);
    return fresh ?? null;
  }

  /**
   * The latest time peer `id` is known to have been alive: when we heard it, unless that message
   * may have waited in our queue behind a stall of ours, or when it was sent a lease round it
   * acknowledged (a coordinator woken from a 700 ms stall named a follower dead meanwhile).
   */
  knownAliveAtMs(id: NodeId): number {
    const heardMs = this.#peers.get(id)?.knownAliveAtMs ?? -Infinity;
    return Math.max(heardMs, this.#leadership?.ackedRoundSentMs.get(id) ?? -Infinity);
  }

  /** The voter's rules (./voting.ts), through the test seam (CoreHooks). */
  decideVote(request: VoteRequest, nowMs: number): VoteDecision {
    const decided = decideVote(this, request, nowMs);
    return this.#hooks.decideVote === undefined ? decided : this.#hooks.decideVote(decided, request, nowMs);
  }

  status(nowMs: number): NodeStatus {
    return buildStatus(this, nowMs, this.#changes.leaderSinceMs);
  }

  /** What an observer outside the core may know of this node at `nowMs` (the simulator's checkers). */
  inspect(nowMs: number): NodeSnapshot {
    return {
      id: this.id,
      role: this.#role,
      term: this.term,
      votedFor: this.votedFor,
      knownLeader: this.knownLeader(nowMs),
      leaseUntilMs: this.#leadership !== null && this.hasLease(nowMs) ? this.#leadership.leaseUntilMs : null,
      leaseEndMs: this.#leadership === null ? null : this.leaseEndMs(),
      promisedLeader: this.#promisedLeader,
      promisedTerm: this.#promisedTerm,
      promiseUntilMs: this.#promiseUntilMs,
    };
  }

  // ---- Transitions (./role-context.ts says what each means); the only writers of the state ----

  becomeFollower(term: number, reason: DemotionReason | ResignReason): void {
    // The coordinator of a new term is not known yet; any promise already given stands.
    if (this.#durable.adoptTerm(term)) this.#leader = null;
    if (this.#role === Role.Leader) this.#changes.noteDemotion(reason);
    this.#role = Role.Follower;
    this.#campaign = null;
    this.#leadership = null;
    this.#stepRole = stepFollower;
    this.#tickRole = tickFollower;
  }

  becomeCandidate(campaign: Campaign): void {
    this.#role = Role.Candidate;
    this.#challenge = null;
    this.#campaign = campaign;
    this.#stepRole = stepCandidate;
    this.#tickRole = tickCandidate;
  }

  enterNextTerm(): void {
    this.#durable.enterNextTerm(this.id, this.bootId);
    this.#leader = null;
  }

  becomeLeader(leadership: Leadership): void {
    this.#role = Role.Leader;
    this.#leader = this.id;
    this.#campaign = null;
    this.#challenge = null;
    this.#skip.clear();
    this.#failedCampaigns = 0;
    this.#electionCause = ElectionCause.Failover; // a cold start ends with its first coordinator
    this.#leadership = leadership;
    // The coordinator message is round 1 and the next round is a heartbeat away, announcing the
    // fast rate: no extra beat now (peers keep the slower limit until then, the safe direction).
    this.#beatIntervalMs = this.config.heartbeatMs;
    this.#lastElection = { term: this.term, leader: this.id, cause: leadership.cause, votedBy: leadership.votedBy };
    // The coordinator message is the first lease round; the next one is a heartbeat away.
    this.#nextHeartbeatMs = leadership.electedAtMs + this.config.heartbeatMs;
    this.#stepRole = stepLeader;
    this.#tickRole = tickLeader;
  }

  grantVote(candidate: NodeId, candidateBoot: number, nowMs: number): void {
    this.#durable.grantVote(candidate, candidateBoot);
    // Raft's rule: granting a vote restarts the voter's own election timer. The candidate we just
    // voted for gets its timeout to announce before we campaign against it (found by the
    // simulator: a voter still skipping that candidate from an earlier challenge campaigned at
    // once and deposed it).
    this.#skip.delete(candidate);
    this.#waitCoordinatorUntilMs = Math.max(this.#waitCoordinatorUntilMs, nowMs + this.config.timeoutMs);
  }

  followCoordinator(leader: NodeId, leaderBoot: number, term: number, promiseUntilMs: number, namedUntilMs: number): void {
    const same = this.#leader === leader && this.#promisedTerm === term;
    this.#promisedBoot = leaderBoot;
    this.#leader = leader;
    this.#promiseUntilMs = Math.max(same ? this.#promiseUntilMs : 0, promiseUntilMs);
    this.#namedUntilMs = Math.max(same ? this.#namedUntilMs : 0, Math.min(namedUntilMs, this.#promiseUntilMs));
    this.#promisedLeader = leader;
    this.#promisedTerm = term;
    this.#challenge = null;
    this.#waitCoordinatorUntilMs = 0;
    this.#skip.clear();
    this.#failedCampaigns = 0;
    // The successor of a requested resignation leads: only the damping is left of the hold-off.
    if (leader !== this.id && this.#holdOffUntilMs > this.#holdOffDampingUntilMs) this.#holdOffUntilMs = Math.max(this.#holdOffDampingUntilMs, this.#nowMs);
    // A cold start ends with the first coordinator: the next election is a failover unless a
    // resignation says otherwise. Set only on losing the coordinator, it stuck when a higher term
    // forgot the coordinator before its promise ran out (slow beats, cold-start settling).
    this.#electionCause = ElectionCause.Failover;
  }

  keepPromise(promiseUntilMs: number): void {
    this.#promiseUntilMs = Math.max(this.#promiseUntilMs, promiseUntilMs);
  }

  witnessElection(election: ElectionWon): void {
    this.#lastElection = election;
  }

  /**
   * Forgets the promise, ignores the coordinator's older rounds, and stops counting it as
   * eligible (Bully) until its own heartbeat says otherwise.
   */
  releasePromise(term: number, resignedBoot: number): void {
    if (term >= this.#releasedTerm) this.#releasedBoot = resignedBoot;
    if (term === this.#promisedTerm && this.#promisedLeader !== null) {
      const resigned = this.#peers.get(this.#promisedLeader);
      if (resigned !== undefined) resigned.canLead = false;
    }
    this.#promiseUntilMs = 0;
    this.#releasedTerm = Math.max(this.#releasedTerm, term);
    if (this.term === term) this.#leader = null;
  }

  acceptResignation(term: number, resignedBoot: number, cause: ElectionCause, successor: NodeId | null): void {
    this.releasePromise(term, resignedBoot);
    this.#electionCause = cause;
    this.#namedSuccessor = successor === null ? null : { term, id: successor };
  }

  loseCoordinator(): void {
    this.#leader = null;
    this.#electionCause = ElectionCause.Failover;
  }

  startChallenge(challenge: Challenge): void {
    this.#challenge = challenge;
  }

  sendChallenge(to: readonly NodeId[], cause: ElectionCause, nowMs: number): void {
    for (const id of to) {
      this.send(id, { type: 'election', cause });
      if (!this.#challengedAtMs.has(id)) this.#challengedAtMs.set(id, nowMs);
    }
    this.emit({ type: 'challenge-sent', to: [...to] });
  }

  deferToHigher(untilMs: number): void {
    this.#challenge = null;
    this.#waitCoordinatorUntilMs = untilMs;
  }

  skipUnanswered(ids: Iterable<NodeId>): void {
    this.#challenge = null;
    for (const id of ids) this.#skip.add(id);
  }

  unskip(id: NodeId): void {
    this.#skip.delete(id);
  }

  endDeference(): void {
    this.#waitCoordinatorUntilMs = 0;
    this.#skip.clear();
  }

  backOff(untilMs: number): void {
    this.#campaignNotBeforeMs = untilMs;
  }

  noteFailedCampaign(): void {
    this.#failedCampaigns++;
  }

  /**
   * The world changed (a coordinator, a win, a peer joined, restarted, died or left): failures
   * before it say nothing about the next campaign, which waits only what a first failure would.
   */
  private resetBackoff(): void {
    if (this.#failedCampaigns === 0) return;
    this.#failedCampaigns = 0;
    this.#campaignNotBeforeMs = Math.min(this.#campaignNotBeforeMs, this.#nowMs + this.config.heartbeatMs * (1 + this.random()));
  }

  resignLeadership(reason: ResignReason, successor: NodeId | null): void {
    const term = this.term;
    this.becomeFollower(term, reason);
    this.#leader = null;
    this.#releasedTerm = term;
    this.#releasedBoot = this.bootId;
    this.#namedSuccessor = successor === null ? null : { term, id: successor };
    this.broadcast({ type: 'resign', reason, successor });
  }

  preemptFor(successor: NodeId, notAgainBeforeMs: number): void {
    this.#preemptionBackoff.set(successor, notAgainBeforeMs);
    this.resignLeadership(ResignReason.Preempted, successor);
  }

  // ---- Output ----

  send(to: NodeId, body: Body): void {
    this.#outbox.push({ to, message: this.envelope(body, to) });
  }

  broadcast(body: Body, greets?: readonly NodeId[]): void {
    const message = this.envelope(body, 0);
    this.#outbox.push(greets === undefined ? { to: 'all', message } : { to: 'all', message, greets });
  }

  emit(event: CoreEvent): void {
    this.#events.push(event);
  }

  // ---- Internals ----

  private envelope(body: Body, to: NodeId): Message {
    const message = body as Message;
    message.from = this.id;
    message.bootId = this.bootId;
    message.term = this.term;
    message.to = to;
    message.sentAtMs = Math.max(0, Math.floor(this.#nowMs));
    return message;
  }

  private advance(nowMs: number): void {
    const previousMs = this.#nowMs;
    // A monotonic clock never goes back; a driver that says otherwise is ignored, not obeyed.
    if (nowMs > this.#nowMs) this.#nowMs = nowMs;
    const now = this.#nowMs;
    // Our own timer came this late: we were stalled, not our peers silent (docs/protocol.md,
    // "Failure detection"). On a starved machine this turned every pause into a wave of deaths
    // and rejoins, and a cold start of 50 nodes on 2 cores into an election storm.
    const lateMs = now - this.#idleUntilMs;
    if (lateMs > this.config.answerTimeoutMs) {
      // The answer timeout on top: what peers sent just before we woke is still queued behind this
      // input. Once per stall: a time already excused (the last late input's grace) is not again.
      const fromMs = Math.max(this.#idleUntilMs, this.#excusedUntilMs);
      if (this.#excusedUntilMs < this.#idleUntilMs) {
        this.#stallBeganMs = this.#idleUntilMs;
        this.#queuedSinceMs = previousMs;
      }
      this.#excusedUntilMs = now + this.config.answerTimeoutMs;
      this.#peers.excuse(this.#idleUntilMs, this.#excusedUntilMs - fromMs, now);
    }
    for (const { peer, change } of this.#peers.refresh(now)) {
      this.emit({ type: 'peer', peer, change });
      if (change === 'dead') {
        this.resetBackoff();
        this.#hearsNews = true;
      }
    }
    if (this.#duplicateUntilMs !== 0 && now >= this.#duplicateUntilMs) {
      this.#duplicateUntilMs = 0;
      this.emit({ type: 'alarm', alarm: 'duplicate-id', raised: false });
    }
    this.#tickRole(this, now);
    if (now >= this.#nextHeartbeatMs) this.beat(now);
    else this.beatIfFaster(now);
    this.beatIfNews(now);
  }

  /**
   * A node heard for the first time (or anew) learns of us without waiting for a slow beat: a
   * coordinator sends it a lease round at once, so that it follows instead of campaigning; a node
   * without a coordinator beats within a heartbeat interval, which gathers the joins of a whole
   * cold start.
   */
  private greet(peer: NodeId, nowMs: number): void {
    if (this.isSaturated(nowMs)) return;
    if (this.#role === Role.Leader) {
      this.beat(nowMs);
      return;
    }
    // A follower of a live coordinator greets nobody but it: the coordinator's round tells the
    // newcomer whom to follow, and the follower's regular beat, a member beat away, the rest.
    // Every follower greeting a node back from a partition at once sent 99 multicasts within a
    // heartbeat, 9,800 packets into a shared backlog of 1,000, and the coordinator's rounds and
    // acknowledgements were lost with them (seed 55 of 100 nodes: it lost its lease).
    const leader = this.knownLeader(nowMs);
    if (leader !== null && leader !== peer) return;
    if (this.mayBeatEarly()) {
      this.#nextHeartbeatMs = Math.min(this.#nextHeartbeatMs, nowMs + this.config.heartbeatMs);
      if (!this.#greetees.includes(peer)) this.#greetees.push(peer);
    }
  }

  /**
   * Whether our own datagrams lately took longer than a heartbeat to come back (a reply, or our
   * multicast through our own receive queue): the queues are long, so a greeting could not reach
   * the newcomer within the heartbeat it promises, and it would add a datagram to every peer's
   * queue. The regular beat, at most a member beat away, carries the same. Every node of a
   * 100-node boot storm greeting each burst of joins sent three beats a second where a settled
   * cluster sends one, on a machine the settled cluster keeps 80 % busy, and the queues held
   * seconds of datagrams after the last process listened (issue 22). On a calm machine round
   * trips are milliseconds and newcomers are greeted as before.
   */
  private isSaturated(nowMs: number): boolean {
    return this.#roundTrips.recentMs(nowMs) > this.config.heartbeatMs;
  }

  /**
   * Greetings and news come before the regular beat at most EARLY_BEATS_MAX times between two
   * regular beats: peers flapping between dead and joined (a saturated machine drops their beats)
   * made every node beat every heartbeat, 49 receivers each. Beyond it the regular beat, at most
   * a member beat away, carries the news.
   */
  private mayBeatEarly(): boolean {
    return this.#earlyBeats < EARLY_BEATS_MAX;
  }

  private beat(nowMs: number): void {
    // Early: a greeting or news, which every node sends within a heartbeat of the same join.
    const early = nowMs < this.#regularBeatMs;
    // The first beat of a process: processes started together (a boot storm, on a saturated
    // machine, where nobody greets) would otherwise beat in step for as long as they run. Its
    // spread comes from the boot ID, random already, so that the node's other draws (back-offs)
    // stay as they were.
    const first = this.#lastBeatMs === -Infinity;
    this.#earlyBeats = early ? this.#earlyBeats + 1 : 0;
    this.#beatIntervalMs = this.heartbeatIntervalMs();
    // An early beat with no news for everyone only greets (Outgoing.greets); a coordinator's is a lease round.
    const onlyGreets = early && this.#role !== Role.Leader && this.#greetees.length > 0 && !this.hasNews(nowMs);
    this.#announcedCanLead = sendHeartbeat(this, nowMs, this.#beatIntervalMs, onlyGreets ? this.#greetees : undefined);
    this.#greetees = [];
    const late = !early && !first && nowMs - this.#regularBeatMs > this.#beatIntervalMs * LATE_BEAT_SHARE;
    const share =
      this.#role === Role.Leader ? 1
      : early ? desyncedShare(this.random)
      : first ? desyncedShare(() => (this.bootId % 1024) / 1024)
      : late ? lateShare(this.random)
      : 1;
    this.#nextHeartbeatMs = nowMs + this.#beatIntervalMs * share;
    this.#regularBeatMs = this.#nextHeartbeatMs;
    this.#lastBeatMs = nowMs;
    this.#hearsNews = false;
    this.#twinsNews = false;
  }

  /**
   * A slow beater whose `can_lead` or `hears` changed tells its peers at once, at most once per
   * `heartbeatMs`: Bully's eligibility is read from them, and a slow beat is a second away.
   */
  private beatIfNews(nowMs: number): void {
    if (this.#stopped || this.#beatIntervalMs <= this.config.heartbeatMs) return;
    if (!this.hasNews(nowMs)) return;
    if (!this.mayBeatEarly() || this.isSaturated(nowMs)) return;
    const dueMs = this.#lastBeatMs + this.config.heartbeatMs;
    if (nowMs >= dueMs) this.beat(nowMs);
    else this.#nextHeartbeatMs = Math.min(this.#nextHeartbeatMs, dueMs);
  }

  /** Whether the next beat tells every peer something its last did not: `can_lead`, `hears` lost a voter, twins. */
  private hasNews(nowMs: number): boolean {
    return this.#hearsNews || this.#twinsNews || this.canLead(nowMs) !== this.#announcedCanLead;
  }

  /** Peers time this node out by the interval it announced: a faster need is announced at once. */
  private beatIfFaster(nowMs: number): void {
    if (this.#stopped || this.heartbeatIntervalMs() >= this.#beatIntervalMs) return;
    this.beat(nowMs);
  }

  /** The term gate (etcd raft's Step): compare terms once, then hand over to the role. */
  private receive(message: Message, nowMs: number): void {
    if (message.from === this.id) {
      // Whoever it was for: a datagram of another process with our ID, even one addressed to a
      // peer (a network that delivers it here too), says that process exists and its term (seed
      // 31003375: a candidate read its twin's vote to a peer, ignored it, and led the term).
      if (message.bootId !== this.bootId) this.hearTwin(message, nowMs);
      else if (message.to === 0 || message.to === this.id) this.timeOwnLoopback(message, nowMs);
      return;
    }
    if (message.to !== 0 && message.to !== this.id) return;
    if (!this.isVoter(message.from) || !this.acceptsTerm(message)) return;
    if (message.type === 'heartbeat' && message.twins?.includes(this.id) === true) this.hearOfTwin(message.intervalMs, nowMs);
    const isNew = this.#peers.get(message.from) === undefined;
    const sentByMs = nowMs < this.#excusedUntilMs ? this.#stallBeganMs : nowMs;
    const change = this.#peers.observe(message, nowMs, sentByMs);
    if (change !== null) this.emit({ type: 'peer', peer: message.from, change });
    if (change === 'joined' || change === 'restarted' || change === 'left') this.resetBackoff();
    if (change === 'left') this.#hearsNews = true;
    // The process we took for that ID restarted or left: whether another one runs, its next datagram tells.
    if (change === 'restarted' || change === 'left') this.#twinsUntilMs.delete(message.from);
    if (isNew) this.#lastJoinMs = nowMs;
    if (change === 'joined' || change === 'restarted') this.greet(message.from, nowMs);

    // Bully's challenge and answer work across terms: they are about IDs.
    if (message.type === 'election') {
      answerChallenge(this, message, nowMs);
      return;
    }
    if (message.type === 'answer') {
      this.onAnswer(message, nowMs);
      return;
    }
    if (message.type === 'vote-request') {
      // The vote's own term decides, not the envelope's: a vote is recorded in the term it is for.
      if (!message.preVote && message.voteTerm > this.term) {
        // etcd's check-quorum rule: a node bound by a lease does not even adopt the term, so an
        // isolated node cannot disrupt a healthy coordinator by inflating terms.
        if (this.holdsPromise(nowMs) && !citesPromisedResignation(this, message) && message.from !== this.#promisedLeader) {
          rejectVote(this, message, RejectReason.LeaseHeld, this.#promiseUntilMs - nowMs);
          return;
        }
        // The same rule binds a coordinator, from its election on: its followers' promises
        // refuse this candidate anyway, and adopting the term would only depose it (found by
        // the simulator: a pre-vote granted just before the coordinator won).
        if (this.#leadership !== null) {
          rejectVote(this, message, RejectReason.LeaseHeld, this.leaseEndMs() - nowMs);
          return;
        }
        this.becomeFollower(message.voteTerm, 'higher-term');
      }
      handleVoteRequest(this, message, nowMs);
      return;
    }
    if (message.type === 'vote') {
      // A pre-vote grant may come from a voter behind us; the vote's own term identifies it.
      if (message.term > this.term) this.becomeFollower(message.term, 'higher-term');
    } else if (message.term > this.term) {
      this.becomeFollower(message.term, 'higher-term');
    } else if (message.term < this.term) {
      this.answerStale(message);
      return;
    }
    this.#stepRole(this, message, nowMs);
  }

  /**
   * A higher ID answered a challenge: it is alive and takes over. An answer that comes after its
   * challenge was given up (the ID skipped) says so as well: on a loaded machine answers come
   * late, and a late answer is not a dead node (docs/protocol.md, "Bully under load"). Without
   * this, each lower node skipped the higher IDs one by one and campaigned over them (issue 22).
   */
  private onAnswer(answer: Message & { type: 'answer' }, nowMs: number): void {
    const from = answer.from;
    const sentAtMs = this.#challengedAtMs.get(from);
    if (sentAtMs !== undefined) {
      this.noteRoundTrip(sentAtMs, nowMs);
      this.#challengedAtMs.delete(from);
    }
    if (from < this.id) return;
    const skipped = this.#skip.has(from);
    this.unskip(from);
    if (this.#challenge?.challenged.has(from) === true) this.#challenge.answered.add(from);
    else if (this.#campaign !== null) this.#stepRole(this, answer, nowMs);
    else if (skipped && this.#role === Role.Follower) this.deferToHigher(nowMs + this.replyWaitMs(this.config.timeoutMs, nowMs));
  }

  /**
   * Our own multicast came back through our own receive queue: how long it waited there is how
   * long any reply waits, and a request waits as long in a peer's queue on a shared machine, so
   * twice that is a round trip. Our beats keep this measured before any request is answered
   * (a candidate whose queue held 1.2 s of datagrams gave up before the first vote was read).
   * Timed by the stamp this core put on it (our own boot's clock): a loopback lost to a full queue
   * or to loss costs one sample. Paired in order with the sends instead, every later loopback
   * seemed a beat older for good, and patience stayed at its cap (a failover at 20 % loss took
   * 2.2 s more: the candidate waited that long to resend its pre-vote).
   */
  private timeOwnLoopback(message: Message, nowMs: number): void {
    this.#readsOwnLoopback = true;
    const sentAtMs = message.sentAtMs ?? 0;
    if (sentAtMs > 0 && sentAtMs <= nowMs) this.#roundTrips.record(nowMs, 2 * (nowMs - sentAtMs));
    if (message.type === 'vote-request') readOwnRequestBack(this, message, nowMs);
  }

  /** Tells a sender from an older term about ours, so a stale coordinator steps down. */
  private answerStale(message: Message): void {
    const isLeaseRound =
      message.type === 'coordinator' || (message.type === 'heartbeat' && message.round > 0);
    if (isLeaseRound) this.send(message.from, { type: 'lease-ack', round: message.round });
  }

  /**
   * Another process with our ID: raise the alarm, and take its term, and every one before it, as
   * terms our ID may have voted in. Without the second, a node that heard its duplicate lead
   * term 1 and restarted from a disk that never saw term 1 led term 1 too, with a voter the
   * duplicate never reached (seed 29009458; docs/protocol.md, "Restarts, duplicates, leaving").
   */
  private hearTwin(message: Message, nowMs: number): void {
    // Until it has been silent for as long as a peer counts it alive: a follower twin beats only
    // every member beat, and an alarm of one timeout lapsed between its beats (at member beats
    // of a timeout or more), freeing both to campaign.
    this.raiseDuplicateAlarm(nowMs, silenceLimitMs(this.config.timeoutMs, this.config.memberBeatMs));
    this.#durable.spendVote(message.term, this.id);
  }

  /**
   * A peer's heartbeat names our ID in `twins`: it hears two live processes with our ID, and we
   * may not hear the other (unicast only). The alarm as if we had heard it, for as long as that
   * peer's next heartbeats may take to repeat it (it counts the other alive as long: its silence
   * limit); but the other's term is not known, so no vote is spent.
   */
  private hearOfTwin(tellerIntervalMs: number, nowMs: number): void {
    const intervalMs = Math.min(tellerIntervalMs, this.config.memberBeatMs);
    this.raiseDuplicateAlarm(nowMs, silenceLimitMs(this.config.timeoutMs, intervalMs));
  }

  /** Names `id` in our heartbeats for the wire's silence limit (SenderTable's `aliveMs`), at most MAX_TWINS_TOLD IDs. */
  private noteTwins(id: NodeId, nowMs: number): void {
    if (id === this.id || !this.isVoter(id)) return;
    const untilMs = nowMs + silenceLimitMs(this.config.timeoutMs, this.config.memberBeatMs);
    const known = this.#twinsUntilMs.has(id) && nowMs < this.#twinsUntilMs.get(id)!;
    if (!known) {
      this.twinsTold(nowMs); // forgets the expired ones
      if (this.#twinsUntilMs.size >= MAX_TWINS_TOLD) {
        // Full: the one heard of longest ago makes room.
        let oldest: NodeId | null = null;
        for (const [other, at] of this.#twinsUntilMs) if (oldest === null || at < this.#twinsUntilMs.get(oldest)!) oldest = other;
        this.#twinsUntilMs.delete(oldest!);
      }
    }
    this.#twinsUntilMs.set(id, untilMs);
    // News only if the heartbeat will name it: the process we took for `id` is alive too.
    if (!known && this.twinsTold(nowMs).includes(id)) this.#twinsNews = true;
  }

  private raiseDuplicateAlarm(nowMs: number, forMs: number): void {
    if (!this.hasDuplicateAlarm(nowMs)) this.emit({ type: 'alarm', alarm: 'duplicate-id', raised: true });
    this.#duplicateUntilMs = Math.max(this.#duplicateUntilMs, nowMs + forMs);
    if (this.#role === Role.Leader) this.resignLeadership(ResignReason.DuplicateId, null);
    if (this.#campaign !== null) this.becomeFollower(this.term, ResignReason.DuplicateId);
  }

  /** Reports what changed since the last input as events; notes when the next input is due. */
  private observe(): void {
    const now = this.#nowMs;
    this.#idleUntilMs = this.nextDeadlineMs();
    const current = { role: this.#role, term: this.term, leader: this.knownLeader(now), leaseValid: this.hasLease(now) };
    this.#changes.report(current, this.#leadership, now, (event) => this.emit(event));
  }
}
