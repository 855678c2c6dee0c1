/**
 * A simulated node-zookeeper-client session (the driver's ZkClient port) on a link to the
 * simulated ensemble. The link is the host's: it can be cut (the client notices, or, like a
 * silent server, does not), slowed, or left talking to a server cut off from the ensemble, which
 * still answers reads from what it last knew, does not pass the session's pings on, and refuses
 * or sits on writes.
 */
import { SessionState } from '../../contract/zookeeper-status.ts';
import { ZkFailure, type ZkReply, type ZkRequest } from '../../zookeeper/election/requests.ts';
import type { ZkClient } from '../../zookeeper/zk-client.ts';
import type { SimRandom } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';
import { isRead, read, type SimEnsemble, type TreeSnapshot } from './ensemble.ts';

/** node-zookeeper-client's pause between attempts to connect. */
const SPIN_DELAY_MS = 200;

/** How a host reaches the ensemble. */
export interface SimZkLink {
  mode: 'up' | 'cut' | 'stale';
  /** One-way delay of each message, drawn in [min, max]. */
  delayMinMs: number;
  delayMaxMs: number;
  /** Stale mode: what the cut-off server knows, and whether it refuses writes (else it never answers them). */
  stale: { tree: TreeSnapshot; refusesWrites: boolean } | null;
}

export function calmLink(): SimZkLink {
  return { mode: 'up', delayMinMs: 0.2, delayMaxMs: 2, stale: null };
}

export interface SimZkClientOptions {
  ensemble: SimEnsemble;
  link: SimZkLink;
  scheduler: Scheduler;
  random: SimRandom;
  requestedTimeoutMs: number;
  onState: (state: SessionState) => void;
  /** How a callback reaches the client's process: as an input, held while it stalls, lost when it died. */
  deliver: (input: () => void) => void;
}

export class SimZkClient implements ZkClient {
  sessionId: string | null = null;
  readonly timeoutMs: number;
  private state: SessionState = SessionState.Connecting;
  /** The connection the client has now; messages of an older one are dropped. */
  private connection = 0;
  private dead = false;
  private readonly pending = new Map<number, (reply: ZkReply<unknown>) => void>();
  private nextPending = 1;
  /** Watches that fired while the client could not hear: delivered when it connects again. */
  private missedWatches: Array<() => void> = [];
  private readonly options: SimZkClientOptions;

  constructor(options: SimZkClientOptions) {
    this.options = options;
    this.timeoutMs = options.requestedTimeoutMs;
  }

  connect(): void {
    this.attempt(this.connection);
  }

  kick(): void {
    if (this.dead || this.state === SessionState.Closed) return;
    this.disconnect();
  }

  close(): void {
    if (this.dead || this.state === SessionState.Closed) return;
    const sessionId = this.sessionId;
    const connected = this.state === SessionState.Connected && this.options.link.mode === 'up';
    this.state = SessionState.Closed;
    this.dead = true;
    if (connected && sessionId !== null) this.later(() => this.options.ensemble.closeSession(sessionId));
  }

  /** The process died: nothing more is sent or heard; the session lives on until it expires. */
  crash(): void {
    this.dead = true;
  }

  /** The link changed (cut, stale, healed): a client may notice at once, as a reset TCP connection. */
  linkChanged(noticed: boolean): void {
    if (this.dead || this.state !== SessionState.Connected) return;
    if (noticed) this.later(() => this.disconnect(), this.delayMs());
  }

  /** The ensemble went down: its servers reset their connections. */
  ensembleDown(): void {
    if (this.dead || this.state !== SessionState.Connected) return;
    this.later(() => this.disconnect(), this.delayMs());
  }

