import type { Server } from 'node:http';
import { ResignReason, configId, createLanCore, type LanCore, silenceLimitMs, type CoreEvent, type NodeId } from '../core/index.ts';
import { PeerDirectory } from '../net/peer-directory.ts';
import { formatSeed, resolveSeeds, type Seed } from '../net/seeds.ts';
import { UdpTransport } from '../net/udp-transport.ts';
import { receiveBufferWarning } from '../net/receive-buffer.ts';
import { KernelUdpWatch, kernelUdpReader } from '../net/kernel-udp-errors.ts';
import { Wire, noDrops, type DropReason, type ForeignConfig } from '../wire/wire.ts';
import { systemClock, wallAtMs } from '../contract/system-clock.ts';
import { Driver } from './driver.ts';
import { DropReporter } from './drop-reporter.ts';
import { AloneWatch } from './alone-watch.ts';
import { aloneAdvice } from './alone-advice.ts';
import { StallDetector, stallThresholdMs, type Stall } from './stall-detector.ts';
import { GuardedEmitter } from '../contract/guarded-emitter.ts';
import { startMetrics } from '../metrics/metrics.ts';
import type { NodeMetrics } from '../metrics/node-metrics.ts';
import { resolveOptions, type NodeOptions, type ResolvedOptions } from './options.ts';
import type { Elector } from '../contract/elector.ts';
import type { DetailsOf, ElectorEvents, EventKind } from '../contract/events.ts';
import { eventLine } from '../contract/event-line.ts';
import { eventStream, type EventStream, type EventStreamOptions } from '../contract/event-stream.ts';
import type { LanStatus } from '../contract/status.ts';
import { StateFile } from './state-file.ts';
import { gateOf, gatedTimer, type InputGate } from './input-gate.ts';

/** How often, at most, one drop reason gets its own event line (the rest are counted in it). */
const DROP_REPORT_INTERVAL_MS = 1000;
/**
 * The stall detector's own timer, as a share of its threshold: a stall's length is known to within
 * this (250 ms at the default timeout). Every clock reading for the core is checked too, so the
 * timer only matters to an idle node; every 100 ms it was a third of a settled follower's wake-ups.
 */
const STALL_CHECKS_PER_THRESHOLD = 2;
/** How often the kernel's UDP error counters are read (Linux); a read costs a few microseconds. */
const KERNEL_UDP_POLL_MS = 1000;
/** A node that hears no other node this long (since start, or since the last) says why. */
const ALONE_AFTER_MS = 10_000;
/** An `alone` line of one cause at most this often: a person reads it, a log keeps it. */
const ALONE_LINE_INTERVAL_MS = 60_000;
/** A seed whose name did not resolve is looked up again this often. */
const SEED_RETRY_MS = 10_000;

/**
 * A Conclave node on a real network: the election core driven over UDP multicast, with
 * authenticated datagrams, durable state, metrics and a status snapshot.
 */
export class ConclaveNode extends GuardedEmitter<ElectorEvents> implements Elector {
  private readonly options: ResolvedOptions;
  private readonly core: LanCore;
  private readonly driver: Driver;
  private readonly transport: UdpTransport;
  private readonly store: StateFile;
  private readonly metrics: NodeMetrics;
  private metricsServer: Server | null = null;
  #metricsPort: number | null = null;
  private readonly startedAt = Date.now();
  private leaderSince: number | null = null;
  private leaderlessSince: number | null = Date.now();
  private campaignStartedMs: number | null = null;
  private readonly drops = noDrops();
  private readonly dropReporter = new DropReporter({
    intervalMs: DROP_REPORT_INTERVAL_MS,
    nowMs: () => systemClock.nowMs(),
    setTimer: cancellableTimeout,
    report: ({ reason, count, from, source, detail }) => this.emitEvent('dropped', { reason, count, total: this.drops[reason], from, source, detail }),
  });
  /** Failed sends become `send-failed` lines like drops: at most one per error code per second. */
  private readonly sendFailureReporter = new DropReporter<string>({
    intervalMs: DROP_REPORT_INTERVAL_MS,
    nowMs: () => systemClock.nowMs(),
    setTimer: cancellableTimeout,
    report: ({ reason: code, count, source, detail }) =>
      this.emitEvent('send-failed', {
        code,
        count,
        total: this.transport.stats.sendErrorsByCode[code] ?? 0,
        target: source,
        congestion: this.transport.congestion.congested(systemClock.nowMs()),
        detail,
      }),
  });
  /** Notices that this process was frozen, on waking (docs/protocol.md, "Model", clocks). */
  private readonly stalls: StallDetector;
  /** As of the last check that found no stall: when this node's lease ends (local ms), or null if it does not lead. */
  private leaseEndBeforeStallMs: number | null = null;
  private stopping: Promise<void> | null = null;
  /** The `stopped` line is out: a stream opened now ends at once. */
  private stopped = false;
  /** begin() has run: the node has said hello, and has a goodbye to say. */
  private begun = false;
  /** The state could not be saved: the node has stopped taking part. */
  private failed = false;
  private leading = false;
  /** Seeds whose names have not resolved yet. */
  private unresolvedSeeds: Seed[] = [];
  private seedTimer: NodeJS.Timeout | null = null;
  /** The kernel's UDP error counters (Linux), for the send failures no send reports. */
  private readonly kernelUdp = new KernelUdpWatch(kernelUdpReader());
  private kernelUdpTimer: NodeJS.Timeout | null = null;
  /** Why this node hears nobody, or drops a sender's datagrams: checked by the once-a-second poll. */
  private readonly alone: AloneWatch;

