import type { NodeId } from '../core/index.ts';
import type { DropReason } from '../wire/wire.ts';

/** One `dropped` (or `send-failed`) line: the drops of one reason since its last line. */
export interface DropReport<Reason extends string = DropReason> {
  reason: Reason;
  /** Drops of this reason since its last line. */
  count: number;
  /** The node ID the last of them claimed, once decoded; null for bytes that did not decode. */
  from: NodeId | null;
  /** Where the last of them came from: "ip:port" (null for a drop with no datagram behind it). */
  source: string | null;
  /** Why the last of them was dropped. */
  detail: string;
}

export interface DropReporterOptions<Reason extends string = DropReason> {
  /** At most one line per reason per this many milliseconds. */
  intervalMs: number;
  /** A monotonic clock, in milliseconds. */
  nowMs: () => number;
  /** Calls `fire` after `delayMs`; returns a function that cancels it. */
  setTimer: (fire: () => void, delayMs: number) => () => void;
  report: (report: DropReport<Reason>) => void;
}

interface Pending {
  /** When this reason's last line went out; -Infinity before the first. */
  lastMs: number;
  count: number;
  from: NodeId | null;
  source: string | null;
  detail: string;
  /** Set while a line is due later; until it fires, drops are only counted into it. */
  cancel: (() => void) | null;
}

/**
 * Turns drops into `dropped` lines, at most one per reason per interval, so that a flood of bad
 * datagrams costs a line a second, not a line a datagram. The first drop after a quiet interval
 * is reported at once; the rest are counted into one line when the interval is up. While a line
 * is due, nothing else reports that reason: the timer alone does, so two lines never go out
 * within one interval even when the timer fires late.
 */
export class DropReporter<Reason extends string = DropReason> {
  private readonly options: DropReporterOptions<Reason>;
  private readonly pending = new Map<Reason, Pending>();

  constructor(options: DropReporterOptions<Reason>) {
    this.options = options;
  }

  /** `times`: how many were dropped at once (a kernel counter's rise), 1 by default. */
  drop(reason: Reason, detail: string, from: NodeId | null, source: string | null, times = 1): void {
    let entry = this.pending.get(reason);
    if (entry === undefined) {
      entry = { lastMs: -Infinity, count: 0, from, source, detail, cancel: null };
      this.pending.set(reason, entry);
    }
    entry.count += times;
    entry.from = from;
    entry.source = source;
    entry.detail = detail;
    if (entry.cancel !== null) return;
    const sinceMs = this.options.nowMs() - entry.lastMs;
    if (sinceMs >= this.options.intervalMs) {
      this.flush(reason, entry);
      return;
    }
    // One millisecond more: Node's timers count from the loop's cached, whole-millisecond time,
    // and may fire a little before the interval is up by a finer clock.
    entry.cancel = this.options.setTimer(() => {
      entry.cancel = null;
      this.flush(reason, entry);
    }, Math.ceil(this.options.intervalMs - sinceMs) + 1);
  }

  /** Cancels the lines still due (their drops stay counted in the totals). */
  stop(): void {
    for (const entry of this.pending.values()) {
      entry.cancel?.();
      entry.cancel = null;
      entry.count = 0;
    }
  }

  private flush(reason: Reason, entry: Pending): void {
    if (entry.count === 0) return;
    const { count, from, source, detail } = entry;
    entry.count = 0;
    entry.lastMs = this.options.nowMs();
    this.options.report({ reason, count, from, source, detail });
  }
}
