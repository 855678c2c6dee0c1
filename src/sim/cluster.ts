import {
  configId,
  createLanCore,
  quorumSize,
  resolveConfig,
  type CoreEvent,
  type ElectionConfig,
  type ElectionConfigInput,
  type LanCore,
  type NodeId,
  type PersistentState,
  type NodeStatus,
  type Outgoing,
  type ResignReason,
} from '../core/index.ts';
import { SimBacklog } from './backlog.ts';
import type { CapacityPlan } from './capacity.ts';
import { Check, SafetyChecker } from './checkers.ts';
import { DuplicateQuietChecker } from './duplicate-quiet.ts';
import { TwinChecker } from './twins.ts';
import { LeaseCoverChecker } from './lease-cover.ts';
import { NamedLeaderChecker, staleNameBoundMs } from './named-leader.ts';
import { SimCpu } from './cpu.ts';
import { PeerDirectory, type DirectoryOptions } from '../net/peer-directory.ts';
import { SimHost, type BootCount, type CoreFactory, type HostCapacity, type HostObserver, type HostRouting } from './host.ts';
import { impostorAddress, type HostPlace, type NetworkLayout } from './layout.ts';
import { SendRateMeter } from './send-rate.ts';
import { CALM_LAN, impostorKey, SimNetwork, type HostKey } from './network.ts';
import { SimRandom } from './prng.ts';
import { Scheduler } from './scheduler.ts';
import { Trace } from './trace.ts';

export interface SimClusterOptions {
  /** The voter IDs. */
  voters: readonly NodeId[];
  config?: Partial<ElectionConfigInput>;
  seed?: number;
  createCore?: CoreFactory;
  /**
   * Timers of one node that differ from `config` (./mixed-timers.ts): only what `config_id` does
   * not hash may differ, or the nodes would drop each other's datagrams.
   */
  configOf?: (id: NodeId) => Partial<ElectionConfigInput>;
  /** The machine's limits (./capacity.ts); absent or null: unlimited, as the simulator had it first. */
  capacity?: CapacityPlan | null;
  /** Where hosts are, routing through peer directories (./layout.ts); absent or null: the plain transport. */
  layout?: NetworkLayout | null;
  /** Each process's directory (tests pass an older policy); default: the real PeerDirectory. */
  createDirectory?: (options: DirectoryOptions) => PeerDirectory;
}

/** What the capacity model cost a run: how often each limit was hit. */
export interface CapacityStats {
  /** Datagrams refused to their senders (ENOBUFS), over all hosts. */
  sendErrors: number;
  /** The host with the most send errors, and how many. */
  worstSender: { node: NodeId; sendErrors: number } | null;
  /** Datagrams dropped because a host's receive buffer was full. */
  receiveBufferDrops: number;
  /** Packets dropped because the shared backlog was full. */
  backlogDrops: number;
  /** CPU time the hosts used, over all cores. */
  cpuBusyMs: number;
}

/** At most one trace line per host per this long about send errors or a full receive buffer. */
const CAPACITY_NOTE_EVERY_MS = 1000;

/** `node`: the host's key, which is its ID but for an impostor's (./network.ts); 0 for the whole cluster. */
export type Watcher = (atMs: number, node: HostKey, item: CoreEvent | string) => void;

/**
 * A simulated LAN of hosts running the real driver, codec and core, checked for safety after
 * every input. The randomized runs and the scripted scenario tests both build on it.
 */
