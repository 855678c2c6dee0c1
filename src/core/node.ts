import type { ElectionConfig } from './config.ts';
import type { CoreEvent, DemotionReason } from './events.ts';
import {
  ElectionCause,
  RejectReason,
  ResignReason,
  Role,
  type Body,
  type Message,
  type NodeId,
  type Outgoing,
  type VoteRequest,
} from './messages.ts';
import { PeerTable } from './peers.ts';
import { quorumSize } from './quorum.ts';
import { stepCandidate, tickCandidate, type Campaign } from './roles/candidate.ts';
import { stepFollower, tickFollower, type Challenge } from './roles/follower.ts';
import { sendHeartbeat, stepLeader, tickLeader, type Leadership } from './roles/leader.ts';
import { buildStatus, type NodeStatus } from './status.ts';
import { MAX_TERM, mayAdoptTerm, offeredTerm } from './terms.ts';
import { answerChallenge, decideVote, handleVoteRequest, rejectVote, type VoteDecision } from './voting.ts';

/** What must survive a restart. Written (and fsynced) before the messages of the same Ready leave. */
export interface PersistentState {
  term: number;
  votedFor: NodeId | null;
}

/**
 * The output of one or more inputs (etcd raft's Ready): first persist `persist` durably if it is
 * not null, then send `messages`, then report `events`.
 */
export interface Ready {
  persist: PersistentState | null;
  messages: Outgoing[];
  events: CoreEvent[];
}

/** A source of uniform numbers in [0, 1); the simulator passes a seeded one. */
export type Random = () => number;

export interface NodeOptions {
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
}

type StepFunction = (node: ElectionNode, message: Message, nowMs: number) => void;
type TickFunction = (node: ElectionNode, nowMs: number) => void;

/**
 * One node's election state machine: pure and deterministic. Inputs are `tick(nowMs)`,
 * `step(message, nowMs)` and the commands `resign` and `leave`; outputs come from `ready()`.
 * Time is the node's own monotonic clock in milliseconds; it never goes backwards.
 *
 * Fields are public for the role step functions in ./roles (the package boundary is src/core);
 * applications use the runtime's API instead.
 */
export class ElectionNode {
  readonly id: NodeId;
  readonly config: ElectionConfig;
  readonly bootId: number;
  readonly quorum: number;
  readonly random: Random;
  readonly peers: PeerTable;
  private readonly voterIds: ReadonlySet<NodeId>;

  // Persistent state.
  term = 0;
  votedFor: NodeId | null = null;

  // Volatile state.
  role: Role = Role.Follower;
  /** Coordinator of the current term this node follows; valid while `promiseUntilMs` lasts. */
  leader: NodeId | null = null;
  /** Until then this node grants no vote to anyone: it acknowledged a lease round. */
  promiseUntilMs = 0;
  /** The coordinator the promise was given to, and its term. */
  promisedLeader: NodeId | null = null;
  promisedTerm = 0;
  /** The coordinator of this term resigned: its lease rounds are ignored from now on. */
  releasedTerm = 0;
  /** Why the next election happens; shown on the dashboard. */
  electionCause: ElectionCause = ElectionCause.ColdStart;
  /** No campaign before this time (boot grace, back-off after a lost campaign). */
  campaignNotBeforeMs: number;
  /** After a restart with a term, no votes and no campaign before this time. */
  readonly quarantineUntilMs: number;
  /** After a requested resignation, this node does not campaign before this time. */
  holdOffUntilMs = 0;
  /** Another process with this ID was heard; no leading, no voting before this time. */
  duplicateUntilMs = 0;
  nextHeartbeatMs: number;
  /** The interval the last heartbeat announced; a faster need sends the next one at once. */
  beatIntervalMs: number;
  /** When the next input is due at the latest (a timer); an input much later means we were stalled. */
  private idleUntilMs: number;
  /** When a peer was last heard for the first time since boot; a cold start waits for joins to settle. */
  lastJoinMs: number;
  challenge: Challenge | null = null;
  /** A higher ID answered or outranked us; wait this long for its coordinator message. */
  waitCoordinatorUntilMs = 0;
  /** Higher IDs challenged without answer in this election; our vote requests name them. */
  readonly skip = new Set<NodeId>();
  campaign: Campaign | null = null;
  /** After handing over to an ID that did not take over, not again before this time. */
  readonly preemptionBackoff = new Map<NodeId, number>();
  leadership: Leadership | null = null;
  /** The last election this node saw won (its own or a coordinator's announcement). */
  lastElection: { term: number; leader: NodeId; cause: ElectionCause; votedBy: NodeId[] } | null = null;
  stopped = false;
  nowMs: number;

