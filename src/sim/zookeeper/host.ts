/**
 * One simulated machine of a ZooKeeper-backed cluster: a drifting clock, a process (the real
 * ZkDriver and a ZkElection) that can crash, restart and stall, and its link to the ensemble.
 */
import type { NodeId } from '../../core/messages.ts';
import type { ElectionMode, SessionState } from '../../contract/zookeeper-status.ts';
import type { ZkCoreEvent } from '../../zookeeper/election/events.ts';
import type { ZkElectionOptions } from '../../zookeeper/election/zk-election.ts';
import type { ZkCore } from '../../zookeeper/election/zk-core.ts';
import { ZkDriver } from '../../zookeeper/zk-driver.ts';
import type { SimRandom } from '../prng.ts';
import { SimMachine } from '../machine.ts';
import type { Scheduler } from '../scheduler.ts';
import { calmLink, SimZkClient, type SimZkLink } from './client.ts';
import type { SimEnsemble } from './ensemble.ts';

/** Makes the election of each process start; tests pass deliberately broken ones. */
export type ZkCoreFactory = (options: ZkElectionOptions) => ZkCore;

/** Clocks may run this much fast or slow (ZooKeeper's own assumption is tighter). */
const MAX_DRIFT = 0.01;

export interface ZkHostObserver {
  onEvent(host: SimZkHost, event: ZkCoreEvent): void;
  afterInput(host: SimZkHost): void;
}

export interface SimZkHostOptions {
  id: NodeId;
  path: string;
  mode: ElectionMode;
  sessionTimeoutMs: number;
  dampingMs: number;
  preempt: boolean;
  scheduler: Scheduler;
  ensemble: SimEnsemble;
  random: SimRandom;
  createCore: ZkCoreFactory;
  observer: ZkHostObserver;
}

export class SimZkHost {
  readonly id: NodeId;
  readonly machine: SimMachine;
  readonly link: SimZkLink = calmLink();
  driver: ZkDriver | null = null;
  boots = 0;
  private stopAsked = false;
  private readonly clients = new Set<SimZkClient>();
  private readonly options: SimZkHostOptions;

  constructor(options: SimZkHostOptions) {
    this.options = options;
    this.id = options.id;
    this.machine = new SimMachine(options.scheduler, options.random, MAX_DRIFT);
  }

  get election(): ZkCore | null {
    return this.driver?.election ?? null;
  }

  get up(): boolean {
    return this.driver !== null;
  }

  boot(): void {
    if (this.up) return;
    const { id, observer } = this.options;
    const generation = this.machine.start();
    this.boots++;
    this.stopAsked = false;
    const clock = this.machine.clock(generation);
    const { path, mode, sessionTimeoutMs, dampingMs, preempt } = this.options;
    this.driver = new ZkDriver({
      election: this.options.createCore({
        id,
        path,
        mode,
        requestedTimeoutMs: sessionTimeoutMs,
        dampingMs,
        preempt,
        candidateData: new TextEncoder().encode(JSON.stringify({ id, boot: this.boots })),
      }),
      clock,
      openClient: (onState) => this.openClient(generation, onState),
      onEvent: (told) => observer.onEvent(this, told.event),
      afterInput: () => observer.afterInput(this),
    });
    this.driver.start();
  }

  /** The process dies: its session lives on in the ensemble until it expires. */
  crash(): void {
    if (!this.up) return;
    this.driver!.crash();
    this.driver = null;
    this.machine.kill();
    for (const client of this.clients) client.crash();
    this.clients.clear();
  }

  /** A clean stop: the node releases its znodes and closes its session. */
  stop(): void {
    if (!this.up) return;
    const driver = this.driver!;
    this.stopAsked = true;
    this.run(() => void driver.stop());
  }

  /** Asked to stop cleanly (maybe not yet taken, while stalled): the process is on its way out. */
  get stopped(): boolean {
    return this.stopAsked;
  }

  stall(durationMs: number): void {
    if (this.up) this.machine.stall(durationMs);
  }

  /** A user's command to the node (pause, resume, resign), taken like any input. */
  command(act: (driver: ZkDriver) => void): void {
    const driver = this.driver;
    if (driver !== null) this.run(() => act(driver));
  }

  /** The link to the ensemble changed; clients may notice at once. */
  linkChanged(noticed: boolean): void {
    for (const client of this.clients) client.linkChanged(noticed);
  }

  ensembleDown(): void {
    for (const client of this.clients) client.ensembleDown();
  }

  private openClient(generation: number, onState: (state: SessionState) => void): SimZkClient {
    const client = new SimZkClient({
      ensemble: this.options.ensemble,
      link: this.link,
      scheduler: this.options.scheduler,
      random: this.options.random,
      requestedTimeoutMs: this.options.sessionTimeoutMs,
      onState,
      // The process hears its client like any input: not while stalled, not after it died.
      deliver: (input) => this.machine.deliver(generation, input),
    });
    this.clients.add(client);
    return client;
  }

  private run(input: () => void): void {
    this.machine.run(input);
  }
}
