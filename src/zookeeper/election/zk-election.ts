/**
 * The ZooKeeper election as a deterministic state machine, in the manner of the LAN core: session
 * states, request replies, watch firings and the clock in; requests, commands and events out. No
 * I/O, no timers: a driver (../zk-driver.ts) runs it over node-zookeeper-client, and the
 * simulator runs it over its own ensemble.
 *
 * The recipe (../recipe.ts) says which candidate should lead; that one then creates the claim
 * znode `<path>/leader` (ephemeral). Only one claim can exist, so two nodes never both hold one,
 * and the claim's creation zxid is the fencing token: every new claim is a later transaction.
 *
 * Never two leaders, also when the connection fails: a leader stops at once when the connection
 * is lost, and in any case LEASE_SHARE of the session timeout after it sent the last write that
 * succeeded (the claim, then a write to its own candidate znode each refresh). Reads never renew
 * the lease: a server cut off from the ensemble's leader may still answer them (see lease.ts).
 *
 * The election talks to ZooKeeper in rounds: one request at a time, written as a
 * generator that yields each request and receives its reply. A round that must give way (a
 * pause, an expired session, a stop) is abandoned; a create it had sent is removed when it
 * succeeds, so that no znode of this session is left behind to block the election.
 */
import { ElectionCause, Role, type NodeId } from '../../election/vocabulary.ts';
import { SessionState, type ElectionMode } from '../../contract/zookeeper-status.ts';
import { candidatePrefix, designated, duplicateIds, parseCandidate, watchOf, type Candidate } from '../recipe.ts';
import type { ZkCoreEvent, ZkDemoteReason, ZkNodeState, ZkTold } from './events.ts';
import { BOOT_GRACE_SHARE, leaseMs, refreshMs, RETRY_MS } from './lease.ts';
import { CLAIM, claimData, parseClaim, type ZkClaim } from './claim.ts';
import { ZkFailure, ZkRequestFailed, type ZkReply, type ZkRequest } from './requests.ts';
import { call, ok, okOr, type Round } from './round.ts';
import type { ZkElectionHooks, ZkLead, ZkSeam } from './hooks.ts';

export interface ZkElectionOptions {
  id: NodeId;
  /** The election's znode. */
  path: string;
  mode: ElectionMode;
  /** The session timeout asked for; used until the servers grant one. */
  requestedTimeoutMs: number;
  /** Bully mode: a higher ID that joins takes over after it has been registered this long. */
  dampingMs: number;
  preempt: boolean;
  /** What this node's candidate znode holds (written again to renew the lease). */
  candidateData: Uint8Array;
  /** Tests only: the seam of ./hooks.ts. */
  hooks?: ZkElectionHooks;
}

/** What the driver does next: close the session and open a fresh one, drop the connection, or close for good. */
export type ZkCommand = 'new-session' | 'kick' | 'close';

export interface ZkOutbound {
  id: number;
  request: ZkRequest;
}

export interface ZkOutput {
  requests: ZkOutbound[];
  commands: ZkCommand[];
  events: ZkTold[];
}

/** A read-only snapshot of the election, for status pages and the simulator's checkers. */
export interface ZkElectionView {
  session: { state: SessionState; id: string | null; timeoutMs: number; sinceMs: number };
  ownName: string | null;
  candidates: readonly Candidate[];
  claim: ZkClaim | null;
  /** This node's lease, while it leads. */
  leading: { token: number; sinceMs: number; leaseUntilMs: number } | null;
  knownLeader: NodeId | null;
  /** Local time the known leader last changed. */
  leaderChangedAtMs: number;
  lastReadMs: number | null;
  lastWriteMs: number | null;
  paused: boolean;
  stopped: boolean;
  canLead: boolean;
  role: Role;
  duplicateId: boolean;
}