  private stepRole: StepFunction = stepFollower;
  private tickRole: TickFunction = tickFollower;
  private outbox: Outgoing[] = [];
  private events: CoreEvent[] = [];
  private persistPending = false;
  private demotionReason: DemotionReason | ResignReason = 'lease-expired';
  private observed: { role: Role; term: number; leader: NodeId | null; leaseValid: boolean };
  private leaderSinceMs: number | null = null;

  constructor(options: NodeOptions) {
    const { id, config, bootId, nowMs, persisted } = options;
    this.id = id;
    this.config = config;
    this.bootId = bootId;
    this.random = options.random;
    this.voterIds = new Set(config.voters);
    if (!this.voterIds.has(id)) {
      throw new RangeError(`node ID ${id} is not in the voter set ${config.voters.join(',')}`);
    }
    this.quorum = quorumSize(config.voters.length);
    this.peers = new PeerTable(config);
    this.nowMs = nowMs;
    if (persisted !== null) {
      this.term = persisted.term;
      this.votedFor = persisted.votedFor;
    }
    // A restarted node may have acknowledged a lease just before it died; its promise died with
    // its memory, so it keeps the promise's worst case instead. A node that never had a term
    // never acknowledged anything.
    this.quarantineUntilMs = this.term > 0 ? nowMs + config.timeoutMs : nowMs;
    // Listen briefly before claiming: an existing coordinator answers our first heartbeat with a
    // lease round at once; nodes starting with us are waited for by the cold-start settle rule.
    this.campaignNotBeforeMs = nowMs + config.answerTimeoutMs;
    this.nextHeartbeatMs = nowMs;
    this.beatIntervalMs = config.heartbeatMs;
    this.lastJoinMs = nowMs;
    this.idleUntilMs = nowMs;
    this.observed = { role: this.role, term: this.term, leader: null, leaseValid: false };
  }

  // ---- Inputs ----

  /**
   * Advances the clock: fires due timers (heartbeats, timeouts, lease expiry). Every input uses
   * the advanced clock, so a time earlier than one already seen changes nothing.
   */
  tick(nowMs: number): void {
    if (this.stopped) return;
    this.advance(nowMs);
    this.observe();
  }

  /** Handles one received message. Timers due by `nowMs` fire first. */
  step(message: Message, nowMs: number): void {
    if (this.stopped) return;
    this.advance(nowMs);
    this.receive(message, this.nowMs);
    this.beatIfFaster(this.nowMs);
    this.observe();
  }

  /** Gives up leadership now (a no-op unless leader); the successor is elected at once. */
  resign(reason: ResignReason, nowMs: number): void {
    if (this.stopped) return;
    this.advance(nowMs);
    if (this.role === Role.Leader) {
      this.resignLeadership(reason, this.handoverTarget(this.nowMs));
      // Without a hold-off the highest ID would simply win again.
      if (reason === ResignReason.Requested) this.holdOffUntilMs = this.nowMs + this.config.dampingMs;
    }
    this.beatIfFaster(this.nowMs);
    this.observe();
  }

  /** Resigns if leader and tells the peers this node is leaving. No input is taken afterwards. */
  leave(nowMs: number): void {
    if (this.stopped) return;
    this.advance(nowMs);
    if (this.role === Role.Leader) this.resignLeadership(ResignReason.Stopping, this.handoverTarget(this.nowMs));
    this.broadcast({ type: 'leave' });
    this.observe();
    this.stopped = true;
  }