  /** Timers and datagrams pass it on their way in (./input-gate.ts). */
  private readonly gate: InputGate;

  private constructor(options: ResolvedOptions, store: StateFile, transport: UdpTransport, core: LanCore, metrics: NodeMetrics, gate: InputGate) {
    super();
    this.gate = gate;
    this.options = options;
    this.store = store;
    this.transport = transport;
    this.core = core;
    this.metrics = metrics;
    transport.onSocketError((code) => metrics.socketErrors.inc({ code }));
    transport.onSendError(({ code, target, count, message }) => {
      metrics.sendErrors.inc({ code }, count);
      this.sendFailureReporter.drop(code, message, null, target, count);
    });
    const { config } = options;
    const seeds = options.seeds.map(formatSeed);
    this.alone = new AloneWatch({
      silenceMs: ALONE_AFTER_MS,
      intervalMs: ALONE_LINE_INTERVAL_MS,
      expectsPeers: config.voters.length > 1 || seeds.length > 0,
      describe: aloneAdvice({
        interface: transport.iface.name,
        address: transport.iface.address,
        interfaceChoice: transport.iface.why,
        group: transport.group,
        port: transport.port,
        unicastPort: transport.unicastPort,
        multicast: transport.multicastEnabled,
        seeds,
        cluster: options.cluster,
        config,
        // As the wire's configId below is made: a guess must hash as our own ID does. With a
        // cluster file the text it agrees on holds the timers too, so no one-field guess matches
        // and the line says it cannot tell (docs/cluster-file.md).
        configIdOf: (guess) => configId(guess, options.agreedDescription),
      }),
      report: (fields) => this.emitEvent('alone', fields),
    }, systemClock.nowMs());
    this.stalls = new StallDetector({
      thresholdMs: stallThresholdMs(config.timeoutMs),
      periodMs: stallThresholdMs(config.timeoutMs) / STALL_CHECKS_PER_THRESHOLD,
      nowMs: () => systemClock.nowMs(),
      setTimer: (fire, delayMs) =>
        gatedTimer(gate, (gated) => {
          const timer = setTimeout(gated, delayMs);
          timer.unref();
          return () => clearTimeout(timer);
        }, fire),
      onSteady: (nowMs) => (this.leaseEndBeforeStallMs = core.hasLease(nowMs) ? core.view(nowMs).leaseEndMs : null),
      onStall: (stall) => this.onStall(stall),
    });
    const { bootId } = core.status(systemClock.nowMs());
    this.driver = new Driver({
      core,
      // Every reading the core gets is checked for a stall first: on waking, the report comes
      // before anything the core does with the time that passed.
      clock: {
        nowMs: () => {
          const nowMs = systemClock.nowMs();
          this.stalls.check(nowMs);
          return nowMs;
        },
        schedule: (atMs, fire) => gatedTimer(gate, (gated) => systemClock.schedule(atMs, gated), fire),
      },
      transport,
      store,
      wire: new Wire({
        selfId: options.id,
        cluster: options.cluster,
        configId: configId(config, options.agreedDescription),
        voters: config.voters,
        keys: options.keys,
        aliveMs: silenceLimitMs(config.timeoutMs, config.memberBeatMs),
        unicastPort: transport.unicastPort,
        members: () => transport.directory.gossip(systemClock.nowMs()),
        ownPastBoots: new Set(store.boots.filter((boot) => boot !== bootId)),
      }),
      onEvent: (event) => this.onCoreEvent(event),
      onDrop: (reason, detail, from, source, foreign) => this.onDrop(reason, detail, from, source, foreign),
      onSend: ({ message }) => this.metrics.sent.inc({ kind: message.type }),
      onReceive: ({ message, unicastPort, members }, address, route, sourcePort) => {
        this.metrics.received.inc({ kind: message.type });
        if (message.type === 'heartbeat') this.emit('heartbeat', { from: message.from, atMs: Date.now() });
        const nowMs = systemClock.nowMs();
        if (message.from !== options.id) this.alone.heard(message.from, nowMs);
        transport.directory.heard(message.from, address, unicastPort, route, nowMs, sourcePort);
        if (message.type === 'heartbeat') transport.directory.heardBy(message.from, message.hears.includes(options.id), nowMs);
        if (members.length > 0) transport.directory.told(message.from, members, nowMs);
      },
      // The copy that came second still says the route works (the group, or unicast).
      onDuplicate: (from, address, route) => transport.directory.heard(from, address, 0, route, systemClock.nowMs()),
      onFatal: (error) => this.fail(error),
      onSendError: (outgoing, error) => this.emitEvent('warning', { message: `could not send ${outgoing.message.type}: ${error.message}` }),
    });
  }

