import { configId, silenceLimitMs, type ElectionConfig, type Message, type LanCore, type NodeId, type ElectionNodeOptions, type NodeSnapshot, type Outgoing, type PersistentState, type CoreEvent } from '../core/index.ts';
import { Driver, type DriverOptions, type DropReason } from '../runtime/driver.ts';
import type { Endpoint, DirectoryOptions, PeerDirectory } from '../net/peer-directory.ts';
import type { KeyRing } from '../wire/seal.ts';
import { Wire } from '../wire/wire.ts';
import type { CapacityPlan } from './capacity.ts';
import type { SimCpu } from './cpu.ts';
import { SimDisk, type DiskMode } from './disk.ts';
import { drawUnicastPort, type HostPlace } from './layout.ts';
import { SimMachine } from './machine.ts';
import { hostName, type HostKey, type Receiver, type SimNetwork } from './network.ts';
import { SimInbox, schedulerSliceMs } from './inbox.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';
import { sharedUnseal } from './shared-unseal.ts';
import { SimTransport } from './transport.ts';

/** Makes the core of each process start; tests pass deliberately broken ones. */
export type CoreFactory = (options: ElectionNodeOptions) => LanCore;

/** Simulated datagrams are authenticated like real ones, so the MAC and replay checks run too. */
const SIM_KEYS: KeyRing = { sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode('simulated cluster key')]]) };
const SIM_UNSEAL = sharedUnseal(SIM_KEYS);

/** What the simulator observes of a host, for its checkers and its trace. */
export interface HostObserver {
  onEvent(host: SimHost, event: CoreEvent): void;
  onSend(host: SimHost, outgoing: Outgoing): void;
  onSave(host: SimHost, previous: PersistentState | null, next: PersistentState): void;
  onDrop(host: SimHost, reason: DropReason, detail: string, from: NodeId | null): void;
  afterInput(host: SimHost): void;
  /** A process starts, with this boot ID. */
  onLaunch(host: SimHost, bootId: number): void;
  /** A message that passed the wire's checks, as the core takes it. */
  onReceive(host: SimHost, message: Message): void;
  /** A save failed: the driver halted, as the real node does; the process is as good as dead. */
  onFatal(host: SimHost, error: unknown): void;
}

export interface SimHostOptions {
  id: NodeId;
  /** Its place on the network: absent, its ID; an impostor's own (./impostor.ts). */
  key?: HostKey;
  /**
   * The count of processes started with this ID, shared with an impostor: boot IDs grow with the
   * wall clock (src/runtime/state-file.ts), so a process started later has the higher one.
   */
  boots?: BootCount;
  config: ElectionConfig;
  cluster: string;
  scheduler: Scheduler;
  network: SimNetwork;
  random: SimRandom;
  createCore: CoreFactory;
  observer: HostObserver;
  /** The machine's limits (./capacity.ts); absent: unlimited, inputs cost no time. */
  capacity?: HostCapacity;
  /** Where the host is and how it routes (./layout.ts); absent: the plain transport, no directory. */
  routing?: HostRouting;
}

/** Processes started with one node ID so far. */
export interface BootCount {
  boots: number;
}

/** A host that routes through a peer directory, as a real node does. */
export interface HostRouting {
  place: HostPlace;
  /** Every host's address, for the source of what arrives. */
  addressOf: (key: HostKey) => string;
  /** Each process's own directory; tests pass another policy. */
  createDirectory: (options: DirectoryOptions) => PeerDirectory;
  /** This host's own stream, for the port each process gets. */
  random: SimRandom;
  /** A unicast copy of a message to everyone left this host. */
  onCopy: (host: SimHost, to: Endpoint) => void;
}

export interface HostCapacity {
  plan: CapacityPlan;
  /** The cores every host shares. */
  cpu: SimCpu;
  /** This host's own stream, for the jitter of its CPU costs. */
  random: SimRandom;
  /** A datagram was dropped because this host's receive buffer was full. */
  onOverflow: (host: SimHost) => void;
}

/** A process's start is CPU work in slices, so that the other processes run between them (as a scheduler time-slices). */
const BOOT_SLICE_MS = 10;

/**
 * One simulated machine: a drifting clock, a disk that survives crashes, and a process (driver
 * and core) that can crash, restart and stall.
 */
export class SimHost {
  readonly id: NodeId;
  /** Its place on the network and in the checkers that count processes: its ID, unless it is an impostor. */
  readonly key: HostKey;
  readonly machine: SimMachine;
  /** The persisted state: kept across crashes, like a file; it can be made to misbehave. */
  readonly storage: SimDisk;
  driver: Driver | null = null;
  /** Processes started with this ID so far, shared with an impostor of it. */
  readonly bootCount: BootCount;
  /** Its socket's receive buffer and the CPU its inputs wait for; null without a capacity model. */
  readonly inbox: SimInbox | null;
  /** The running process's peer directory and transport; null while down or with the plain transport. */
  directory: PeerDirectory | null = null;
  transport: SimTransport | null = null;
  /** A process is starting: it uses CPU but does not listen yet. */
  private starting = false;
  private readonly options: SimHostOptions;