export class ZkElection {
  readonly id: NodeId;
  private readonly options: ZkElectionOptions;
  private readonly hooks: ZkElectionHooks;
  private nowMs = 0;
  private session: { state: SessionState; id: string | null; timeoutMs: number; sinceMs: number };
  private ownName: string | null = null;
  private registeredAtMs = 0;
  private candidates: Candidate[] = [];
  private claim: ZkClaim | null = null;
  private leading: ZkLead | null = null;
  private knownLeader: NodeId | null = null;
  private leaderChangedAtMs = 0;
  private everKnewLeader = false;
  /** Local time the last read that came back was sent: how fresh this node's view is. */
  private lastReadMs: number | null = null;
  /** Local time the last write that succeeded was sent: the leader's lease runs from it. */
  private lastWriteMs: number | null = null;
  private heldOffUntilMs = 0;
  private lastKickMs = Number.NEGATIVE_INFINITY;
  private paused = false;
  private preemptAtMs: number | null = null;
  private stopped = false;
  private started = false;
  /** Run another evaluation round after the current one. */
  private dirty = false;
  private round: { run: Round; pending: ZkOutbound | null; sentMs: number; kind: 'evaluate' | 'withdraw' | 'stop' } | null = null;
  /** Requests of abandoned rounds still out: a create among them is undone when it succeeds. */
  private readonly abandoned = new Map<number, ZkRequest>();
  private nextRefreshAtMs = 0;
  /** Local times at which to evaluate again (a boot grace, a damping period, a retry). */
  private wakeups: number[] = [];
  private nextRequestId = 1;
  private output: ZkOutput = { requests: [], commands: [], events: [] };

  constructor(options: ZkElectionOptions) {
    this.options = options;
    this.hooks = options.hooks ?? {};
    this.id = options.id;
    this.session = { state: SessionState.Connecting, id: null, timeoutMs: options.requestedTimeoutMs, sinceMs: 0 };
  }

  // ---- inputs -------------------------------------------------------------------------------

  start(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    this.session.sinceMs = nowMs;
    this.started = true;
    this.nextRefreshAtMs = nowMs;
    return this.tick(nowMs);
  }

  /** The session changed state; `id` and `timeoutMs` as the client reports them now. */
  sessionChanged(state: SessionState, id: string | null, timeoutMs: number, nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (this.session.state === SessionState.Closed) return this.drain();
    this.session = { state, id, timeoutMs, sinceMs: nowMs };
    this.emitEvent({ type: 'session', state, sessionId: id, sessionTimeoutMs: timeoutMs });
    switch (state) {
      case SessionState.Connected:
        this.schedule();
        break;
      case SessionState.Suspended:
        // The session may live on, but nothing says so: stop leading now.
        this.loseContact('zookeeper-disconnected');
        break;
      case SessionState.Expired:
        this.onExpired();
        break;
      default:
        break;
    }
    this.hooks.sessionChanged?.(this.seam, state);
    return this.drain();
  }

  /** The reply to request `requestId`. */
  replied(requestId: number, reply: ZkReply<unknown>, nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    const abandoned = this.abandoned.get(requestId);
    if (abandoned !== undefined) {
      this.abandoned.delete(requestId);
      if (abandoned.op === 'create' && reply.ok && this.session.state === SessionState.Connected) {
        this.send({ op: 'remove', path: reply.value as string });
      }
      return this.drain();
    }
    const round = this.round;
    if (round?.pending?.id === requestId) this.advance(round, reply);
    return this.drain();
  }

  /** A watch set by a request fired: something in the election changed. */
  watchFired(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    this.schedule();
    return this.drain();
  }

  /** The clock reached wakeAtMs() (or any time): runs what is due. */
  tick(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (!this.started || this.session.state === SessionState.Closed) return this.drain();
    const round = this.round;
    if (round?.pending != null && nowMs >= round.sentMs + this.requestDeadlineMs()) {
      this.advance(round, { ok: false, failure: ZkFailure.Timeout, message: `no answer within ${this.requestDeadlineMs()} ms` });
    }
    if (this.leading !== null && nowMs >= this.leaseUntilMs()) this.demote('zookeeper-unreachable');
    const due = this.wakeups.filter((atMs) => atMs <= nowMs);
    if (due.length > 0) {
      this.wakeups = this.wakeups.filter((atMs) => atMs > nowMs);
      this.schedule();
    }
    if (nowMs >= this.nextRefreshAtMs && !this.stopped) {
      this.nextRefreshAtMs = nowMs + refreshMs(this.session.timeoutMs);
      this.kickIfSilent();
      this.updateLeader(); // a view that went stale without an answer
      this.schedule();
    }
    return this.drain();
  }