  /** Drains what the inputs so far produced. */
  ready(): Ready {
    const ready: Ready = {
      persist: this.persistPending ? { term: this.term, votedFor: this.votedFor } : null,
      messages: this.outbox,
      events: this.events,
    };
    this.persistPending = false;
    this.outbox = [];
    this.events = [];
    return ready;
  }

  // ---- Queries ----

  /** True while this node may act as coordinator: it leads and a quorum backs its lease. */
  hasLease(nowMs: number): boolean {
    return this.leadership !== null && nowMs < this.leadership.leaseUntilMs;
  }

  /** The coordinator this node knows to hold a valid lease, or null. Never a stale ID. */
  knownLeader(nowMs: number): NodeId | null {
    if (this.role === Role.Leader) return this.hasLease(nowMs) ? this.id : null;
    return this.leader !== null && nowMs < this.promiseUntilMs ? this.leader : null;
  }

  holdsPromise(nowMs: number): boolean {
    return nowMs < this.promiseUntilMs;
  }

  /**
   * Whether `message` keeps to the term bound (./terms.ts); one that does not is dropped before
   * it touches any state, and the driver counts it.
   */
  acceptsTerm(message: Message): boolean {
    return mayAdoptTerm(this.term, offeredTerm(message));
  }

  isVoter(id: NodeId): boolean {
    return this.voterIds.has(id);
  }

  isQuarantined(nowMs: number): boolean {
    return nowMs < this.quarantineUntilMs;
  }

  hasDuplicateAlarm(nowMs: number): boolean {
    return nowMs < this.duplicateUntilMs;
  }

  /** Voters (this node included) that this node counts toward a quorum right now. */
  quorumHave(nowMs: number): number {
    if (this.leadership !== null) {
      let acked = 1;
      for (const at of this.leadership.lastAckMs.values()) if (nowMs - at < this.config.timeoutMs) acked++;
      return acked;
    }
    return 1 + this.peers.aliveIds(nowMs).length;
  }

  /** Whether this node could campaign now, as it advertises in its heartbeats. */
  canLead(nowMs: number): boolean {
    return (
      !this.stopped &&
      this.term < MAX_TERM &&
      !this.isQuarantined(nowMs) &&
      !this.hasDuplicateAlarm(nowMs) &&
      nowMs >= this.holdOffUntilMs &&
      1 + this.peers.aliveIds(nowMs).length >= this.quorum
    );
  }

  /**
   * Peers above `above` that could lead and hear this node (a link both ways), highest first:
   * the Bully order. `skip` lists IDs a candidate challenged without an answer.
   */
  higherEligible(nowMs: number, above: NodeId, skip: ReadonlySet<NodeId> = new Set()): NodeId[] {
    const ids: NodeId[] = [];
    for (const peer of this.peers.all()) {
      if (peer.id <= above || skip.has(peer.id)) continue;
      if (!this.peers.isAlive(peer, nowMs) || !peer.canLead) continue;
      if (!peer.hears.has(this.id) || peer.hears.size + 1 < this.quorum) continue;
      ids.push(peer.id);
    }
    return ids.sort((a, b) => b - a);
  }

  /** When this coordinator's lease ends, or would end if no quorum acknowledges its first round. */
  leaseEndMs(): number {
    const leadership = this.leadership;
    if (leadership === null) return this.nowMs;
    return leadership.leaseUntilMs > 0 ? leadership.leaseUntilMs : leadership.electedAtMs + this.config.timeoutMs;
  }

