/**
 * A Conclave node that elects through a ZooKeeper ensemble instead of multicast, with the same
 * events, lease check and status as ConclaveNode (so the CLI, hooks and dashboard work as they
 * are). The election itself is the pure state machine in election/zk-election.ts (where its
 * safety argument is written); this class runs it over node-zookeeper-client with ZkDriver and
 * turns what it tells into the node's events and status.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { ResignReason, type NodeId } from '../core/index.ts';
import { systemClock, wallAtMs } from '../contract/system-clock.ts';
import { startMetrics } from '../metrics/metrics.ts';
import type { NodeMetrics } from '../metrics/node-metrics.ts';
import type { DetailsOf, ElectorEvents, EventKind } from '../contract/events.ts';
import { eventLine } from '../contract/event-line.ts';
import { eventStream, type EventStream, type EventStreamOptions } from '../contract/event-stream.ts';
import type { ZooKeeperNodeStatus } from '../contract/status.ts';
import type { Elector } from '../contract/elector.ts';
import { GuardedEmitter } from '../contract/guarded-emitter.ts';
import { formatBackend, type ZooKeeperBackend } from './backend-url.ts';
import type { ZkNodeState, ZkTold } from './election/events.ts';
import { leaseMs, refreshMs } from './election/lease.ts';
import { createZkCore, type ZkCore } from './election/zk-core.ts';
import { zookeeperStatus } from './status.ts';
import { sessionQuorum } from '../contract/status-quorum.ts';
import { ZkDriver } from './zk-driver.ts';
import { ZkSession } from './zk-session.ts';

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

export class ZooKeeperNode extends GuardedEmitter<ElectorEvents> implements Elector {
  readonly id: NodeId;
  private readonly options: ZooKeeperNodeOptions;
  private readonly metrics: NodeMetrics;
  #metricsPort: number | null = null;
  private metricsServer: Server | null = null;
  private readonly election: ZkCore;
  private readonly driver: ZkDriver;
  private readonly startedAt = Date.now();
  private stopping: Promise<void> | null = null;
  /** The `stopped` line is out: a stream opened now ends at once. */
  private stopped = false;

  private constructor(options: ZooKeeperNodeOptions, metrics: NodeMetrics) {
    super();
    this.options = options;
    this.id = options.id;
    this.metrics = metrics;
    const { backend, sessionTimeoutMs } = options;
    this.election = createZkCore({
      id: options.id,
      path: backend.path,
      mode: backend.mode,
      requestedTimeoutMs: sessionTimeoutMs,
      dampingMs: options.dampingMs,
      preempt: options.preempt,
      candidateData: Buffer.from(JSON.stringify({ id: options.id, host: hostname(), pid: process.pid })),
    });
    this.driver = new ZkDriver({
      election: this.election,
      clock: systemClock,
      openClient: (onState) => new ZkSession({ servers: backend.servers, sessionTimeoutMs, requestTimeoutMs: sessionTimeoutMs, onState }),
      onEvent: (event) => this.tell(event),
    });
  }

  /** Starts the node; it keeps trying to reach the ensemble in the background. */
  /** The port the metrics endpoint listens on, if any. */
  get metricsPort(): number | null {
    return this.#metricsPort;
  }

  static async start(options: ZooKeeperNodeOptions): Promise<ZooKeeperNode> {
    let node: ZooKeeperNode | null = null;
    // Before the session: a bad --metrics-port or --metrics-host fails before the node joins.
    const endpoint = options.metricsPort === undefined ? null : { port: options.metricsPort, host: options.metricsHost ?? '127.0.0.1' };
    const { metrics, served } = await startMetrics({ id: options.id, cluster: options.cluster }, () => {
      if (node === null) throw new Error('the node is starting');
      return { ...node.status(), quorum: sessionQuorum(node.election.view(systemClock.nowMs()).connected) };
    }, endpoint);
    node = new ZooKeeperNode(options, metrics);
    node.metricsServer = served?.server ?? null;
    node.#metricsPort = served?.port ?? null;
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
    this.driver.start();
  }

  /** True while this node may act as coordinator. Check it right before each leader-only act. */
  hasLease(): boolean {
    return this.election.hasLease(systemClock.nowMs());
  }

  /** The fencing token: the claim's creation zxid (this node's while it leads, else the last seen). */
  get term(): number {
    return this.election.view(systemClock.nowMs()).term;
  }

  get paused(): boolean {
    return this.election.status(systemClock.nowMs()).paused;
  }

  /** Gives up leadership now, if leading: fair mode requeues at the back, bully mode waits out the damping. */
  resign(reason: ResignReason = ResignReason.Requested): void {
    this.driver.resign(reason === ResignReason.Preempted ? 'preempted' : 'requested');
  }

  /** Leaves the election (the candidate znode is deleted) until resume(); for drills. */
  pause(): void {
    this.driver.pause();
  }

  resume(): void {
    this.driver.resume();
  }

  /** The lines from now on, as an async iterator (contract/event-stream.ts); it ends after `stopped`. */
  events<K extends EventKind = EventKind>(options?: EventStreamOptions<K>): EventStream<K> {
    return eventStream(this, this.stopped, options);
  }

  /** Resigns if leading, deletes its znodes (the next node takes over at once) and closes the session. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.driver.stop();
      await new Promise<void>((resolve) => (this.metricsServer === null ? resolve() : this.metricsServer.close(() => resolve())));
      this.stopped = true;
      this.emitEvent('stopped', {});
    })();
    return this.stopping;
  }

  status(): ZooKeeperNodeStatus {
    const nowMs = systemClock.nowMs();
    const view = this.election.status(systemClock.nowMs());
    const timeoutMs = view.session.timeoutMs;
    return {
      backend: 'zookeeper',
      id: this.id,
      role: view.role,
      term: this.term,
      leader: view.knownLeader,
      leaderForMs: view.knownLeader !== null ? nowMs - view.leaderChangedAtMs : null,
      leaseRemainingMs: view.leading !== null && this.hasLease() ? view.leading.leaseUntilMs - nowMs : null,
      canLead: view.canLead,
      alarms: { duplicateId: view.duplicateId },
      lastElection: view.claim === null ? null : { term: view.claim.token, leader: view.claim.id },
      timings: {
        timeoutMs,
        leaseMs: Math.floor(leaseMs(timeoutMs)),
        dampingMs: this.options.dampingMs,
        preempt: this.options.preempt,
        refreshMs: refreshMs(timeoutMs),
      },
      cluster: this.options.cluster,
      startedAt: this.startedAt,
      leaderSince: view.knownLeader === null ? null : wallAtMs(view.leaderChangedAtMs),
      network: null,
      zookeeper: zookeeperStatus(view, this.options, nowMs),
    };
  }

  /** One thing the election told: a line of the node's story, and the changes a program acts on. */
  private tell({ event, state }: ZkTold): void {
    const emitEvent = <K extends EventKind>(kind: K, details: DetailsOf<K>) => this.emitEventAs(state, kind, details);
    switch (event.type) {
      case 'session':
        emitEvent('session', { state: event.state, sessionId: event.sessionId, sessionTimeoutMs: event.sessionTimeoutMs });
        return;
      case 'registered':
        emitEvent('registered', { znode: event.znode });
        return;
      case 'elected':
        emitEvent('elected', { cause: event.cause, votedBy: [], token: event.token, znode: event.znode });
        this.emit('elected', { term: event.token });
        return;
      case 'demoted': {
        emitEvent('demoted', { reason: event.reason, leaseTerm: event.token, leaseEndedAt: wallAtMs(event.leaseEndedAtMs) });
        this.emit('demoted', { term: event.token, reason: event.reason });
        return;
      }
      case 'leader':
        emitEvent('leader', { previous: event.previous });
        this.emit('leader', { leader: event.leader, term: state.term });
        return;
      case 'warning':
        emitEvent('warning', { message: event.message });
        return;
      case 'paused':
      case 'resumed':
        emitEvent(event.type, {});
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`unhandled ZooKeeper event ${JSON.stringify(unhandled)}`);
      }
    }
  }

  protected override emitListenerError(listenerOf: string, error: string): void {
    this.emitEvent('listener-error', { listenerOf, error });
  }

  /** A line about the node as it is now (started, stopped, a listener's error). */
  private emitEvent<K extends EventKind>(kind: K, details: DetailsOf<K>): void {
    this.emitEventAs(this.election.view(systemClock.nowMs()), kind, details);
  }

  /** A line about the node as it stood when the election told the event. */
  private emitEventAs<K extends EventKind>(state: ZkNodeState, kind: K, details: DetailsOf<K>): void {
    const header = { id: this.id, role: state.role, term: state.term, leader: state.leader, quorum: sessionQuorum(state.connected) };
    this.emit('event', eventLine(header, kind, details));
  }
}