  /** Gives up leadership now, if leading: fair mode requeues at the back, bully mode waits out the damping. */
  resign(reason: 'requested' | 'preempted', nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (this.leading === null) return this.drain();
    this.demote(reason);
    this.withdraw(this.options.mode === 'bully' ? this.options.dampingMs : 0);
    return this.drain();
  }

  /** Leaves the election (the candidate znode is deleted) until resume(); for drills. */
  pause(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (this.paused || this.stopped) return this.drain();
    this.paused = true;
    if (this.leading !== null) this.demote('paused');
    this.emitEvent({ type: 'paused' });
    this.withdraw(0);
    return this.drain();
  }

  resume(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (!this.paused || this.stopped) return this.drain();
    this.paused = false;
    this.emitEvent({ type: 'resumed' });
    this.schedule();
    return this.drain();
  }

  /** Resigns if leading, deletes its znodes (the next node takes over at once), then asks to close. */
  stop(nowMs: number): ZkOutput {
    this.nowMs = nowMs;
    if (this.stopped) return this.drain();
    if (this.leading !== null) this.demote('stopping');
    this.stopped = true;
    this.wakeups = [];
    if (this.session.state === SessionState.Connected) this.begin('stop', this.removeOwn());
    else this.close();
    return this.drain();
  }

  // ---- queries ------------------------------------------------------------------------------

  /** True while this node may act as coordinator. */
  hasLease(nowMs: number): boolean {
    return this.leading !== null && this.session.state === SessionState.Connected && nowMs < this.leaseUntilMs();
  }

  /** The fencing token: the claim's creation zxid (this node's while it leads, else the last seen). */
  get term(): number {
    return this.leading?.token ?? this.claim?.token ?? 0;
  }

  /** The node as an event line describes it. */
  state(): ZkNodeState {
    const first = designated(this.candidates, this.options.mode);
    const connected = this.session.state === SessionState.Connected;
    const role = this.leading !== null ? Role.Leader : first !== null && first.name === this.ownName && connected ? Role.Candidate : Role.Follower;
    return { role, term: this.term, leader: this.knownLeader, connected };
  }

  /** When tick() should run next (local time). */
  wakeAtMs(): number | null {
    if (!this.started || this.session.state === SessionState.Closed) return null;
    const times = [...this.wakeups];
    if (!this.stopped) times.push(this.nextRefreshAtMs);
    if (this.leading !== null) times.push(this.leaseUntilMs());
    if (this.round?.pending != null) times.push(this.round.sentMs + this.requestDeadlineMs());
    return times.length === 0 ? null : Math.min(...times);
  }

  inspect(): ZkElectionView {
    return {
      session: { ...this.session },
      ownName: this.ownName,
      candidates: [...this.candidates],
      claim: this.claim === null ? null : { ...this.claim },
      leading: this.leading === null ? null : { ...this.leading, leaseUntilMs: this.leaseUntilMs() },
      knownLeader: this.knownLeader,
      leaderChangedAtMs: this.leaderChangedAtMs,
      lastReadMs: this.lastReadMs,
      lastWriteMs: this.lastWriteMs,
      paused: this.paused,
      stopped: this.stopped,
      canLead: this.canLead(),
      role: this.state().role,
      duplicateId: duplicateIds(this.candidates).includes(this.id),
    };
  }

  // ---- decisions a broken core might get wrong (the simulator's tests break them through ./hooks.ts)

  /** What a test's hook may touch (./hooks.ts). */
  private readonly seam: ZkSeam = {
    nowMs: () => this.nowMs,
    leading: () => this.leading,
    lead: (lead) => {
      this.leading = lead;
    },
    confirmWrite: (sentMs) => this.writeConfirmed(sentMs),
  };