  /** The earliest local time at which `tick` has something to do. */
  nextDeadlineMs(): number {
    const deadlines = [
      this.promiseUntilMs,
      this.campaignNotBeforeMs,
      this.quarantineUntilMs,
      this.holdOffUntilMs,
      this.duplicateUntilMs,
      this.waitCoordinatorUntilMs,
      this.challenge?.deadlineMs ?? 0,
      this.campaign?.deadlineMs ?? 0,
      this.campaign?.resendAtMs ?? 0,
      this.leadership?.leaseUntilMs ?? 0,
      this.leadership === null ? 0 : this.leadership.electedAtMs + this.config.timeoutMs,
    ];
    if (this.campaign !== null) deadlines.push(...this.campaign.deferred.values());
    for (const peer of this.peers.all()) {
      deadlines.push(peer.lastHeardMs + this.peers.silenceLimitMs(peer), peer.aliveSinceMs + this.config.dampingMs);
    }
    if (this.isSettlingColdStart(this.nowMs)) deadlines.push(this.lastJoinMs + this.config.timeoutMs);
    let next = this.nextHeartbeatMs;
    for (const at of deadlines) if (at > this.nowMs && at < next) next = at;
    return Math.max(next, this.nowMs);
  }

  /**
   * The rate this node beats at (docs/protocol.md, "Rates"): slow while it follows a live
   * coordinator (whose rounds carry the election), has never known one (a cold start, where joins
   * are greeted at once) or defers to a higher ID; fast while it campaigns, leads, or may have to.
   */
  heartbeatIntervalMs(nowMs: number): number {
    if (this.role !== Role.Follower) return this.config.heartbeatMs;
    if (this.leader !== null && this.holdsPromise(nowMs)) return this.config.memberBeatMs;
    // Never knew a coordinator: only membership is at stake, and joins are answered at once. A
    // cluster starting together would otherwise spend the CPU its later processes need to start.
    if (this.electionCause === ElectionCause.ColdStart) return this.config.memberBeatMs;
    // After a failover or a resignation only a node that sees no one above it to take over needs
    // fresh views; the others defer (Bully), and 24 nodes beating fast at the instant of a
    // failover slowed the election itself down on a 2-core machine.
    return this.higherEligible(nowMs, this.id).length > 0 ? this.config.memberBeatMs : this.config.heartbeatMs;
  }

  /**
   * A cluster starting together elects its highest ID without churn: a node that has never known
   * a coordinator, and does not yet hear every voter (or hears a higher one not yet able to lead),
   * waits until no new peer joined for a timeout.
   */
  isSettlingColdStart(nowMs: number): boolean {
    if (this.electionCause !== ElectionCause.ColdStart || nowMs >= this.lastJoinMs + this.config.timeoutMs) return false;
    const alive = this.peers.aliveIds(nowMs);
    if (alive.length + 1 < this.config.voters.length) return true;
    // Everyone is up; still wait while a higher ID is too new to hear us and a quorum.
    const higherAlive = alive.filter((id) => id > this.id).length;
    return this.higherEligible(nowMs, this.id).length < higherAlive;
  }

  /**
   * Whom a coordinator that gives up names as its successor: the one Bully would elect, the
   * highest peer that could lead, among those whose acknowledgements are fresh. Named, it asks
   * for votes at once, without a pre-vote. Null: nobody fits, and Bully decides as after a failure.
   */
  handoverTarget(nowMs: number): NodeId | null {
    const fresh = this.higherEligible(nowMs, 0).find((id) => nowMs - this.peers.get(id)!.lastHeardMs <= 2 * this.config.heartbeatMs);
    return fresh ?? null;
  }

  /** The voter's rules (./voting.ts); a method so that tests can mutate them in a subclass. */
  decideVote(request: VoteRequest, nowMs: number): VoteDecision {
    return decideVote(this, request, nowMs);
  }

  status(nowMs: number): NodeStatus {
    return buildStatus(this, nowMs, this.leaderSinceMs);
  }

  // ---- Transitions (used by the role step functions) ----

  becomeFollower(term: number, reason: DemotionReason | ResignReason): void {
    if (term > this.term) {
      this.term = term;
      this.votedFor = null;
      this.persistPending = true;
      // The coordinator of the new term is not known yet; any promise already given stands.
      this.leader = null;
    }
    if (this.role === Role.Leader) this.demotionReason = reason;
    this.role = Role.Follower;
    this.campaign = null;
    this.leadership = null;
    this.stepRole = stepFollower;
    this.tickRole = tickFollower;
  }

