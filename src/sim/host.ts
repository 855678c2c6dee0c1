import { configId, silenceLimitMs, type ElectionConfig, type ElectionNode, type NodeId, type NodeOptions, type NodeSnapshot, type Outgoing, type PersistentState, type CoreEvent } from '../core/index.ts';
import { Driver, type DropReason } from '../runtime/driver.ts';
import type { KeyRing } from '../wire/seal.ts';
import { Wire } from '../wire/wire.ts';
import { SimDisk, type DiskMode } from './disk.ts';
import { SimMachine } from './machine.ts';
import type { SimNetwork } from './network.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

export type CoreFactory = (options: NodeOptions) => ElectionNode;

/** Simulated datagrams are authenticated like real ones, so the MAC and replay checks run too. */
const SIM_KEYS: KeyRing = { sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode('simulated cluster key')]]) };

/** What the simulator observes of a host, for its checkers and its trace. */
export interface HostObserver {
  onEvent(host: SimHost, event: CoreEvent): void;
  onSend(host: SimHost, outgoing: Outgoing): void;
  onSave(host: SimHost, previous: PersistentState | null, next: PersistentState): void;
  onDrop(host: SimHost, reason: DropReason, detail: string): void;
  afterInput(host: SimHost): void;
  /** A save failed: the driver halted, as the real node does; the process is as good as dead. */
  onFatal(host: SimHost, error: unknown): void;
}

export interface SimHostOptions {
  id: NodeId;
  config: ElectionConfig;
  cluster: string;
  scheduler: Scheduler;
  network: SimNetwork;
  random: SimRandom;
  createCore: CoreFactory;
  observer: HostObserver;
}

/**
 * One simulated machine: a drifting clock, a disk that survives crashes, and a process (driver
 * and core) that can crash, restart and stall.
 */
export class SimHost {
  readonly id: NodeId;
  readonly machine: SimMachine;
  /** The persisted state: kept across crashes, like a file; it can be made to misbehave. */
  readonly storage: SimDisk;
  driver: Driver | null = null;
  boots = 0;
  private readonly options: SimHostOptions;

  constructor(options: SimHostOptions) {
    this.options = options;
    this.id = options.id;
    this.machine = new SimMachine(options.scheduler, options.random, options.config.maxClockDriftPpm / 1_000_000);
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

  get core(): ElectionNode | null {
    return this.driver?.core ?? null;
  }

  /** What the checkers may know of the running process now, by this host's clock; null while it is down. */
  inspect(): NodeSnapshot | null {
    return this.core?.inspect(this.localNowMs()) ?? null;
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

  boot(): void {
    if (this.up) return;
    const { id, config, cluster, network, random, createCore, observer } = this.options;
    const generation = this.machine.start();
    this.boots++;
    const core = createCore({
      id,
      config,
      // Boot IDs grow with every restart, as the runtime's do (they start with the wall clock).
      bootId: this.boots * 2 ** 32 + random.int(0, 2 ** 32 - 1),
      nowMs: this.localNowMs(),
      persisted: this.disk,
      random: () => random.float(),
    });
    const clock = this.machine.clock(generation);
    this.driver = new Driver({
      core,
      clock,
      wire: new Wire({
        selfId: id,
        cluster,
        configId: configId(config),
        voters: config.voters,
        keys: SIM_KEYS,
        aliveMs: silenceLimitMs(config.timeoutMs, config.memberBeatMs),
      }),
      transport: { send: (to, bytes) => network.send(id, to, bytes) },
      store: {
        save: (state) =>
          this.storage.save(state, (action) => {
            if (generation === this.machine.generation) this.run(() => generation === this.machine.generation && action());
          }),
      },
      onEvent: (event) => observer.onEvent(this, event),
      onSend: (outgoing) => observer.onSend(this, outgoing),
      onDrop: (reason, detail) => observer.onDrop(this, reason, detail),
      afterInput: () => observer.afterInput(this),
      onFatal: (error) => observer.onFatal(this, error),
    });
    network.attach(id, (bytes, from) => this.run(() => this.driver?.receive(bytes, `sim-host-${from}`)));
    this.driver.start();
  }

  /** The process dies: memory and timers are gone, the disk stays. */
  crash(): void {
    if (!this.up) return;
    this.driver!.halt();
    this.driver = null;
    this.machine.kill();
    this.options.network.detach(this.id);
  }

  /** The process stops working for `durationMs` (a GC pause); its inputs wait in order. */
  stall(durationMs: number): void {
    if (this.up) this.machine.stall(durationMs);
  }

  private run(input: () => void): void {
    this.machine.run(input);
  }
}