  /** A read sent at `sentMs` came back: the view is fresh from then. Never the lease. */
  private readConfirmed(sentMs: number): void {
    this.lastReadMs = sentMs;
    this.hooks.readConfirmed?.(this.seam, sentMs);
  }

  /** A write sent at `sentMs` succeeded: the session was alive after it was sent. */
  private writeConfirmed(sentMs: number): void {
    this.lastWriteMs = sentMs;
  }

  /** The ensemble expired the session, deleting its znodes: the claim, if any, is gone. */
  private onExpired(): void {
    const ownClaim = this.claim !== null && this.claim.owner === this.session.id ? { token: this.claim.token, sinceMs: this.nowMs } : null;
    const held = this.leading ?? ownClaim;
    this.forgetClaimOnExpiry();
    this.hooks.expired?.(this.seam, held);
  }

  private forgetClaimOnExpiry(): void {
    this.loseContact('session-expired');
    // Stopping: the ensemble already deleted what the stop was to remove.
    if (this.stopped) return this.close();
    this.abandonRound();
    this.abandoned.clear();
    this.ownName = null;
    this.claim = null;
    this.candidates = [];
    this.command('new-session');
    this.session = { state: SessionState.Connecting, id: null, timeoutMs: this.session.timeoutMs, sinceMs: this.nowMs };
    this.emitEvent({ type: 'session', state: SessionState.Connecting, sessionId: null, sessionTimeoutMs: this.session.timeoutMs });
  }

  /** Whether the claim just read still makes this node the leader. */
  private stillHoldsClaim(claim: ZkClaim | null): boolean {
    const holds = claim !== null && claim.owner === this.session.id && this.ownName !== null;
    return this.hooks.stillHoldsClaim === undefined ? holds : this.hooks.stillHoldsClaim(holds);
  }

  // ---- rounds -------------------------------------------------------------------------------

  /** Runs an evaluation round now, or again right after the one in progress. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.round !== null) {
      this.dirty = true;
      return;
    }
    this.dirty = false;
    this.begin('evaluate', this.evaluate());
  }

  private begin(kind: 'evaluate' | 'withdraw' | 'stop', run: Round): void {
    this.abandonRound();
    const round = { run, pending: null, sentMs: this.nowMs, kind };
    this.round = round;
    this.advance(round, undefined);
  }

  /** Feeds a reply to a round and sends its next request, until it waits or ends. */
  private advance(round: NonNullable<ZkElection['round']>, reply: ZkReply<unknown> | undefined): void {
    let step: IteratorResult<ZkRequest, void>;
    try {
      step = round.run.next(reply as ZkReply<unknown>);
    } catch (error) {
      if (!(error instanceof ZkRequestFailed)) throw error;
      this.round = null;
      this.roundFailed(round.kind, error);
      return;
    }
    if (this.round !== round) return; // the round gave way to another while it ran
    if (step.done === true) {
      this.round = null;
      this.roundEnded(round.kind);
      return;
    }
    round.pending = this.send(step.value);
    round.sentMs = this.nowMs;
  }

  private roundEnded(kind: 'evaluate' | 'withdraw' | 'stop'): void {
    if (kind === 'stop') return this.close();
    if (kind === 'withdraw' || this.dirty) this.schedule();
  }

  private roundFailed(kind: 'evaluate' | 'withdraw' | 'stop', error: ZkRequestFailed): void {
    if (kind === 'stop') return this.close();
    if (this.stopped || this.session.state !== SessionState.Connected) return; // a new connection runs a round
    this.emitEvent({ type: 'warning', message: `ZooKeeper: ${error.message}; retrying` });
    this.wakeups.push(this.nowMs + RETRY_MS);
  }

  private abandonRound(): void {
    const pending = this.round?.pending;
    if (pending != null) this.abandoned.set(pending.id, pending.request);
    this.round = null;
  }

