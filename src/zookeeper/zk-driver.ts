import type { Cancel, Clock } from '../contract/ports.ts';
import type { SessionState } from '../contract/zookeeper-status.ts';
import type { ZkTold } from './election/events.ts';
import type { ZkCore, ZkInput } from './election/zk-core.ts';
import type { ZkOutput } from './election/zk-election.ts';
import type { ZkClient, ZkClientFactory } from './zk-client.ts';

/** What an input asked for when it asked for nothing: the timer is set again all the same. */
const NOTHING: ZkOutput = { requests: [], commands: [], events: [] };

export interface ZkDriverOptions {
  election: ZkCore;
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
  readonly election: ZkCore;
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
    this.step({ type: 'start' });
  }

  pause(): void {
    this.step({ type: 'pause' });
  }

  resume(): void {
    this.step({ type: 'resume' });
  }

  resign(reason: 'requested' | 'preempted'): void {
    this.step({ type: 'resign', reason });
  }

  /** Resolves once the election released its znodes (or could not) and the session is closed. */
  stop(): Promise<void> {
    this.step({ type: 'stop' });
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
  private readonly onWatch = (): void => this.step({ type: 'watch' });

  private open(): ZkClient {
    const client = this.options.openClient((state: SessionState) => {
      if (client !== this.client || this.closed) return;
      this.step({ type: 'session', state, sessionId: client.sessionId, timeoutMs: client.timeoutMs });
    });
    return client;
  }

  private step(input: ZkInput): void {
    this.input((nowMs) => this.election.step(input, nowMs));
  }

  private input(apply: (nowMs: number) => void): void {
    if (this.closed) return;
    apply(this.options.clock.nowMs());
    const ready = this.election.ready();
    // Taken before it is carried out: a simulated ensemble may answer a request at once, and
    // that answer is the next input, with a Ready of its own.
    this.election.advance();
    this.carryOut(ready ?? NOTHING);
    this.options.afterInput?.();
  }

  private carryOut(output: ZkOutput): void {
    for (const event of output.events) this.options.onEvent(event);
    const client = this.client;
    for (const { id, request } of output.requests) {
      const onWatch = 'watch' in request && request.watch ? this.onWatch : undefined;
      client.request(request, (reply) => this.step({ type: 'reply', requestId: id, reply }), onWatch);
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
