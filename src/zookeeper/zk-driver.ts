import type { Cancel, Clock } from '../contract/ports.ts';
import type { SessionState } from '../contract/zookeeper-status.ts';
import type { ZkTold } from './election/events.ts';
import type { ZkElection, ZkOutput } from './election/zk-election.ts';
import type { ZkClient, ZkClientFactory } from './zk-client.ts';

export interface ZkDriverOptions {
  election: ZkElection;
  clock: Clock;
  openClient: ZkClientFactory;
  /** Each event of the election, in order, after the input that caused it. */
  onEvent: (told: ZkTold) => void;
  /** After each input was carried out: the simulator's checkers look here. */
  afterInput?: () => void;
}

/**
 * Runs the ZooKeeper election in a world: feeds it session states, replies, watch firings and
 * timer ticks, and carries out what each input asks (requests, a new session, a kick, close). The
 * same driver runs over node-zookeeper-client and over the simulator's ensemble.
 */
export class ZkDriver {
  readonly election: ZkElection;
  private readonly options: ZkDriverOptions;
  private client: ZkClient;
  private cancelTimer: Cancel | null = null;
  private closed = false;
  private readonly closing: Promise<void>;
  private resolveClosed!: () => void;

  constructor(options: ZkDriverOptions) {
    this.options = options;
    this.election = options.election;
    this.closing = new Promise((resolve) => (this.resolveClosed = resolve));
    this.client = this.open();
  }

  get sessionId(): string | null {
    return this.client.sessionId;
  }

  start(): void {
    this.client.connect();
    this.input((nowMs) => this.election.start(nowMs));
  }

  pause(): void {
    this.input((nowMs) => this.election.pause(nowMs));
  }

  resume(): void {
    this.input((nowMs) => this.election.resume(nowMs));
  }

  resign(reason: 'requested' | 'preempted'): void {
    this.input((nowMs) => this.election.resign(reason, nowMs));
  }

  /** Resolves once the election released its znodes (or could not) and the session is closed. */
  stop(): Promise<void> {
    this.input((nowMs) => this.election.stop(nowMs));
    return this.closing;
  }

  /** Drops everything at once, as a killed process does: the session lives on in the ensemble until it expires. */
  crash(): void {
    this.finish();
  }

  /**
   * One function for every watch: node-zookeeper-client keeps a watcher per path until it fires,
   * and only a function it already has is not added again.
   */
  private readonly onWatch = (): void => this.input((nowMs) => this.election.watchFired(nowMs));

  private open(): ZkClient {
    const client = this.options.openClient((state: SessionState) => {
      if (client !== this.client || this.closed) return;
      this.input((nowMs) => this.election.sessionChanged(state, client.sessionId, client.timeoutMs, nowMs));
    });
    return client;
  }

  private input(apply: (nowMs: number) => ZkOutput): void {
    if (this.closed) return;
    this.carryOut(apply(this.options.clock.nowMs()));
    this.options.afterInput?.();
  }

  private carryOut(output: ZkOutput): void {
    for (const event of output.events) this.options.onEvent(event);
    const client = this.client;
    for (const { id, request } of output.requests) {
      const onWatch = 'watch' in request && request.watch ? this.onWatch : undefined;
      client.request(request, (reply) => this.input((nowMs) => this.election.replied(id, reply, nowMs)), onWatch);
    }
    for (const command of output.commands) {
      if (command === 'kick') this.client.kick();
      else if (command === 'new-session') {
        this.client.close();
        this.client = this.open();
        this.client.connect();
      } else {
        this.client.close();
        this.finish();
        return;
      }
    }
    this.arm();
  }

  /** Sets the one timer to the election's next deadline. */
  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const atMs = this.election.wakeAtMs();
    if (atMs === null || this.closed) return;
    this.cancelTimer = this.options.clock.schedule(atMs, () => {
      this.cancelTimer = null;
      this.input((nowMs) => this.election.tick(nowMs));
    });
  }

  private finish(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.resolveClosed();
  }
}
