/**
 * A Conclave node that elects through a ZooKeeper ensemble instead of multicast, with the same
 * events, lease check and status as ConclaveNode (so the CLI, hooks and dashboard work as they
 * are).
 *
 * The recipe (recipe.ts) says which candidate should lead; that one then creates the claim znode
 * `<path>/leader` (ephemeral). Only one claim can exist, so two nodes never both hold one, and
 * the claim's creation zxid is the fencing token: every new claim is a later transaction, so the
 * token only grows, across leaders and across the same leader's returns.
 *
 * Never two leaders, also when the connection fails: a leader stops at once when the connection
 * is lost, and in any case once two thirds of the session timeout have passed since it sent the
 * last write that succeeded (the claim, then a write to its own candidate znode each refresh).
 * A write goes through the ensemble's leader, which refuses it once the session has expired, and
 * the ensemble expires the session (deleting the claim) no earlier than a full session timeout
 * after the last activity it knows of: so the old leader has stopped before anyone else can
 * claim. Reads are not enough: a server cut off from the ensemble's leader may still answer them.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { ElectionCause, ResignReason, Role, type NodeId } from '../core/index.ts';
import { systemClock } from '../contract/system-clock.ts';
import { startMetrics } from '../metrics/metrics.ts';
import type { NodeMetrics } from '../metrics/node-metrics.ts';
import type { DetailsOf, ElectorEvents, EventKind } from '../contract/events.ts';
import { eventLine } from '../contract/event-line.ts';
import type { ZooKeeperDemotionReason } from '../contract/event-fields.ts';
import type { ZooKeeperNodeStatus } from '../contract/status.ts';
import type { Elector } from '../contract/elector.ts';
import { GuardedEmitter } from '../contract/guarded-emitter.ts';
import { formatBackend, type ZooKeeperBackend } from './backend-url.ts';
import { candidatePrefix, designated, duplicateIds, parseCandidate, rank, watchOf, type Candidate } from './recipe.ts';
import { SessionState, type ElectionMode, type ZooKeeperStatus } from '../contract/zookeeper-status.ts';
import { ZK_NODE_EXISTS, ZK_NO_NODE, ZkError, ZkSession } from './zk-session.ts';

/** A leader leads for this share of the session timeout after its last confirmed request. */
export const LEASE_SHARE = 2 / 3;
/** Requests per session timeout that refresh the lease and the view (children, claim). */
const REFRESHES_PER_TIMEOUT = 6;
/**
 * Bully mode, before any leader is known: a designated candidate waits this share of the session
 * timeout after registering, so that nodes started together meet first and the highest ID wins
 * at once rather than by preemption after the damping period.
 */
const BOOT_GRACE_SHARE = 1 / 2;
/** After a failed request, the next attempt waits this long. */
const RETRY_MS = 100;
const CLAIM = 'leader';

export interface ZooKeeperNodeOptions {
  id: NodeId;
  cluster: string;
  backend: ZooKeeperBackend;
  /** The session timeout to ask for. */
  sessionTimeoutMs: number;
  /** Bully mode: a higher ID that joins takes over after it has been registered this long. */
  dampingMs: number;
  preempt: boolean;
  /** Serve Prometheus metrics on this port (0: any); absent: no endpoint. */
  metricsPort?: number;
  metricsHost?: string;
}

interface Claim {
  id: NodeId;
  znode: string;
  token: number;
  owner: string | null;
}

export class ZooKeeperNode extends GuardedEmitter<ElectorEvents> implements Elector {
  readonly id: NodeId;
  readonly options: ZooKeeperNodeOptions;
  readonly metrics: NodeMetrics;
  metricsPort: number | null = null;
  private metricsServer: Server | null = null;
  private session: ZkSession;
  private readonly startedAt = Date.now();
  private ownName: string | null = null;
  private registeredAtMs = 0;
  private candidates: Candidate[] = [];
  private claim: Claim | null = null;
  private leading: { token: number; sinceMs: number } | null = null;
  private knownLeader: NodeId | null = null;
  private leaderSince: number | null = null;
  private everKnewLeader = false;
  /** Monotonic time the last read that came back was sent: how fresh this node's view is. */
  private lastReadMs: number | null = null;
  /** Monotonic time the last write that succeeded was sent: the leader's lease runs from it. */
  private lastWriteMs: number | null = null;
  /** What this node's candidate znode holds (written again to renew the lease). */
  private readonly candidateData: Buffer;
  private heldOffUntilMs = 0;
  /** When the session last changed state, and when its connection was last dropped on purpose. */
  private stateSinceMs = systemClock.nowMs();
  private lastKickMs = Number.NEGATIVE_INFINITY;
  private pausedFlag = false;
  private preemptAtMs: number | null = null;
  private running = false;
  private dirty = false;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private leaseTimer: NodeJS.Timeout | null = null;