  /** The port the metrics endpoint listens on, if any. */
  get metricsPort(): number | null {
    return this.#metricsPort;
  }

  /** Validates the options, takes the data directory, opens the sockets and starts. */
  static async start(input: NodeOptions): Promise<ConclaveNode> {
    const gate = gateOf(input);
    const options = resolveOptions(input);
    const identity = { nodeId: options.id, voters: options.config.voters };
    const { store, state, bootId } = await StateFile.open(options.dataDir, identity, { acceptNewVoters: options.acceptNewVoters });
    let node: ConclaveNode | null = null;
    let metricsServer: Server | null = null;
    let transport: UdpTransport | null = null;
    try {
      // Before the sockets: a bad --metrics-port or --metrics-host fails before the node joins.
      const endpoint = options.metricsPort === undefined ? null : { port: options.metricsPort, host: options.metricsHost };
      const { metrics, served } = await startMetrics({ id: options.id, cluster: options.cluster }, () => {
        if (node === null) throw new Error('the node is starting');
        return node.core.status(systemClock.nowMs());
      }, endpoint);
      metricsServer = served?.server ?? null;
      const directory = new PeerDirectory({ selfId: options.id, voters: options.config.voters, aliveMs: silenceLimitMs(options.config.timeoutMs, options.config.memberBeatMs), multicast: options.multicast });
      const seeds = await resolveSeeds(options.seeds);
      directory.addSeeds(seeds.resolved);
      transport = await UdpTransport.open({
        group: options.group,
        port: options.port,
        interface: options.interface,
        ttl: options.ttl,
        multicast: options.multicast,
        multicastBind: options.multicastBind,
        unicastPort: options.unicastPort,
        unicastPortRequired: options.unicastPortRequired,
        directory,
      });
      const core = createLanCore({ id: options.id, config: options.config, bootId, nowMs: systemClock.nowMs(), persisted: state, random: Math.random });
      const started = new ConclaveNode(options, store, transport, core, metrics, gate);
      started.unresolvedSeeds = seeds.failed.map((failure) => failure.seed);
      started.metricsServer = metricsServer;
      started.#metricsPort = served?.port ?? null;
      node = started;
      // After the caller's `await` has resumed and attached its listeners: then the first events.
      setImmediate(() => started.begin(state?.term ?? 0));
      return started;
    } catch (error) {
      await transport?.close();
      await closeServer(metricsServer).catch(() => {});
      await store.close();
      throw error;
    }
  }

