/**
 * `for await (const e of node.events())`: the node's lines as an async iterator, beside the
 * emitter and on top of it, for both backends. Not node:events' `on()`: its buffer has no bound,
 * and a reader that falls behind a busy node (a drop report a second, a lab of 255 peers) would
 * hold every line it has not read yet. Here the buffer is bounded: past it the oldest lines go,
 * and the reader is told how many it missed before the first it still gets.
 */
import type { EventEmitter } from 'node:events';
import type { ElectorEvents, EventKind, NodeEvent, NodeEventOf } from './events.ts';
import { blindToListenerErrors } from './guarded-emitter.ts';

/** In place of the lines dropped because the reader fell behind: how many. Read node.status() for the present. */
export interface EventsLagged {
  event: 'lagged';
  missed: number;
}

/** What the stream yields: the lines of the kinds asked for, and a `lagged` note where some were dropped. */
export type EventStreamItem<K extends EventKind = EventKind> = NodeEventOf<K> | EventsLagged;

export interface EventStreamOptions<K extends EventKind = EventKind> {
  /** Only lines of these kinds (default: every line). The stream ends at `stopped` either way. */
  kinds?: readonly K[];
  /** Ends the stream at once when aborted: the loop ends, unread lines are dropped. */
  signal?: AbortSignal;
  /** Lines kept for a reader that falls behind (default DEFAULT_MAX_BUFFERED_EVENTS, at least 1); then the oldest go. */
  maxBufferedEvents?: number;
}

/** A node's first seconds are about 10 lines, a busy minute of drops and peers a few hundred: a reader this far behind is stuck. */
export const DEFAULT_MAX_BUFFERED_EVENTS = 1024;

export type EventStream<K extends EventKind = EventKind> = AsyncIterableIterator<EventStreamItem<K>>;

/**
 * The lines `emitter` emits from now on until its `stopped` line (included, if asked for); ended
 * at once if `stopped` is already true. Breaking out of the loop removes the listener.
 */
export function eventStream<K extends EventKind = EventKind>(emitter: EventEmitter<ElectorEvents>, stopped: boolean, options: EventStreamOptions<K> = {}): EventStream<K> {
  return new BufferedEventStream(emitter, stopped, options);
}

class BufferedEventStream<K extends EventKind> implements EventStream<K> {
  private readonly emitter: EventEmitter<ElectorEvents>;
  private readonly signal: AbortSignal | undefined;
  private readonly buffered: NodeEventOf<K>[] = [];
  private missed = 0;
  /** Readers waiting for a line: next() called with nothing buffered. */
  private readonly waiting: Array<(result: IteratorResult<EventStreamItem<K>>) => void> = [];
  /** No line comes in any more: what is buffered is still read, unless the reader left or aborted. */
  private closed = false;
  private readonly kinds: ReadonlySet<string> | null;
  private readonly maxBuffered: number;
  private readonly onAbort = (): void => this.close(true);
  private readonly onLine = (line: NodeEvent): void => {
    if (this.kinds === null || this.kinds.has(line.event)) this.push(line as NodeEventOf<K>);
    if (line.event === 'stopped') this.close(false);
  };

  constructor(emitter: EventEmitter<ElectorEvents>, stopped: boolean, options: EventStreamOptions<K>) {
    this.emitter = emitter;
    this.kinds = options.kinds === undefined ? null : new Set(options.kinds);
    this.maxBuffered = Math.max(1, options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS);
    this.signal = options.signal;
    if (stopped || options.signal?.aborted === true) {
      this.closed = true;
      return;
    }
    // A stream that leaves listener-error lines out must not keep them from stderr (guarded-emitter.ts).
    if (this.kinds !== null && !this.kinds.has('listener-error')) blindToListenerErrors.add(this.onLine);
    emitter.on('event', this.onLine);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  next(): Promise<IteratorResult<EventStreamItem<K>>> {
    if (this.missed > 0) {
      const missed = this.missed;
      this.missed = 0;
      return Promise.resolve({ value: { event: 'lagged', missed }, done: false });
    }
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve({ value: line, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The loop was left (break, return, a throw): the listener goes with it. */
  return(): Promise<IteratorResult<EventStreamItem<K>>> {
    this.close(true);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private push(line: NodeEventOf<K>): void {
    const reader = this.waiting.shift();
    if (reader !== undefined) return reader({ value: line, done: false });
    this.buffered.push(line);
    if (this.buffered.length > this.maxBuffered) {
      this.buffered.shift();
      this.missed += 1;
    }
  }

  /** No more lines: `discard` drops the unread ones too (the reader left, or aborted). */
  private close(discard: boolean): void {
    this.closed = true;
    this.emitter.off('event', this.onLine);
    this.signal?.removeEventListener('abort', this.onAbort);
    if (discard) {
      this.buffered.length = 0;
      this.missed = 0;
    }
    for (const reader of this.waiting.splice(0)) reader({ value: undefined, done: true });
  }
}