export class SimCluster {
  readonly config: ElectionConfig;
  readonly scheduler = new Scheduler();
  readonly network: SimNetwork;
  readonly hosts: SimHost[] = [];
  readonly trace = new Trace();
  readonly safety: SafetyChecker;
  /** N1 and the stale names (./named-leader.ts). */
  readonly namedLeader: NamedLeaderChecker;
  /** S4 (./lease-cover.ts). */
  readonly leaseCover: LeaseCoverChecker;
  /** D1 (./duplicate-quiet.ts). */
  readonly duplicateQuiet: DuplicateQuietChecker;
  /** D2, S3's one process a vote, and the twins' gap (./twins.ts). */
  readonly twins: TwinChecker;
  /**
   * Nodes that run but can take no part: one whose state file holds the last term (./spent-term.ts).
   * Its peers drop what it sends; no quorum counts it (./connectivity.ts).
   */
  readonly outsiders = new Set<NodeId>();
  /** Each node's configuration: `config`, unless `configOf` gave it other timers. */
  readonly configs: ReadonlyMap<NodeId, ElectionConfig>;
  /** Every core event so far, in order. */
  readonly events: Array<{ atMs: number; node: NodeId; event: CoreEvent }> = [];
  /** Datagrams the hosts dropped, by reason. */
  readonly drops = new Map<string, number>();
  /** Datagrams each node sent, per 10-s window (./send-rate.ts). */
  readonly sendRate = new SendRateMeter();
  /** Unicast copies of messages to everyone (copies, repairs, probes) each node sent, per 10-s window. */
  readonly copyRate = new SendRateMeter();
  /** The cores the hosts share; null without a capacity model. */
  readonly cpu: SimCpu | null = null;
  readonly capacity: CapacityPlan | null;
  readonly layout: NetworkLayout | null;
  private readonly capacityNotedAtMs = new Map<string, number>();
  /** Receive-queue overflows and refused sends so far (./checkers.ts, a congested cold start). */
  private capacityEvents = 0;
  private readonly watchers: Watcher[] = [];
  private readonly inputListeners: Array<(host: SimHost) => void> = [];
  private readonly sendListeners: Array<(host: SimHost, outgoing: Outgoing) => void> = [];
  private readonly launchListeners: Array<(host: SimHost) => void> = [];
  private readonly fatalListeners: Array<(id: NodeId) => void> = [];
  private traceAtViolation: string | null = null;
  readonly random: SimRandom;
  /** Every host's address, by key, on a run with a layout. */
  private readonly addresses = new Map<HostKey, string>();
  private readonly createCore: CoreFactory;
  private readonly createDirectory: (options: DirectoryOptions) => PeerDirectory;
  private readonly observer: HostObserver = this.observe();
  /** Voters an impostor claimed (./impostor.ts): the others drop its datagrams or theirs as impostors. */
  readonly impersonated = new Set<NodeId>();

  constructor(options: SimClusterOptions) {
    this.random = new SimRandom(options.seed ?? 1);
    const netRandom = this.random.fork();
    const hostRandom = this.random.fork();
    this.config = resolveConfig({ clusterSize: options.voters.length, ...options.config, voters: options.voters });
    this.network = new SimNetwork(this.scheduler, netRandom, this.config.voters);
    this.safety = new SafetyChecker(() => this.nowMs);
    this.namedLeader = new NamedLeaderChecker(this.safety, () => this.nowMs, staleNameBoundMs(this.config));
    this.leaseCover = new LeaseCoverChecker(this.safety, quorumSize(this.config.voters.length));
    this.duplicateQuiet = new DuplicateQuietChecker(this.safety);
    this.twins = new TwinChecker(this.safety);
    this.safety.onTwinConflict = (check, text) => this.twins.noteGap(check, text, this.nowMs);
    const configs = new Map<NodeId, ElectionConfig>();
    for (const id of this.config.voters) {
      const own = options.configOf?.(id);
      const config = own === undefined ? this.config : resolveConfig({ ...options.config, ...own, clusterSize: options.voters.length, voters: options.voters });
      if (configId(config) !== configId(this.config)) throw new RangeError(`n${id}'s timers change its config_id: ${JSON.stringify(own)}`);
      configs.set(id, config);
    }
    this.configs = configs;
    this.createCore = options.createCore ?? createLanCore;
    this.capacity = options.capacity ?? null;
    // Forked last, so that runs without a capacity model draw exactly what they drew before.
    const capacityRandom = this.capacity === null ? null : this.random.fork();
    if (this.capacity !== null) {
      this.cpu = new SimCpu(this.capacity.cores);
      this.network.backlog = new SimBacklog(this.capacity.backlogPacketsMax, this.capacity.backlogPacketsPerMs);
      this.network.onSendError = (from) => this.noteCapacity(from, 'send', 'ENOBUFS: the backlog is full, send refused');
    }
    this.layout = options.layout ?? null;
    // Forked after the capacity's stream, so that runs on the plain transport draw as before.
    const routingRandom = this.layout === null ? null : this.random.fork();
    const places = this.layout?.places;
    if (places !== undefined) {
      for (const [id, place] of places) this.addresses.set(id, place.address);
      this.network.place({ addressOf: this.addresses, groupOf: new Map([...places].map(([id, place]) => [id, place.group])) });
    }
    this.createDirectory = options.createDirectory ?? ((o: DirectoryOptions) => new PeerDirectory(o));
    for (const id of this.config.voters) {
      this.hosts.push(this.createHost(id, id, places?.get(id) ?? null, { host: hostRandom, capacity: capacityRandom, routing: routingRandom }));
    }
  }