  /** True while this node may act as coordinator. Check it right before each leader-only act. */
  hasLease(): boolean {
    return !this.failed && this.core.hasLease(systemClock.nowMs());
  }

  get term(): number {
    return this.core.view(systemClock.nowMs()).term;
  }

  get id(): NodeId {
    return this.options.id;
  }

  status(): LanStatus {
    const { iface, group, port, unicastPort, stats, paused } = this.transport;
    const core = this.core.status(systemClock.nowMs());
    return {
      backend: 'lan',
      ...core,
      peers: core.peers.map((peer) => ({
        ...peer,
        address: this.transport.addressOf(peer.id),
        route: this.transport.directory.routeOf(peer.id, systemClock.nowMs()),
      })),
      cluster: this.options.cluster,
      startedAt: this.startedAt,
      leaderSince: this.leaderSince,
      network: {
        interface: iface.name,
        address: iface.address,
        group,
        port,
        unicastPort,
        multicast: this.transport.multicastEnabled,
        seeds: this.options.seeds.map(formatSeed),
        authenticated: this.options.keys !== null,
        paused,
      },
      zookeeper: null,
      dataDir: this.options.dataDir,
      drops: { ...this.drops },
      alone: this.paused ? [] : this.alone.current(systemClock.nowMs()),
      traffic: {
        datagramsSent: stats.datagramsSent,
        bytesSent: stats.bytesSent,
        datagramsReceived: stats.datagramsReceived,
        bytesReceived: stats.bytesReceived,
        sendErrors: stats.sendErrors,
        sendErrorsByCode: { ...stats.sendErrorsByCode },
        kernel: this.kernelUdp.available ? { ...this.kernelUdp.total } : null,
        congested: this.transport.congestion.congested(systemClock.nowMs()),
        sendQueue: this.transport.sendQueueDatagrams,
        socketErrors: { ...stats.socketErrors },
      },
    };
  }

  /** Gives up leadership now, if leading; the next node is elected at once. */
  resign(reason: ResignReason = ResignReason.Requested): void {
    this.driver.resign(reason);
  }

  /**
   * Stops sending and receiving, as if the cable were pulled: a coordinator loses its quorum and
   * steps down when its lease ends; the others elect without it. For demonstrations and drills.
   */
  pause(): void {
    if (this.transport.paused) return;
    this.transport.paused = true;
    this.emitEvent('paused', {});
  }

  /** Undoes pause(): the node is heard again and rejoins (as a follower, or by preemption). */
  resume(): void {
    if (!this.transport.paused) return;
    this.transport.paused = false;
    this.alone.restart(systemClock.nowMs());
    this.emitEvent('resumed', {});
  }

  get paused(): boolean {
    return this.transport.paused;
  }

  /** The lines from now on, as an async iterator (contract/event-stream.ts); it ends after `stopped`. */
  events<K extends EventKind = EventKind>(options?: EventStreamOptions<K>): EventStream<K> {
    return eventStream(this, this.stopped, options);
  }