  constructor(options: SimHostOptions) {
    this.options = options;
    this.id = options.id;
    this.key = options.key ?? options.id;
    this.bootCount = options.boots ?? { boots: 0 };
    this.machine = new SimMachine(options.scheduler, options.random, options.config.maxClockDriftPpm / 1_000_000);
    const capacity = options.capacity;
    this.inbox =
      capacity === undefined
        ? null
        : new SimInbox({
            scheduler: options.scheduler,
            machine: this.machine,
            cpu: capacity.cpu,
            random: capacity.random,
            inputCpuUs: capacity.plan.inputCpuUs,
            datagramsMax: capacity.plan.receiveQueueDatagramsMax,
            sliceMs: schedulerSliceMs(capacity.plan.cores),
            onOverflow: () => capacity.onOverflow(this),
          });
    if (this.inbox !== null) {
      const inbox = this.inbox;
      this.machine.timerInput = (input) => inbox.timer(input);
    }
    this.storage = new SimDisk({
      scheduler: options.scheduler,
      // Drawn from only while the disk misbehaves, so fault-free runs replay as they always did.
      random: options.random,
      onDurable: (previous, next) => options.observer.onSave(this, previous, next),
    });
  }

  /** What the disk holds now. */
  get disk(): PersistentState | null {
    return this.storage.state;
  }

  /** The disk misbehaves for `durationMs` (docs: ./disk.ts). */
  failDisk(mode: DiskMode, durationMs: number): void {
    this.storage.fail(mode, durationMs);
  }

  /** Processes started with this host's ID so far (an impostor's included). */
  get boots(): number {
    return this.bootCount.boots;
  }

  /** A second process that claims another host's ID (./impostor.ts). */
  get impostor(): boolean {
    return this.key !== this.id;
  }

  /** How the trace and the checkers name it: `n5`, and `n5'` for n5's impostor. */
  get name(): string {
    return hostName(this.key);
  }

  get core(): LanCore | null {
    return this.driver?.core ?? null;
  }

  /** What the checkers may know of the running process now, by this host's clock; null while it is down. */
  inspect(): NodeSnapshot | null {
    return this.core?.view(this.localNowMs()) ?? null;
  }

  /** Whether the running process holds a valid lease now. */
  holdsLease(): boolean {
    return (this.inspect()?.leaseUntilMs ?? null) !== null;
  }

  get up(): boolean {
    return this.driver !== null;
  }

  get stalled(): boolean {
    return this.machine.stalled;
  }

  /** The host's monotonic clock now. */
  localNowMs(): number {
    return this.machine.localNowMs();
  }

  /** The real time at which this host's clock reads `localMs`. */
  realAtMs(localMs: number): number {
    return this.machine.realAtMs(localMs);
  }

  /** Whether a process is starting (using CPU, not yet listening). */
  get booting(): boolean {
    return this.starting;
  }

  boot(): void {
    if (this.up || this.starting) return;
    const generation = this.machine.start();
    const capacity = this.options.capacity;
    if (capacity === undefined) {
      this.launch(generation);
      return;
    }
    // Loading the runtime costs CPU on the shared cores before the process listens.
    this.starting = true;
    const { scheduler } = this.options;
    const slice = (remainingMs: number): void => {
      if (generation !== this.machine.generation) return;
      if (remainingMs <= 0) {
        this.starting = false;
        this.launch(generation);
        return;
      }
      const costMs = Math.min(BOOT_SLICE_MS, remainingMs);
      scheduler.at(capacity.cpu.claim(scheduler.nowMs, costMs), () => slice(remainingMs - costMs));
    };
    slice(capacity.plan.bootCpuMs);
  }