  private constructor(options: ZooKeeperNodeOptions, metrics: NodeMetrics) {
    super();
    this.options = options;
    this.id = options.id;
    this.candidateData = Buffer.from(JSON.stringify({ id: options.id, host: hostname(), pid: process.pid }));
    this.session = this.openSession();
    this.metrics = metrics;
  }

  /** Starts the node; it keeps trying to reach the ensemble in the background. */
  static async start(options: ZooKeeperNodeOptions): Promise<ZooKeeperNode> {
    let node: ZooKeeperNode | null = null;
    // Before the session: a bad --metrics-port or --metrics-host fails before the node joins.
    const endpoint = options.metricsPort === undefined ? null : { port: options.metricsPort, host: options.metricsHost ?? '127.0.0.1' };
    const { metrics, served } = await startMetrics({ id: options.id, cluster: options.cluster }, () => {
      if (node === null) throw new Error('the node is starting');
      return node.status();
    }, endpoint);
    node = new ZooKeeperNode(options, metrics);
    node.metricsServer = served?.server ?? null;
    node.metricsPort = served?.port ?? null;
    // After the caller's `await` has resumed and attached its listeners: then the first events.
    setImmediate(() => node.begin());
    return node;
  }

  private begin(): void {
    const { backend } = this.options;
    this.emitEvent('started', {
      backend: formatBackend(backend),
      servers: backend.servers,
      path: backend.path,
      mode: backend.mode,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      cluster: this.options.cluster,
      metricsPort: this.metricsPort,
    });
    this.session.connect();
    this.refreshLoop();
  }

  /** True while this node may act as coordinator. Check it right before each leader-only act. */
  hasLease(): boolean {
    return this.leading !== null && this.session.state === SessionState.Connected && systemClock.nowMs() < this.leaseUntilMs();
  }

  /** The fencing token: the claim's creation zxid (this node's while it leads, else the last seen). */
  get term(): number {
    return this.leading?.token ?? this.claim?.token ?? 0;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Gives up leadership now, if leading: fair mode requeues at the back, bully mode waits out the damping. */
  resign(reason: ResignReason = ResignReason.Requested): void {
    if (this.leading === null) return;
    this.demote(reason);
    const holdOffMs = this.options.backend.mode === 'bully' ? this.options.dampingMs : 0;
    void this.withdraw(holdOffMs);
  }

  /** Leaves the election (the candidate znode is deleted) until resume(); for drills. */
  pause(): void {
    if (this.pausedFlag) return;
    this.pausedFlag = true;
    if (this.leading !== null) this.demote('paused');
    this.emitEvent('paused', {});
    void this.withdraw(0);
  }

  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    this.emitEvent('resumed', {});
    this.schedule();
  }