  /**
   * Resigns if leading, tells the peers, closes the sockets and releases the data directory and
   * the metrics port. Every step is taken even if one before it failed; then the first error is
   * thrown.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const errors: unknown[] = [];
      const step = async (work: () => Promise<void>): Promise<void> => {
        try {
          await work();
        } catch (error) {
          errors.push(error);
        }
      };
      if (this.begun) {
        await step(() => this.driver.leave());
        // The goodbye datagrams are handed to the kernel; give them a moment to leave.
        await new Promise((resolve) => setTimeout(resolve, 20));
      } else {
        this.driver.halt(); // stopped before it began: it never said hello, and never will
      }
      await step(() => this.transport.close());
      await step(() => this.store.close());
      await step(() => closeServer(this.metricsServer));
      this.dropReporter.stop();
      this.sendFailureReporter.stop();
      this.stalls.stop();
      if (this.seedTimer !== null) clearTimeout(this.seedTimer);
      if (this.kernelUdpTimer !== null) clearInterval(this.kernelUdpTimer);
      this.stopped = true;
      this.emitEvent('stopped', {});
      if (errors.length > 0) throw errors[0];
    })();
    return this.stopping;
  }

  private begin(persistedTerm: number): void {
    if (this.stopping !== null) return; // stop() came first: no 'started' after the goodbye
    this.begun = true;
    const { iface, group, port, unicastPort } = this.transport;
    this.emitEvent('started', {
      interface: iface.name,
      address: iface.address,
      interfaceChoice: iface.why,
      multicastBind: this.transport.multicastPlan === null ? null : `${this.transport.multicastPlan.bind} (${this.transport.multicastPlan.why})`,
      group,
      port,
      unicastPort,
      multicast: this.transport.multicastEnabled,
      seeds: this.options.seeds.map(formatSeed),
      cluster: this.options.cluster,
      voters: this.options.config.voters,
      dataDir: this.options.dataDir,
      persistedTerm,
      authenticated: this.options.keys !== null,
      metricsPort: this.metricsPort,
      receiveBufferBytes: this.transport.receiveBufferBytes,
    });
    const smallBuffer = receiveBufferWarning(this.transport.receiveBufferBytes);
    if (smallBuffer !== null) this.emitEvent('warning', { message: smallBuffer });
    if (this.options.keys === null) {
      this.emitEvent('warning', {
        message: 'no cluster key: datagrams are not authenticated, and anyone on this LAN can disrupt the election',
      });
    }
    this.retrySeeds();
    // Only now does the network reach the core: nothing happens before 'started'.
    this.transport.onDatagram((bytes, address, route, port) => {
      this.metrics.bytesReceived.inc(bytes.length);
      this.gate.pass(() => this.driver.receive(bytes, address, route, port));
    });
    this.stalls.start();
    // Send failures no send reports: Linux's kernel counter, and libuv's queue of refused datagrams (macOS).
    // The same poll asks whether this node is alone: no timer of its own on an idle node.
    this.alone.restart(systemClock.nowMs());
    this.kernelUdpTimer = setInterval(() => {
      if (this.kernelUdp.available) this.transport.noteKernelSendErrors(this.kernelUdp.poll().sndbufErrors);
      this.transport.checkSendQueue();
      if (!this.transport.paused) this.alone.check(systemClock.nowMs());
    }, KERNEL_UDP_POLL_MS);
    this.kernelUdpTimer.unref();
    this.driver.start();
  }

  /** Seeds whose names did not resolve: said (every retry), and looked up again until they do. */
  private retrySeeds(): void {
    if (this.unresolvedSeeds.length === 0 || this.stopping !== null) return;
    this.emitEvent('warning', { message: `seeds not resolved yet, retrying every ${SEED_RETRY_MS / 1000} s: ${this.unresolvedSeeds.map(formatSeed).join(', ')}` });
    this.seedTimer = setTimeout(() => {
      this.seedTimer = null;
      void resolveSeeds(this.unresolvedSeeds).then(({ resolved, failed }) => {
        this.transport.directory.addSeeds(resolved);
        this.unresolvedSeeds = failed.map((failure) => failure.seed);
        this.retrySeeds();
      });
    }, SEED_RETRY_MS);
    this.seedTimer.unref();
  }

  /**
   * The state could not be saved. The driver has halted without sending what depended on it; a
   * coordinator is told at once that it no longer leads (its hooks and listeners undo their work).
   */
  private fail(error: unknown): void {
    this.failed = true;
    if (this.leading) {
      this.leading = false;
      this.emitEvent('demoted', { reason: 'fatal', leaseTerm: this.term, leaseEndedAt: Date.now() });
      this.emit('demoted', { term: this.term, reason: 'fatal' });
    }
    this.emitEvent('fatal', { error: (error as Error).message });
  }