  private launch(generation: number): void {
    const { id, config, cluster, network, random, createCore, observer } = this.options;
    this.bootCount.boots++;
    // Boot IDs grow with every restart, as the runtime's do (they start with the wall clock).
    const bootId = this.bootCount.boots * 2 ** 32 + random.int(0, 2 ** 32 - 1);
    observer.onLaunch(this, bootId);
    const core = createCore({
      id,
      config,
      bootId,
      nowMs: this.localNowMs(),
      persisted: this.disk,
      random: () => random.float(),
    });
    const clock = this.machine.clock(generation);
    const aliveMs = silenceLimitMs(config.timeoutMs, config.memberBeatMs);
    const routed = this.options.routing === undefined ? null : this.route(aliveMs, clock.nowMs);
    this.driver = new Driver({
      core,
      clock,
      wire: new Wire({
        selfId: id,
        cluster,
        configId: configId(config),
        voters: config.voters,
        keys: SIM_KEYS,
        unseal: SIM_UNSEAL,
        aliveMs,
        ...(routed === null ? {} : { unicastPort: routed.port, members: () => routed.directory.gossip(clock.nowMs()) }),
      }),
      transport: routed?.transport ?? { send: (to, bytes) => network.send(this.key, to, bytes) },
      store: {
        save: (state) =>
          this.storage.save(state, (action) => {
            if (generation === this.machine.generation) this.run(() => generation === this.machine.generation && action());
          }),
      },
      onEvent: (event) => observer.onEvent(this, event),
      onSend: (outgoing) => observer.onSend(this, outgoing),
      onDrop: (reason, detail, from) => observer.onDrop(this, reason, detail, from),
      afterInput: () => observer.afterInput(this),
      onFatal: (error) => observer.onFatal(this, error),
      // What every accepted datagram tells the directory, as src/runtime/conclave-node.ts feeds it.
      ...observeReceipts(this, observer, routed === null ? null : feedDirectory(id, routed.directory, clock.nowMs)),
    });
    const addressOf = this.options.routing?.addressOf ?? sourceOf;
    const take = (bytes: Uint8Array, from: HostKey, route: Parameters<Receiver>[2], fromPort: number): void =>
      this.driver?.receive(bytes, addressOf(from), route, routed === null ? undefined : fromPort);
    const inbox = this.inbox;
    const receive: Receiver = inbox === null ? (...args) => this.run(() => take(...args)) : (...args) => inbox.datagram(() => take(...args));
    network.attach(this.key, receive, routed?.port ?? 0);
    this.driver.start();
  }

  /** A new process's directory and transport, on the port it gets. */
  private route(aliveMs: number, nowMs: () => number): { port: number; directory: PeerDirectory; transport: SimTransport } {
    const { id, config, network } = this.options;
    const routing = this.options.routing!;
    const { place } = routing;
    const port = drawUnicastPort(routing.random, place);
    const multicast = place.group !== null;
    const directory = routing.createDirectory({ selfId: id, voters: config.voters, aliveMs, multicast });
    directory.addSeeds(place.seeds);
    directory.setSelf({ address: place.address, port });
    const transport = new SimTransport({ key: this.key, network, directory, multicast, nowMs, onCopy: (to) => routing.onCopy(this, to) });
    this.directory = directory;
    this.transport = transport;
    return { port, directory, transport };
  }

  /** The process dies: memory and timers are gone, the disk stays. */
  crash(): void {
    if (this.starting) {
      this.starting = false;
      this.machine.kill();
      return;
    }
    if (!this.up) return;
    this.driver!.halt();
    this.driver = null;
    this.directory = null;
    this.transport = null;
    this.machine.kill();
    this.inbox?.clear();
    this.options.network.detach(this.key);
  }

  /** The process stops working for `durationMs` (a GC pause); its inputs wait in order. */
  stall(durationMs: number): void {
    if (this.up) this.machine.stall(durationMs);
  }

  private run(input: () => void): void {
    this.machine.run(input);
  }
}

const SOURCES = new Map<HostKey, string>();

/** The address a datagram from `key` comes from, made once per host rather than once per datagram. */
function sourceOf(key: HostKey): string {
  let source = SOURCES.get(key);
  if (source === undefined) SOURCES.set(key, (source = `sim-host-${key}`));
  return source;
}

/**
 * The observer sees every accepted message as the core takes it (a save may hold it back after
 * it arrived: seed 47017295); the directory, when there is one, is fed as it arrives.
 */
function observeReceipts(host: SimHost, observer: HostObserver, directory: Pick<DriverOptions, 'onReceive' | 'onDuplicate'> | null): Pick<DriverOptions, 'onReceive' | 'onDuplicate' | 'onStep'> {
  return { ...directory, onStep: (message) => observer.onReceive(host, message) };
}

/** The driver's hooks that keep a directory up to date: who was heard, by which route, who hears us, who was told of. */
function feedDirectory(selfId: NodeId, directory: PeerDirectory, nowMs: () => number): Pick<DriverOptions, 'onReceive' | 'onDuplicate'> {
  return {
    onReceive: ({ message, unicastPort, members }, address, route, sourcePort) => {
      const now = nowMs();
      directory.heard(message.from, address, unicastPort, route, now, sourcePort);
      if (message.type === 'heartbeat') directory.heardBy(message.from, message.hears.includes(selfId), now);
      if (members.length > 0) directory.told(message.from, members, now);
    },
    // The copy that came second still says the route works (the group, or unicast).
    onDuplicate: (from, address, route) => directory.heard(from, address, 0, route, nowMs()),
  };
}