  /** Resigns if leading, deletes its znodes (the next node takes over at once) and closes the session. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.leading !== null) this.demote('stopping');
      this.stopped = true;
      if (this.session.state === SessionState.Connected) {
        // Deleting the claim and the candidate wakes the successor now, not after a timeout.
        await this.removeOwn().catch(() => {});
      }
      this.session.close();
      for (const timer of this.timers) clearTimeout(timer);
      await new Promise<void>((resolve) => (this.metricsServer === null ? resolve() : this.metricsServer.close(() => resolve())));
      this.emitEvent('stopped', {});
    })();
    return this.stopping;
  }

  status(): ZooKeeperNodeStatus {
    const nowMs = systemClock.nowMs();
    return {
      backend: 'zookeeper',
      id: this.id,
      bootId: this.startedAt,
      role: this.role(),
      term: this.term,
      leader: this.knownLeader,
      leaderForMs: this.knownLeader !== null && this.leaderSince !== null ? Date.now() - this.leaderSince : null,
      leaseRemainingMs: this.hasLease() ? this.leaseUntilMs() - nowMs : null,
      quorum: this.quorum(),
      canLead: this.canLead(),
      alarms: { duplicateId: duplicateIds(this.candidates).includes(this.id), quarantined: false },
      campaign: null,
      lastElection: this.claim === null ? null : { term: this.claim.token, leader: this.claim.id, cause: ElectionCause.Failover, votedBy: [] },
      timings: {
        heartbeatMs: this.refreshMs(),
        memberBeatMs: this.refreshMs(),
        timeoutMs: this.session.timeoutMs,
        leaseMs: Math.floor(this.session.timeoutMs * LEASE_SHARE),
        dampingMs: this.options.dampingMs,
        preempt: this.options.preempt,
      },
      cluster: this.options.cluster,
      startedAt: this.startedAt,
      leaderSince: this.leaderSince,
      network: null,
      zookeeper: this.zookeeperStatus(nowMs),
    };
  }

  private zookeeperStatus(nowMs: number): ZooKeeperStatus {
    const { backend } = this.options;
    const leaderZnode = this.claim?.znode ?? null;
    return {
      backend: formatBackend(backend),
      servers: backend.servers,
      path: backend.path,
      mode: backend.mode,
      session: {
        state: this.session.state,
        id: this.session.id,
        timeoutMs: this.session.timeoutMs,
        requestedTimeoutMs: this.options.sessionTimeoutMs,
        lastContactAgoMs: this.lastReadMs === null ? null : nowMs - this.lastReadMs,
      },
      self: this.ownName,
      znodes: rank(this.candidates, backend.mode).map((c) => {
        const watch = watchOf(this.candidates, c.name, backend.mode);
        return {
          name: c.name,
          id: c.id,
          seq: c.seq,
          watches: watch.kind === 'candidate' ? watch.name : watch.kind === 'children' ? '(children)' : null,
          self: c.name === this.ownName,
          leads: c.name === leaderZnode,
        };
      }),
      claim: this.claim === null ? null : { id: this.claim.id, znode: this.claim.znode, token: this.claim.token },
      paused: this.pausedFlag,
    };
  }

  private role(): Role {
    if (this.leading !== null) return Role.Leader;
    const first = designated(this.candidates, this.options.backend.mode);
    return first !== null && first.name === this.ownName && this.session.state === SessionState.Connected ? Role.Candidate : Role.Follower;
  }

  /** In ZooKeeper mode the "quorum" a node needs is its session: 1 of 1 while connected. */
  private quorum(): { have: number; need: number; voters: number } {
    return { have: this.session.state === SessionState.Connected ? 1 : 0, need: 1, voters: Math.max(1, this.candidates.length) };
  }

  private canLead(): boolean {
    return this.session.state === SessionState.Connected && !this.pausedFlag && systemClock.nowMs() >= this.heldOffUntilMs;
  }

  private refreshMs(): number {
    return Math.max(20, Math.floor(this.session.timeoutMs / REFRESHES_PER_TIMEOUT));
  }

  private leaseUntilMs(): number {
    return this.lastWriteMs === null ? 0 : this.lastWriteMs + this.session.timeoutMs * LEASE_SHARE;
  }

  /** Until when this node's view (who holds the claim) counts as current. */
  private viewUntilMs(): number {
    return this.lastReadMs === null ? 0 : this.lastReadMs + this.session.timeoutMs * LEASE_SHARE;
  }

  private openSession(): ZkSession {
    const { backend, sessionTimeoutMs } = this.options;
    const session = new ZkSession({
      servers: backend.servers,
      sessionTimeoutMs,
      requestTimeoutMs: sessionTimeoutMs,
      onState: (state) => {
        if (session !== this.session || this.stopped) return;
        this.onSessionState(state);
      },
    });
    return session;
  }

  private onSessionState(state: SessionState): void {
    this.stateSinceMs = systemClock.nowMs();
    this.emitEvent('session', { state, sessionId: this.session.id, sessionTimeoutMs: this.session.timeoutMs });
    switch (state) {
      case SessionState.Connected:
        this.schedule();
        return;
      case SessionState.Suspended:
        // The session may live on, but nothing says so: stop leading now.
        this.loseContact('zookeeper-disconnected');
        return;
      case SessionState.Expired:
        this.loseContact('session-expired');
        // The ensemble deleted our znodes; a new session registers again.
        this.ownName = null;
        this.claim = null;
        this.candidates = [];
        this.session.close();
        this.session = this.openSession();
        this.session.connect();
        this.emitEvent('session', { state: this.session.state, sessionId: null, sessionTimeoutMs: this.session.timeoutMs });
        return;
      default:
        return;
    }
  }

