/**
 * What every Conclave node offers, whichever way it elects: over the LAN (ConclaveNode) or
 * through ZooKeeper (ZooKeeperNode). The CLI, the hooks, the dashboard and library users see only this.
 */
import type { EventEmitter } from 'node:events';
import type { NodeId, ResignReason } from '../core/index.ts';
import type { ElectorEvents, EventKind } from './events.ts';
import type { EventStream, EventStreamOptions } from './event-stream.ts';
import type { RuntimeStatus } from './status.ts';

export interface Elector extends EventEmitter<ElectorEvents> {
  readonly id: NodeId;
  /** The fencing token space: the term (LAN) or the claim's zxid (ZooKeeper). */
  readonly term: number;
  readonly paused: boolean;
  /** The port the metrics endpoint listens on, if any. */
  readonly metricsPort: number | null;
  /** True while this node may act as coordinator. Check it right before each leader-only act. */
  hasLease(): boolean;
  status(): RuntimeStatus;
  /** Gives up leadership now, if leading (`requested` unless said otherwise). */
  resign(reason?: ResignReason): void;
  /** Stops taking part, as if unplugged (LAN) or withdrawn (ZooKeeper), until resume(). */
  pause(): void;
  resume(): void;
  /** Resigns if leading, says goodbye and releases everything. */
  stop(): Promise<void>;
  /**
   * The lines from now on as an async iterator, beside `on('event')`: `kinds` filters, `signal`
   * ends it, and it ends after the node's `stopped` line. A reader that falls behind by more than
   * `maxBufferedEvents` gets a `{ event: 'lagged', missed }` item in place of the oldest lines.
   */
  events<K extends EventKind = EventKind>(options?: EventStreamOptions<K>): EventStream<K>;
}