  /** Reads the election, sets the one watch the recipe gives this node, and claims if designated. */
  private *evaluate(): Round {
    if (this.session.state !== SessionState.Connected || this.stopped) return;
    const { path } = this.options;
    const sentMs = this.nowMs;
    if (this.ownName === null && this.mayRegister()) {
      ok('ensure-path', yield* call({ op: 'ensure-path', path }));
      const created = ok('create', yield* call({ op: 'create', path: `${path}/${candidatePrefix(this.id)}`, data: this.options.candidateData, sequential: true }));
      this.ownName = created.slice(path.length + 1);
      this.registeredAtMs = this.nowMs;
      this.emitEvent({ type: 'registered', znode: this.ownName });
    }
    let candidates = yield* this.listCandidates();
    candidates = yield* this.settleOwnZnodes(candidates);
    this.candidates = candidates;
    if (this.ownName !== null) yield* this.watch(candidates, this.ownName);
    this.claim = yield* this.readClaim();
    this.readConfirmed(sentMs);
    if (this.leading !== null) yield* this.renewLease();
    yield* this.lead(candidates);
    this.updateLeader();
  }

  /**
   * Candidates of this node's ID that are not its own znode: another process with the same ID
   * (the duplicate-ID alarm), or a znode of this session whose create reply was lost. This
   * session's own leftovers would block the election (one may rank first and never claim), so
   * they are adopted (none registered yet) or removed.
   */
  private *settleOwnZnodes(candidates: Candidate[]): Round<Candidate[]> {
    if (this.ownName !== null && !candidates.some((c) => c.name === this.ownName)) {
      // Our znode is gone while the session lives (deleted by hand): register again.
      this.ownName = null;
      this.dirty = true;
    }
    const others = candidates.filter((c) => c.id === this.id && c.name !== this.ownName);
    let kept = candidates;
    for (const candidate of others) {
      const stat = ok('exists', yield* call({ op: 'exists', path: `${this.options.path}/${candidate.name}`, watch: false }));
      if (stat === null || stat.owner !== this.session.id) continue;
      if (this.ownName === null && this.mayRegister()) {
        this.ownName = candidate.name;
        this.registeredAtMs = this.nowMs;
        this.emitEvent({ type: 'registered', znode: candidate.name });
        continue;
      }
      okOr('remove', yield* call({ op: 'remove', path: `${this.options.path}/${candidate.name}` }), ZkFailure.NoNode, null);
      kept = kept.filter((c) => c !== candidate);
    }
    return kept;
  }

  private mayRegister(): boolean {
    return !this.paused && !this.stopped && this.nowMs >= this.heldOffUntilMs;
  }

  /** A leader's write to its own candidate znode: if it succeeds, the lease runs from its sending. */
  private *renewLease(): Round {
    const own = this.ownName;
    if (own === null) return;
    const sentMs = this.nowMs;
    const reply = yield* call({ op: 'set-data', path: `${this.options.path}/${own}`, data: this.options.candidateData });
    if (!reply.ok && reply.failure === ZkFailure.NoNode) return this.demote('claim-lost');
    ok('set-data', reply);
    if (this.leading === null) return;
    this.writeConfirmed(sentMs);
  }

  private *listCandidates(): Round<Candidate[]> {
    const names = okOr('children', yield* call({ op: 'children', path: this.options.path, watch: false }), ZkFailure.NoNode, []);
    return names.map(parseCandidate).filter((c): c is Candidate => c !== null);
  }

  /** Sets the recipe's watch for this node: one predecessor, or the children (the top of bully). */
  private *watch(candidates: Candidate[], self: string): Round {
    const watch = watchOf(candidates, self, this.options.mode);
    if (watch.kind === 'candidate') {
      const stat = ok('exists', yield* call({ op: 'exists', path: `${this.options.path}/${watch.name}`, watch: true }));
      if (stat === null) this.dirty = true; // gone before the watch was set
    } else if (watch.kind === 'children') {
      const names = ok('children', yield* call({ op: 'children', path: this.options.path, watch: true }));
      if (names.filter((name) => parseCandidate(name) !== null).length !== candidates.length || names.some((name) => parseCandidate(name) !== null && !candidates.some((c) => c.name === name))) {
        this.dirty = true;
      }
    }
  }