  /** Nothing says the session is alive now: stop leading, and let the view go stale. */
  private loseContact(reason: ZooKeeperDemotionReason): void {
    if (this.leading !== null) this.demote(reason);
    this.lastReadMs = null;
    this.lastWriteMs = null;
    this.updateLeader();
  }

  /** Runs evaluate() now, or again right after the one in progress. */
  private schedule = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.dirty = false;
          await this.evaluate();
        } while (this.dirty && !this.stopped);
      } catch (error) {
        if (!this.stopped && this.session.state === SessionState.Connected) {
          this.emitEvent('warning', { message: `ZooKeeper: ${(error as Error).message}; retrying` });
          this.later(RETRY_MS, this.schedule);
        }
      } finally {
        this.running = false;
      }
    })();
  };

  /** Reads the election, sets the one watch the recipe gives this node, and claims if designated. */
  private async evaluate(): Promise<void> {
    const session = this.session;
    if (session.state !== SessionState.Connected || this.stopped) return;
    const { path, mode } = this.options.backend;
    const sentMs = systemClock.nowMs();
    if (this.ownName === null && this.mayRegister()) {
      await session.mkdirp(path);
      const created = await session.createEphemeral(`${path}/${candidatePrefix(this.id)}`, this.candidateData, true);
      if (!this.mayRegister() || session !== this.session) {
        // Paused, resigned or stopped while the request was out: take it back.
        await session.remove(created).catch(ignoreNoNode);
        return;
      }
      this.ownName = created.slice(path.length + 1);
      this.registeredAtMs = systemClock.nowMs();
      this.emitEvent('registered', { znode: this.ownName });
    }
    const candidates = await this.listCandidates();
    if (this.ownName !== null && !candidates.some((c) => c.name === this.ownName)) {
      // Our znode is gone while the session lives (deleted by hand): register again.
      this.ownName = null;
      this.dirty = true;
    }
    this.candidates = candidates;
    if (this.ownName !== null) await this.watch(candidates, this.ownName, mode);
    this.claim = await this.readClaim();
    if (session !== this.session) return;
    this.lastReadMs = sentMs;
    if (this.leading !== null) await this.renewLease(session);
    await this.lead(candidates);
    this.updateLeader();
  }

  private mayRegister(): boolean {
    return !this.pausedFlag && !this.stopped && systemClock.nowMs() >= this.heldOffUntilMs;
  }

  /** A leader's write to its own candidate znode: if it succeeds, the lease runs from its sending. */
  private async renewLease(session: ZkSession): Promise<void> {
    const own = this.ownName;
    if (own === null) return;
    const sentMs = systemClock.nowMs();
    try {
      await session.write(`${this.options.backend.path}/${own}`, this.candidateData);
    } catch (error) {
      if (error instanceof ZkError && error.code === ZK_NO_NODE) return this.demote('claim-lost');
      throw error;
    }
    if (session !== this.session || this.leading === null) return;
    this.lastWriteMs = sentMs;
    this.armLease();
  }

  private async listCandidates(): Promise<Candidate[]> {
    try {
      const names = await this.session.children(this.options.backend.path);
      return names.map(parseCandidate).filter((c): c is Candidate => c !== null);
    } catch (error) {
      if (error instanceof ZkError && error.code === ZK_NO_NODE) return [];
      throw error;
    }
  }

  /** Sets the recipe's watch for this node: one predecessor, or the children (the top of bully). */
  private async watch(candidates: Candidate[], self: string, mode: ElectionMode): Promise<void> {
    const watch = watchOf(candidates, self, mode);
    if (watch.kind === 'candidate') {
      const stat = await this.session.exists(`${this.options.backend.path}/${watch.name}`, this.schedule);
      if (stat === null) this.dirty = true; // gone before the watch was set
    } else if (watch.kind === 'children') {
      const names = await this.session.children(this.options.backend.path, this.schedule);
      if (names.length !== candidates.length || names.some((name) => !candidates.some((c) => c.name === name))) this.dirty = true;
    }
  }

  private async readClaim(): Promise<Claim | null> {
    const found = await this.session.read(`${this.options.backend.path}/${CLAIM}`);
    if (found === null) return null;
    let parsed: { id?: unknown; znode?: unknown };
    try {
      parsed = JSON.parse(found.data.toString('utf8')) as { id?: unknown; znode?: unknown };
    } catch {
      parsed = {};
    }
    const id = typeof parsed.id === 'number' ? parsed.id : 0;
    return { id, znode: typeof parsed.znode === 'string' ? parsed.znode : '', token: found.stat.czxid, owner: found.stat.owner };
  }

  /** Claims if the recipe designates this node; steps down if it leads and should not. */
  private async lead(candidates: Candidate[]): Promise<void> {
    const { mode } = this.options.backend;
    const first = designated(candidates, mode);
    const ours = this.claim !== null && this.claim.owner === this.session.id;
    if (this.leading !== null) {
      if (!ours || this.ownName === null) return this.demote('claim-lost');
      if (first !== null && first.name !== this.ownName) this.considerPreemption(first);
      else this.preemptAtMs = null;
      return;
    }
    const claimPath = `${this.options.backend.path}/${CLAIM}`;
    if (ours) {
      // A claim of ours that we do not lead by (from before a suspension, a create that timed
      // out, a demotion): it blocks everyone, us included, until it goes. A new one gets a new token.
      await this.session.remove(claimPath).catch(ignoreNoNode);
      this.claim = null;
      this.dirty = true;
      return;
    }
    if (this.ownName === null || first?.name !== this.ownName || !this.canLead()) return;
    if (this.claim !== null) {
      if ((await this.session.exists(claimPath, this.schedule)) === null) this.dirty = true; // released before the watch was set
      return;
    }
    const graceLeftMs = this.registeredAtMs + this.session.timeoutMs * BOOT_GRACE_SHARE - systemClock.nowMs();
    if (mode === 'bully' && !this.everKnewLeader && graceLeftMs > 0) {
      this.later(graceLeftMs, this.schedule);
      return;
    }
    const sentMs = systemClock.nowMs();
    try {
      await this.session.createEphemeral(claimPath, Buffer.from(JSON.stringify({ id: this.id, znode: this.ownName })), false);
    } catch (error) {
      if (error instanceof ZkError && error.code === ZK_NODE_EXISTS) {
        this.dirty = true;
        return;
      }
      throw error;
    }
    this.claim = await this.readClaim();
    if (this.claim === null || this.claim.owner !== this.session.id) return;
    if (!this.canLead() || this.stopped || systemClock.nowMs() >= sentMs + this.session.timeoutMs * LEASE_SHARE) {
      // Paused or stopped while the claim was being made, or it took longer than a lease: give it back.
      this.dirty = true;
      return;
    }
    this.lastWriteMs = sentMs;
    this.leading = { token: this.claim.token, sinceMs: sentMs };
    this.armLease();
    const cause = this.everKnewLeader ? ElectionCause.Failover : ElectionCause.ColdStart;
    this.emitEvent('elected', { cause, votedBy: [], token: this.claim.token, znode: this.ownName });
    this.emit('elected', { term: this.claim.token });
  }

  /** Bully mode with preemption: a higher ID takes over once it has been registered for the damping period. */
  private considerPreemption(first: Candidate): void {
    if (this.options.backend.mode !== 'bully' || !this.options.preempt || first.id <= this.id) return;
    const nowMs = systemClock.nowMs();
    if (this.preemptAtMs === null) {
      this.preemptAtMs = nowMs + this.options.dampingMs;
      this.later(this.options.dampingMs, this.schedule);
      return;
    }
    if (nowMs < this.preemptAtMs) return;
    this.demote('preempted');
    this.releaseClaim().catch(() => this.schedule());
  }

  private demote(reason: ZooKeeperDemotionReason): void {
    const leading = this.leading;
    if (leading === null) return;
    this.leading = null;
    this.preemptAtMs = null;
    this.cancel(this.leaseTimer);
    this.leaseTimer = null;
    // When the lease really ended: now, or earlier if it ran out before this node noticed (a stall).
    const nowMs = systemClock.nowMs();
    const leaseEndedAt = Date.now() - (nowMs - Math.min(nowMs, this.leaseUntilMs()));
    this.emitEvent('demoted', { reason, leaseTerm: leading.token, leaseEndedAt });
    this.emit('demoted', { term: leading.token, reason });
    this.updateLeader();
  }

  /** Ends the lease when no write has succeeded for its length (a silent server, a cut link). */
  private armLease(): void {
    this.cancel(this.leaseTimer);
    this.leaseTimer = null;
    if (this.leading === null) return;
    const waitMs = this.leaseUntilMs() - systemClock.nowMs();
    this.leaseTimer = this.later(Math.max(0, waitMs) + 1, () => {
      this.leaseTimer = null;
      if (systemClock.nowMs() < this.leaseUntilMs()) return;
      if (this.leading !== null) this.demote('zookeeper-unreachable');
    });
  }

  /** Deletes the claim if it is this session's, as read now (a cached view may be stale). */
  private async releaseClaim(): Promise<void> {
    if (this.session.state !== SessionState.Connected) return;
    const claim = await this.readClaim();
    if (claim !== null && claim.owner === this.session.id) await this.session.remove(`${this.options.backend.path}/${CLAIM}`).catch(ignoreNoNode);
    this.claim = claim !== null && claim.owner === this.session.id ? null : claim;
  }

  private async removeOwn(): Promise<void> {
    await this.releaseClaim();
    const own = this.ownName;
    this.ownName = null;
    if (own !== null) await this.session.remove(`${this.options.backend.path}/${own}`).catch(ignoreNoNode);
  }

  /** Leaves the election for `holdOffMs` (or until resume()), then registers again at the back. */
  private async withdraw(holdOffMs: number): Promise<void> {
    this.heldOffUntilMs = systemClock.nowMs() + holdOffMs;
    try {
      await this.removeOwn();
    } catch {
      // the refresh loop tries again
    }
    if (holdOffMs > 0) this.later(holdOffMs, this.schedule);
    this.schedule();
  }

  /** The coordinator this node knows of: the claim's holder, while the session answers. */
  private updateLeader(): void {
    const fresh = this.session.state === SessionState.Connected && systemClock.nowMs() < this.viewUntilMs();
    // A claim of our own session that we do not lead by is a stale one, about to be replaced.
    const claim = this.claim !== null && this.claim.owner !== this.session.id ? this.claim : null;
    const leader = this.leading !== null ? this.id : fresh ? (claim?.id ?? null) : null;
    if (leader === this.knownLeader) return;
    const previous = this.knownLeader;
    this.knownLeader = leader;
    this.leaderSince = leader === null ? null : Date.now();
    if (leader !== null) this.everKnewLeader = true;
    this.emitEvent('leader', { previous });
    this.emit('leader', { leader, term: this.term });
  }

  /** Refreshes the view and the lease REFRESHES_PER_TIMEOUT times per session timeout. */
  private refreshLoop(): void {
    if (this.stopped) return;
    this.kickIfSilent();
    this.updateLeader(); // a view that went stale without an answer
    this.schedule();
    this.later(this.refreshMs(), () => this.refreshLoop());
  }

  /** No answer for a session timeout, connected or not: start a fresh connection (same session). */
  private kickIfSilent(): void {
    const nowMs = systemClock.nowMs();
    const timeoutMs = this.session.timeoutMs;
    const lastHeardMs = this.session.state === SessionState.Connected ? Math.max(this.lastReadMs ?? 0, this.stateSinceMs) : this.stateSinceMs;
    if (nowMs - lastHeardMs < timeoutMs || nowMs - this.lastKickMs < timeoutMs) return;
    this.lastKickMs = nowMs;
    this.session.kick();
  }

  private cancel(timer: NodeJS.Timeout | null): void {
    if (timer === null) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private later(ms: number, fire: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fire();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  protected override emitListenerError(listenerOf: string, error: string): void {
    this.emitEvent('listener-error', { listenerOf, error });
  }

  private emitEvent<K extends EventKind>(kind: K, details: DetailsOf<K>): void {
    const state = { id: this.id, role: this.role(), term: this.term, leader: this.knownLeader, quorum: { have: this.quorum().have, need: 1 } };
    this.emit('event', eventLine(state, kind, details));
  }
}

function ignoreNoNode(error: unknown): void {
  if (error instanceof ZkError && error.code === ZK_NO_NODE) return;
  throw error;
}