  becomeCandidate(): void {
    this.role = Role.Candidate;
    this.challenge = null;
    this.stepRole = stepCandidate;
    this.tickRole = tickCandidate;
  }

  becomeLeader(leadership: Leadership): void {
    this.role = Role.Leader;
    this.leader = this.id;
    this.campaign = null;
    this.challenge = null;
    this.skip.clear();
    this.leadership = leadership;
    this.stepRole = stepLeader;
    this.tickRole = tickLeader;
  }

  /** Persists the vote: the Ready that carries the grant also carries the state to write first. */
  recordVote(candidate: NodeId): void {
    this.votedFor = candidate;
    this.persistPending = true;
  }

  /** Starts a new term as candidate, voting for itself. */
  enterTerm(term: number): void {
    this.term = term;
    this.votedFor = this.id;
    this.leader = null;
    this.persistPending = true;
  }

  /** Drops the lease first, then announces it; followers may then vote at once. */
  resignLeadership(reason: ResignReason, successor: NodeId | null): void {
    const term = this.term;
    this.becomeFollower(term, reason);
    this.leader = null;
    this.releasedTerm = term;
    this.broadcast({ type: 'resign', reason, successor });
  }

  send(to: NodeId, body: Body): void {
    this.outbox.push({ to, message: this.envelope(body, to) });
  }

  broadcast(body: Body): void {
    this.outbox.push({ to: 'all', message: this.envelope(body, 0) });
  }

  emit(event: CoreEvent): void {
    this.events.push(event);
  }

  // ---- Internals ----

  private envelope(body: Body, to: NodeId): Message {
    const message = body as Message;
    message.from = this.id;
    message.bootId = this.bootId;
    message.term = this.term;
    message.to = to;
    return message;
  }

  private advance(nowMs: number): void {
    // A monotonic clock never goes back; a driver that says otherwise is ignored, not obeyed.
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    const now = this.nowMs;
    // Our own timer came this late: we were stalled, not our peers silent (docs/protocol.md,
    // "Failure detection"). On a starved machine this turned every pause into a wave of deaths
    // and rejoins, and a cold start of 50 nodes on 2 cores into an election storm.
    const lateMs = now - this.idleUntilMs;
    // The answer timeout on top: what peers sent just before we woke is still queued behind this input.
    if (lateMs > this.config.answerTimeoutMs) this.peers.excuse(lateMs + this.config.answerTimeoutMs, now);
    for (const { peer, change } of this.peers.refresh(now)) this.emit({ type: 'peer', peer, change });
    if (this.duplicateUntilMs !== 0 && now >= this.duplicateUntilMs) {
      this.duplicateUntilMs = 0;
      this.emit({ type: 'alarm', alarm: 'duplicate-id', raised: false });
    }
    this.tickRole(this, now);
    if (now >= this.nextHeartbeatMs) this.beat(now);
    else this.beatIfFaster(now);
  }

  /**
   * A node heard for the first time (or anew) learns of us without waiting for a slow beat: a
   * coordinator sends it a lease round at once, so that it follows instead of campaigning; anyone
   * else beats within a heartbeat interval, which gathers the joins of a whole cold start.
   */
  private greet(nowMs: number): void {
    if (this.role === Role.Leader) this.beat(nowMs);
    else this.nextHeartbeatMs = Math.min(this.nextHeartbeatMs, nowMs + this.config.heartbeatMs);
  }

  private beat(nowMs: number): void {
    this.beatIntervalMs = this.heartbeatIntervalMs(nowMs);
    sendHeartbeat(this, nowMs, this.beatIntervalMs);
    this.nextHeartbeatMs = nowMs + this.beatIntervalMs;
  }

  /** Peers time this node out by the interval it announced: a faster need is announced at once. */
  private beatIfFaster(nowMs: number): void {
    if (this.stopped || this.heartbeatIntervalMs(nowMs) >= this.beatIntervalMs) return;
    this.beat(nowMs);
  }