  request(request: ZkRequest, onReply: (reply: ZkReply<unknown>) => void, onWatch?: () => void): void {
    if (this.dead) return;
    if (this.state !== SessionState.Connected) {
      this.later(() => this.tell(() => onReply({ ok: false, failure: ZkFailure.Connection, message: 'not connected' })));
      return;
    }
    const ticket = this.nextPending++;
    this.pending.set(ticket, onReply);
    const connection = this.connection;
    const answer = (reply: ZkReply<unknown>) =>
      this.later(() => {
        const waiting = this.pending.get(ticket);
        if (waiting === undefined || connection !== this.connection || this.dead || !this.hears()) return;
        this.pending.delete(ticket);
        if (!reply.ok && reply.failure === ZkFailure.SessionExpired) this.expired();
        this.tell(() => waiting(reply));
      }, this.delayMs());
    this.later(() => {
      if (connection !== this.connection || this.dead) return;
      const { link, ensemble } = this.options;
      const sessionId = this.sessionId!;
      if (link.mode === 'cut') return;
      if (link.mode === 'stale') {
        if (isRead(request)) answer(read(link.stale!.tree, request, () => {}));
        else if (link.stale!.refusesWrites) answer({ ok: false, failure: ZkFailure.Other, message: 'not read-only: the server is cut off from the ensemble' });
        return;
      }
      if (!ensemble.up) return;
      const watch = onWatch === undefined ? undefined : () => this.deliverWatch(onWatch);
      answer(ensemble.apply(sessionId, request, watch));
    }, this.delayMs());
  }

  private attempt(connection: number): void {
    if (this.dead || connection !== this.connection) return;
    const { link, ensemble } = this.options;
    this.later(() => {
      if (this.dead || connection !== this.connection) return;
      if (link.mode !== 'up' || !ensemble.up) return this.later(() => this.attempt(connection), SPIN_DELAY_MS);
      if (this.sessionId === null) this.sessionId = ensemble.openSession(this.timeoutMs);
      if (ensemble.sessionState(this.sessionId) !== 'live') return this.expired();
      ensemble.touch(this.sessionId);
      this.setState(SessionState.Connected);
      this.ping(connection);
      const missed = this.missedWatches;
      this.missedWatches = [];
      for (const fire of missed) this.later(() => this.tell(fire), this.delayMs());
    }, 2 * this.delayMs());
  }

  /** The client's pings keep the session alive while the link reaches the ensemble. */
  private ping(connection: number): void {
    this.later(() => {
      if (this.dead || connection !== this.connection || this.state !== SessionState.Connected) return;
      const { link, ensemble } = this.options;
      if (link.mode === 'up' && ensemble.up && this.sessionId !== null) {
        if (ensemble.sessionState(this.sessionId) !== 'live') return this.expired();
        ensemble.touch(this.sessionId);
      }
      this.ping(connection);
    }, this.timeoutMs / 3);
  }

  private deliverWatch(fire: () => void): void {
    this.later(() => {
      if (this.dead) return;
      if (this.state === SessionState.Connected && this.hears()) this.tell(fire);
      else this.missedWatches.push(fire);
    }, this.delayMs());
  }

  /** Whether answers reach the client now. */
  private hears(): boolean {
    return this.options.link.mode !== 'cut';
  }

  private disconnect(): void {
    if (this.dead || this.state !== SessionState.Connected) return;
    this.connection++;
    this.setState(SessionState.Suspended);
    this.failPending();
    this.attempt(this.connection);
  }

  private expired(): void {
    if (this.state === SessionState.Expired || this.dead) return;
    this.connection++;
    this.setState(SessionState.Expired);
    this.failPending();
  }

  private failPending(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const onReply of waiting) this.later(() => this.tell(() => onReply({ ok: false, failure: ZkFailure.Connection, message: 'connection lost' })));
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.later(() => {
      if (!this.dead) this.tell(() => this.options.onState(state));
    });
  }

  private delayMs(): number {
    const { delayMinMs, delayMaxMs } = this.options.link;
    return this.options.random.between(delayMinMs, delayMaxMs);
  }

  private tell(input: () => void): void {
    this.options.deliver(input);
  }

  private later(run: () => void, afterMs = 0): void {
    this.options.scheduler.at(this.options.scheduler.nowMs + afterMs, run);
  }
}