  /** A host with ID `id` at `key` on the network; each of its streams is forked from the given ones. */
  private createHost(
    id: NodeId,
    key: HostKey,
    place: HostPlace | null,
    random: { host: SimRandom; capacity: SimRandom | null; routing: SimRandom | null },
    boots?: BootCount,
  ): SimHost {
    const routing: HostRouting | undefined =
      place === null || random.routing === null
        ? undefined
        : {
            place,
            addressOf: (from) => this.addresses.get(from)!,
            createDirectory: this.createDirectory,
            random: random.routing.fork(),
            onCopy: (host) => this.copyRate.record(host.id, this.nowMs, 'copy'),
          };
    const capacity: HostCapacity | undefined =
      this.capacity === null || this.cpu === null || random.capacity === null
        ? undefined
        : {
            plan: this.capacity,
            cpu: this.cpu,
            random: random.capacity.fork(),
            onOverflow: (host) => this.noteCapacity(host.key, 'receive', 'receive buffer full: datagram dropped'),
          };
    return new SimHost({
      id,
      key,
      boots,
      config: this.configs.get(id)!,
      cluster: 'sim',
      scheduler: this.scheduler,
      network: this.network,
      random: random.host.fork(),
      createCore: this.createCore,
      observer: this.observer,
      capacity,
      routing,
    });
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  /** The trace as it was at the first violation (or now, if there was none). */
  get violationTrace(): string {
    return this.traceAtViolation ?? this.trace.format();
  }

  /** The host with ID `id` (not its impostor: faults and acts are about the voter's own machine). */
  host(id: NodeId): SimHost {
    const host = this.hosts.find((h) => h.id === id);
    if (host === undefined) throw new RangeError(`no node ${id}`);
    return host;
  }

  core(id: NodeId): LanCore {
    const core = this.host(id).core;
    if (core === null) throw new Error(`node ${id} is down`);
    return core;
  }

  status(id: NodeId): NodeStatus {
    const host = this.host(id);
    return this.core(id).status(host.localNowMs());
  }

  watch(watcher: Watcher): void {
    this.watchers.push(watcher);
  }

  onInput(listener: (host: SimHost) => void): void {
    this.inputListeners.push(listener);
  }

  /** Every message as it leaves a node (after its state was persisted). */
  onSend(listener: (host: SimHost, outgoing: Outgoing) => void): void {
    this.sendListeners.push(listener);
  }

  /** A process starts to listen (its start-up CPU spent, with a capacity model). */
  onLaunch(listener: (host: SimHost) => void): void {
    this.launchListeners.push(listener);
  }

  /** A node's process stopped because a save failed (it was crashed already). */
  onFatal(listener: (id: NodeId) => void): void {
    this.fatalListeners.push(listener);
  }

  note(text: string, node: NodeId = 0): void {
    this.trace.record(this.nowMs, node, text);
    for (const watcher of this.watchers) watcher(this.nowMs, node, text);
  }

  /** How often the run hit each limit of its capacity model. */
  capacityStats(): CapacityStats {
    let worstSender: CapacityStats['worstSender'] = null;
    let sendErrors = 0;
    for (const [node, count] of this.network.sendErrors) {
      sendErrors += count;
      if (worstSender === null || count > worstSender.sendErrors) worstSender = { node, sendErrors: count };
    }
    let receiveBufferDrops = 0;
    for (const host of this.hosts) receiveBufferDrops += host.inbox?.overflows ?? 0;
    return { sendErrors, worstSender, receiveBufferDrops, backlogDrops: this.network.stats.backlogDropped, cpuBusyMs: this.cpu?.busyMs ?? 0 };
  }

  /**
   * How long the cores would take to read every input the processes have queued now, in ms (0
   * without a capacity model): what a saturated machine still owes once its storm is over.
   */
  queuedWorkMs(): number {
    if (this.capacity === null) return 0;
    let queued = 0;
    for (const host of this.hosts) queued += host.inbox?.queued ?? 0;
    return (queued * this.capacity.inputCpuUs) / 1000 / this.capacity.cores;
  }

  /** Datagrams the machine dropped or refused so far: full receive queues, a full backlog, ENOBUFS. */
  get congestionDrops(): number {
    return this.capacityEvents + this.network.stats.backlogDropped;
  }

  /** A limit was hit: the trace says so, once a second per host and kind, so it is not flooded. */
  private noteCapacity(node: NodeId, kind: string, text: string): void {
    this.capacityEvents++;
    const key = `${kind}:${node}`;
    const last = this.capacityNotedAtMs.get(key);
    if (last !== undefined && this.nowMs - last < CAPACITY_NOTE_EVERY_MS) return;
    this.capacityNotedAtMs.set(key, this.nowMs);
    this.trace.record(this.nowMs, node, text);
  }

  // ---- Actions ----

  boot(...ids: NodeId[]): void {
    for (const id of ids.length > 0 ? ids : this.config.voters) this.host(id).boot();
  }

  crash(id: NodeId): void {
    const host = this.host(id);
    host.crash();
    this.processDied(host);
    this.namedLeader.endLease(id);
  }

  /**
   * A clean stop, as the real node's SIGTERM: resign if leading, say goodbye (Leave), and the
   * process exits once the goodbye is handed over. The disk stays for a restart.
   */
  leave(id: NodeId): void {
    const host = this.host(id);
    const driver = host.driver;
    if (driver === null) return;
    void driver.leave();
    const exitOnceHalted = (): void => {
      if (host.driver !== driver) return;
      if (driver.isHalted) this.crash(id);
      else this.scheduler.at(this.nowMs + 1, exitOnceHalted);
    };
    exitOnceHalted();
  }

  stall(id: NodeId, durationMs: number): void {
    this.host(id).stall(durationMs);
  }

  resign(id: NodeId, reason: ResignReason): void {
    this.host(id).driver?.resign(reason);
  }

  /** A graceful stop: resign if leading, say goodbye, go down. */
  async stop(id: NodeId): Promise<void> {
    const host = this.host(id);
    await host.driver?.leave();
    host.crash();
    this.processDied(host);
    this.namedLeader.endLease(id);
  }

  /** What the checkers forget when a process dies (its disk stays). */
  private processDied(host: SimHost): void {
    this.duplicateQuiet.onCrash(host);
    this.twins.onCrash(host);
    this.safety.endLease(host);
  }

  partition(...groups: NodeId[][]): void {
    this.network.partition(groups);
  }

  isolate(id: NodeId): void {
    this.partition([id], this.config.voters.filter((v) => v !== id));
  }

  heal(): void {
    this.network.heal();
    this.network.conditions = CALM_LAN;
  }

  runFor(durationMs: number): void {
    this.scheduler.runUntil(this.nowMs + durationMs);
  }

  /** Runs until `done` holds after some input, for at most `maxMs`; says whether it held. */
  runUntil(done: () => boolean, maxMs: number): boolean {
    let held = done();
    this.scheduler.runUntil(this.nowMs + maxMs, () => held || (held = done()));
    return held;
  }

  /**
   * A second process claims voter `id`'s ID (./impostor.ts): on another machine (another address on
   * `id`'s subnet, the same multicast group), with `disk` as its state file, started later than
   * every process of `id` so far (a higher boot ID). Its streams fork from `random`.
   */
  startImpostor(id: NodeId, disk: PersistentState | null, random: SimRandom): SimHost {
    const twin = this.host(id);
    const key = impostorKey(id);
    const twinPlace = this.layout?.places.get(id);
    const place = twinPlace === undefined ? null : { ...twinPlace, address: impostorAddress(twinPlace.address) };
    if (place !== null) this.addresses.set(key, place.address);
    this.network.addImpostor(key, id, place);
    const streams = { host: random.fork(), capacity: this.capacity === null ? null : random.fork(), routing: place === null ? null : random.fork() };
    const impostor = this.createHost(id, key, place, streams, twin.bootCount);
    impostor.storage.state = disk;
    this.impersonated.add(id);
    this.hosts.push(impostor);
    impostor.boot();
    return impostor;
  }

  /** The impostor's process dies and its machine leaves the LAN. */
  stopImpostor(impostor: SimHost): void {
    impostor.crash();
    this.processDied(impostor);
    this.hosts.splice(this.hosts.indexOf(impostor), 1);
    this.network.removeImpostor(impostor.key);
  }

  // ---- Queries ----

  /** Nodes holding a valid lease now (at most one, by S2). */
  leaseHolders(): NodeId[] {
    return this.hosts.filter((h) => h.holdsLease()).map((h) => h.id);
  }

  /** The coordinator every given node (default: every running one) knows, if they agree on one. */
  agreedLeader(ids: readonly NodeId[] = this.hosts.filter((h) => h.up).map((h) => h.id)): NodeId | null {
    const [holder] = this.leaseHolders();
    if (holder === undefined || !ids.includes(holder)) return null;
    const agree = ids.every((id) => this.host(id).inspect()?.knownLeader === holder);
    return agree ? holder : null;
  }

  eventsOf(id: NodeId, type?: CoreEvent['type']): CoreEvent[] {
    return this.events.filter((e) => e.node === id && (type === undefined || e.event.type === type)).map((e) => e.event);
  }

  private observe(): HostObserver {
    return {
      onEvent: (host, event) => {
        this.events.push({ atMs: this.nowMs, node: host.id, event });
        this.trace.record(this.nowMs, host.key, event);
        this.safety.onEvent(host, event);
        this.duplicateQuiet.onEvent(host, event);
        this.twins.onEvent(host, event);
        for (const watcher of this.watchers) watcher(this.nowMs, host.key, event);
      },
      onSend: (host, outgoing) => {
        const { message } = outgoing;
        if (message.type !== 'heartbeat' || message.round <= 1) this.trace.record(this.nowMs, host.key, outgoing);
        this.sendRate.record(host.id, this.nowMs, message.type);
        this.safety.onSend(host, outgoing);
        this.leaseCover.onSend(host, outgoing);
        this.twins.onSend(host, outgoing);
        for (const listener of this.sendListeners) listener(host, outgoing);
      },
      onSave: (host, _previous, next) => this.safety.onSave(host, next),
      onLaunch: (host, bootId) => {
        this.twins.onLaunch(host, bootId);
        this.duplicateQuiet.onLaunch(host);
        for (const listener of this.launchListeners) listener(host);
      },
      onReceive: (host, message) => this.twins.onReceive(host, message),
      onFatal: (host, error) => {
        this.note(`save failed, process stops: ${error instanceof Error ? error.message : String(error)}`, host.key);
        // An impostor's disk never fails today; if it did, its twin would not be the one to stop.
        if (host.impostor) return this.stopImpostor(host);
        this.crash(host.id);
        for (const listener of this.fatalListeners) listener(host.id);
      },
      onDrop: (host, reason, detail, from) => {
        this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
        // The network duplicates datagrams; the replay window must drop the copies (a copy delayed
        // past the window counts as a replay). An outsider's terms are out of range by design.
        // Nothing else the simulation sends may be refused.
        if (reason === 'duplicate' || reason === 'replayed') return;
        if (reason === 'term-out-of-range' && from !== null && this.outsiders.has(from)) return;
        // Two processes with one ID: a peer takes one of them for that ID, and drops the other's
        // datagrams as an impostor's (src/wire/senders.ts), as it should.
        if (reason === 'impostor' && from !== null && this.impersonated.has(from)) return;
        this.safety.fail(Check.WireIntact, `${host.name} dropped a datagram of the simulation (${reason}: ${detail})`);
      },
      afterInput: (host) => {
        const node = host.inspect();
        this.safety.afterInput(host, node);
        this.namedLeader.afterInput(host, node, this.hosts);
        this.leaseCover.afterInput(host, node);
        this.duplicateQuiet.afterInput(host, node);
        this.twins.afterInput(host, node);
        for (const listener of this.inputListeners) listener(host);
        if (this.safety.violations.length > 0 && this.traceAtViolation === null) {
          this.traceAtViolation = this.trace.format();
        }
      },
    };
  }
}