  private *readClaim(): Round<ZkClaim | null> {
    const found = ok('get-data', yield* call({ op: 'get-data', path: `${this.options.path}/${CLAIM}` }));
    return found === null ? null : parseClaim(found.data, found.stat);
  }

  /** Claims if the recipe designates this node; steps down if it leads and should not. */
  private *lead(candidates: Candidate[]): Round {
    const { mode, path } = this.options;
    const first = designated(candidates, mode);
    if (this.leading !== null) {
      if (!this.stillHoldsClaim(this.claim)) return this.demote('claim-lost');
      if (first !== null && first.name !== this.ownName) yield* this.considerPreemption(first);
      else this.preemptAtMs = null;
      return;
    }
    const claimPath = `${path}/${CLAIM}`;
    if (this.claim !== null && this.claim.owner === this.session.id) {
      // A claim of ours that we do not lead by (from before a suspension, a create that timed
      // out, a demotion): it blocks everyone, us included, until it goes. A new one gets a new token.
      okOr('remove', yield* call({ op: 'remove', path: claimPath }), ZkFailure.NoNode, null);
      this.claim = null;
      this.dirty = true;
      return;
    }
    if (this.ownName === null || first?.name !== this.ownName || !this.canLead()) return;
    if (this.claim !== null) {
      const stat = ok('exists', yield* call({ op: 'exists', path: claimPath, watch: true }));
      if (stat === null) this.dirty = true; // released before the watch was set
      return;
    }
    const graceLeftMs = this.registeredAtMs + this.session.timeoutMs * BOOT_GRACE_SHARE - this.nowMs;
    if (mode === 'bully' && !this.everKnewLeader && graceLeftMs > 0) {
      this.wakeups.push(this.nowMs + graceLeftMs);
      return;
    }
    const sentMs = this.nowMs;
    const created = yield* call({ op: 'create', path: claimPath, data: claimData(this.id, this.ownName), sequential: false });
    if (!created.ok && created.failure === ZkFailure.NodeExists) {
      this.dirty = true;
      return;
    }
    ok('create', created);
    this.claim = yield* this.readClaim();
    if (this.claim === null || this.claim.owner !== this.session.id) return;
    if (!this.canLead() || this.nowMs >= sentMs + leaseMs(this.session.timeoutMs)) {
      // Paused while the claim was being made, or it took longer than a lease: give it back.
      this.dirty = true;
      return;
    }
    this.writeConfirmed(sentMs);
    this.leading = { token: this.claim.token, sinceMs: sentMs };
    const cause = this.everKnewLeader ? ElectionCause.Failover : ElectionCause.ColdStart;
    this.emitEvent({ type: 'elected', cause, token: this.claim.token, znode: this.ownName });
  }

  /** Bully mode with preemption: a higher ID takes over once it has been registered for the damping period. */
  private *considerPreemption(first: Candidate): Round {
    if (this.options.mode !== 'bully' || !this.options.preempt || first.id <= this.id) return;
    if (this.preemptAtMs === null) {
      this.preemptAtMs = this.nowMs + this.options.dampingMs;
      this.wakeups.push(this.preemptAtMs);
      return;
    }
    if (this.nowMs < this.preemptAtMs) return;
    this.demote('preempted');
    yield* this.releaseClaim();
  }

  /** Deletes the claim if it is this session's, as read now (a cached view may be stale). */
  private *releaseClaim(): Round {
    const claim = yield* this.readClaim();
    const ours = claim !== null && claim.owner === this.session.id;
    if (ours) okOr('remove', yield* call({ op: 'remove', path: `${this.options.path}/${CLAIM}` }), ZkFailure.NoNode, null);
    this.claim = ours ? null : claim;
  }