  private onCoreEvent(event: CoreEvent): void {
    const now = Date.now();
    switch (event.type) {
      case 'role-changed':
        this.emitEvent('role', { previous: event.previous });
        return;
      case 'term-changed':
        this.emitEvent('term', { previous: event.previous });
        return;
      case 'leader-changed':
        if (event.leader !== null) {
          this.metrics.leaderChanges.inc();
          if (this.leaderlessSince !== null) this.metrics.leaderlessSeconds.observe((now - this.leaderlessSince) / 1000);
          this.leaderlessSince = null;
          this.leaderSince = now;
          this.campaignStartedMs = null;
        } else {
          this.leaderlessSince = now;
          this.leaderSince = null;
        }
        this.emitEvent('leader', { previous: event.previous });
        this.emit('leader', { leader: event.leader, term: event.term });
        return;
      case 'elected':
        this.leading = true;
        this.leaseEndBeforeStallMs = this.core.view(systemClock.nowMs()).leaseEndMs; // elected just before a stall: it led
        if (this.campaignStartedMs !== null) this.metrics.electionSeconds.observe((now - this.campaignStartedMs) / 1000);
        this.emitEvent('elected', { cause: event.cause, votedBy: event.votedBy });
        this.emit('elected', { term: event.term });
        return;
      case 'demoted':
        this.leading = false;
        this.emitEvent('demoted', { reason: event.reason, leaseTerm: event.term, leaseEndedAt: wallAtMs(event.leaseEndedAtMs) });
        this.emit('demoted', { term: event.term, reason: event.reason });
        return;
      case 'election-started':
        if (event.preVote && this.campaignStartedMs === null) this.campaignStartedMs = now;
        this.emitEvent(event.preVote ? 'pre-vote' : 'election', { forTerm: event.term, cause: event.cause });
        return;
      case 'challenge-sent':
        this.emitEvent('challenge', { to: event.to });
        return;
      case 'vote-cast':
        this.emitEvent('vote', {
          candidate: event.candidate,
          forTerm: event.term,
          preVote: event.preVote,
          granted: event.granted,
          reason: event.reason,
        });
        return;
      case 'peer':
        this.emitEvent(`peer-${event.change}`, { peer: event.peer });
        return;
      case 'alarm':
        this.emitEvent('alarm', { alarm: event.alarm, raised: event.raised });
        return;
    }
  }

  /**
   * The process was frozen (SIGSTOP, a garbage-collection pause, a paused VM, a suspend) and has
   * just woken: said before anything else happens. A coordinator whose lease ran out meanwhile says
   * so; the core steps it down at its next input (the clock counts the frozen time), and no other
   * node waited for it: they elected after their timeout, as for a dead one.
   */
  private onStall({ durationMs }: Stall): void {
    const nowMs = systemClock.nowMs();
    // Usually nothing has run since waking; a save that finished meanwhile may have let the core
    // step down already, so the lease as noted before the stall counts too.
    // A core that stepped down meanwhile, its events not yet told (a save in flight): it led until now.
    const leaseEndMs = this.leading ? (this.core.view(nowMs).leaseEndMs ?? nowMs) : this.leaseEndBeforeStallMs;
    this.leaseEndBeforeStallMs = null;
    const leaseLost = leaseEndMs !== null && !this.core.hasLease(nowMs);
    this.emitEvent('stalled', {
      durationMs,
      wasLeader: leaseEndMs !== null,
      leaseLost,
      // Wall-clock time, as `ts`.
      leaseEndedAt: leaseLost ? wallAtMs(leaseEndMs) : null,
    });
  }

  /**
   * Counts every drop; reports each reason at most once a second, with the count since. Duplicates
   * are only counted: a network may duplicate, and while routes are learned the group and a
   * unicast copy may both deliver one datagram.
   */
  private onDrop(reason: DropReason, detail: string, from: NodeId | null, source: string | null, foreign?: ForeignConfig): void {
    this.drops[reason]++;
    this.metrics.countDrop(reason);
    if (from !== this.options.id) this.alone.dropped(reason, detail, from, source, foreign ?? null, systemClock.nowMs());
    if (reason === 'duplicate') return;
    this.dropReporter.drop(reason, detail, from, source);
  }

  protected override emitListenerError(listenerOf: string, error: string): void {
    this.emitEvent('listener-error', { listenerOf, error });
  }

  private emitEvent<K extends EventKind>(kind: K, details: DetailsOf<K>): void {
    const now = systemClock.nowMs();
    const view = this.core.view(now);
    const { quorum } = this.core.status(now);
    const state = { id: this.options.id, role: view.role, term: view.term, leader: view.knownLeader, quorum: { have: quorum.have, need: quorum.need } };
    this.emit('event', eventLine(state, kind, details));
  }
}

/** Calls `fire` after `delayMs`; returns what cancels it (the reporters' timers). */
function cancellableTimeout(fire: () => void, delayMs: number): () => void {
  const timer = setTimeout(fire, delayMs);
  return () => clearTimeout(timer);
}

function closeServer(server: Server | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server === null) resolve();
    else server.close((error) => (error === undefined ? resolve() : reject(error)));
  });
}