  /** The term gate (etcd raft's Step): compare terms once, then hand over to the role. */
  private receive(message: Message, nowMs: number): void {
    if (message.to !== 0 && message.to !== this.id) return;
    if (message.from === this.id) {
      if (message.bootId !== this.bootId) this.raiseDuplicateAlarm(nowMs);
      return; // our own multicast, looped back
    }
    if (!this.isVoter(message.from) || !this.acceptsTerm(message)) return;
    const isNew = this.peers.get(message.from) === undefined;
    const change = this.peers.observe(message, nowMs);
    if (change !== null) this.emit({ type: 'peer', peer: message.from, change });
    if (isNew) this.lastJoinMs = nowMs;
    if (change === 'joined' || change === 'restarted') this.greet(nowMs);

    // Bully's challenge and answer work across terms: they are about IDs.
    if (message.type === 'election') {
      answerChallenge(this, message, nowMs);
      return;
    }
    if (message.type === 'answer') {
      this.challenge?.answered.add(message.from);
      return;
    }
    if (message.type === 'vote-request') {
      // The vote's own term decides, not the envelope's: a vote is recorded in the term it is for.
      if (!message.preVote && message.voteTerm > this.term) {
        // etcd's check-quorum rule: a node bound by a lease does not even adopt the term, so an
        // isolated node cannot disrupt a healthy coordinator by inflating terms.
        if (this.holdsPromise(nowMs) && message.resignedTerm !== this.promisedTerm && message.from !== this.promisedLeader) {
          rejectVote(this, message, RejectReason.LeaseHeld, this.promiseUntilMs - nowMs);
          return;
        }
        // The same rule binds a coordinator, from its election on: its followers' promises
        // refuse this candidate anyway, and adopting the term would only depose it (found by
        // the simulator: a pre-vote granted just before the coordinator won).
        if (this.leadership !== null) {
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
    this.stepRole(this, message, nowMs);
  }

  /** Tells a sender from an older term about ours, so a stale coordinator steps down. */
  private answerStale(message: Message): void {
    const isLeaseRound =
      message.type === 'coordinator' || (message.type === 'heartbeat' && message.round > 0);
    if (isLeaseRound) this.send(message.from, { type: 'lease-ack', round: message.round });
  }

  private raiseDuplicateAlarm(nowMs: number): void {
    if (!this.hasDuplicateAlarm(nowMs)) this.emit({ type: 'alarm', alarm: 'duplicate-id', raised: true });
    this.duplicateUntilMs = nowMs + this.config.timeoutMs;
    if (this.role === Role.Leader) this.resignLeadership(ResignReason.DuplicateId, null);
    if (this.campaign !== null) this.becomeFollower(this.term, ResignReason.DuplicateId);
  }

  /** Reports what changed since the last input as events; notes when the next input is due. */
  private observe(): void {
    const now = this.nowMs;
    this.idleUntilMs = this.nextDeadlineMs();
    const current = {
      role: this.role,
      term: this.term,
      leader: this.knownLeader(now),
      leaseValid: this.hasLease(now),
    };
    const before = this.observed;
    if (current.term !== before.term) this.emit({ type: 'term-changed', term: current.term, previous: before.term });
    if (current.role !== before.role) this.emit({ type: 'role-changed', role: current.role, previous: before.role });
    if (current.leaseValid && !before.leaseValid && this.leadership !== null) {
      const { cause, votedBy } = this.leadership;
      this.emit({ type: 'elected', term: this.term, cause, votedBy });
    } else if (!current.leaseValid && before.leaseValid) {
      this.emit({ type: 'demoted', term: before.term, reason: this.demotionReason });
      this.demotionReason = 'lease-expired';
    }
    if (current.leader !== before.leader) {
      this.leaderSinceMs = current.leader === null ? null : now;
      this.emit({ type: 'leader-changed', leader: current.leader, previous: before.leader, term: this.term });
    }
    this.observed = current;
  }
}