  private *removeOwn(): Round {
    yield* this.releaseClaim();
    const own = this.ownName;
    this.ownName = null;
    if (own !== null) okOr('remove', yield* call({ op: 'remove', path: `${this.options.path}/${own}` }), ZkFailure.NoNode, null);
  }

  /** Leaves the election for `holdOffMs` (or until resume()), then registers again at the back. */
  private withdraw(holdOffMs: number): void {
    this.heldOffUntilMs = this.nowMs + holdOffMs;
    if (holdOffMs > 0) this.wakeups.push(this.heldOffUntilMs);
    if (this.session.state === SessionState.Connected) this.begin('withdraw', this.removeOwn());
    else this.ownName = null; // gone with the session, or removed on the next connection's round
  }

  // ---- leadership ---------------------------------------------------------------------------

  private demote(reason: ZkDemoteReason): void {
    const leading = this.leading;
    if (leading === null) return;
    this.leading = null;
    this.preemptAtMs = null;
    // When the lease really ended: now, or earlier if it ran out before this node noticed (a stall).
    const leaseEndedAtMs = Math.min(this.nowMs, this.leaseUntilMs());
    this.emitEvent({ type: 'demoted', reason, token: leading.token, leaseEndedAtMs });
    this.updateLeader();
  }

  /** Nothing says the session is alive now: stop leading, and let the view go stale. */
  private loseContact(reason: ZkDemoteReason): void {
    this.demote(reason);
    this.lastReadMs = null;
    this.lastWriteMs = null;
    this.updateLeader();
  }

  /** The coordinator this node knows of: the claim's holder, while the session answers. */
  private updateLeader(): void {
    const fresh = this.session.state === SessionState.Connected && this.lastReadMs !== null && this.nowMs < this.lastReadMs + leaseMs(this.session.timeoutMs);
    // A claim of our own session that we do not lead by is a stale one, about to be replaced.
    const claim = this.claim !== null && this.claim.owner !== this.session.id ? this.claim : null;
    const leader = this.leading !== null ? this.id : fresh ? (claim?.id ?? null) : null;
    if (leader === this.knownLeader) return;
    const previous = this.knownLeader;
    this.knownLeader = leader;
    this.leaderChangedAtMs = this.nowMs;
    if (leader !== null) this.everKnewLeader = true;
    this.emitEvent({ type: 'leader', leader, previous });
  }

  private leaseUntilMs(): number {
    return this.lastWriteMs === null ? 0 : this.lastWriteMs + leaseMs(this.session.timeoutMs);
  }

  private canLead(): boolean {
    return this.session.state === SessionState.Connected && !this.paused && !this.stopped && this.nowMs >= this.heldOffUntilMs;
  }

  private requestDeadlineMs(): number {
    return this.options.requestedTimeoutMs;
  }

  /** No answer for a session timeout, connected or not: ask for a fresh connection (same session). */
  private kickIfSilent(): void {
    const timeoutMs = this.session.timeoutMs;
    const lastHeardMs = this.session.state === SessionState.Connected ? Math.max(this.lastReadMs ?? 0, this.session.sinceMs) : this.session.sinceMs;
    if (this.nowMs - lastHeardMs < timeoutMs || this.nowMs - this.lastKickMs < timeoutMs) return;
    this.lastKickMs = this.nowMs;
    this.command('kick');
  }

  private close(): void {
    this.round = null;
    this.session = { ...this.session, state: SessionState.Closed, sinceMs: this.nowMs };
    this.command('close');
  }

  // ---- output -------------------------------------------------------------------------------

  private send(request: ZkRequest): ZkOutbound {
    const outbound = { id: this.nextRequestId++, request };
    this.output.requests.push(outbound);
    return outbound;
  }

  private command(command: ZkCommand): void {
    this.output.commands.push(command);
  }

  /** Tells `event`, with the node's state as of now: a later change in the same input is not its. */
  private emitEvent(event: ZkCoreEvent): void {
    this.output.events.push({ event, state: this.state() });
  }

  private drain(): ZkOutput {
    const output = this.output;
    this.output = { requests: [], commands: [], events: [] };
    return output;
  }
}
