/**
 * The dashboard's view of one node: status snapshots published on a steady beat, events as they
 * happen, and the recent past (events, heartbeat arrivals) for a page that connects later. Both
 * hosts, the HTTP server and Electron's IPC, publish what this produces.
 */
import { systemClock } from '../contract/system-clock.ts';
import type { NodeEvent } from '../contract/events.ts';
import type { RuntimeStatus } from '../contract/status.ts';
import type { ControlsInfo, DashboardMessage, HeartbeatSample, NumberedMessage } from './messages.ts';

export interface FeedOptions {
  controls: ControlsInfo;
  /** How often a snapshot goes out while anyone listens (200 ms: 5 per second). */
  publishIntervalMs?: number;
  /** How much heartbeat history a new page gets. */
  historyMs?: number;
  /** How many past events a new page gets. */
  maxEvents?: number;
}

type Arrival = { from: number; atMs: number };

/** The part of a node the feed reads: a ConclaveNode, or a stand-in in a test or benchmark. */
export interface FeedSource {
  status(): RuntimeStatus;
  on(event: 'event', listener: (event: NodeEvent) => void): unknown;
  on(event: 'heartbeat', listener: (arrival: Arrival) => void): unknown;
  off(event: 'event', listener: (event: NodeEvent) => void): unknown;
  off(event: 'heartbeat', listener: (arrival: Arrival) => void): unknown;
}

export type FeedListener = (message: NumberedMessage) => void;

const DEFAULT_PUBLISH_INTERVAL_MS = 200;
const DEFAULT_HISTORY_MS = 60_000;
const DEFAULT_MAX_EVENTS = 500;
const TRIM_SLACK_MS = 5_000;
/** A bound on the history whatever the clock does: 100 peers at 10 heartbeats a second for 60 s. */
const MAX_SAMPLES = 60_000;

export class DashboardFeed {
  readonly controls: ControlsInfo;
  private readonly source: FeedSource;
  private readonly listeners = new Set<FeedListener>();
  private readonly events: NodeEvent[] = [];
  /** The arrivals of the history window, oldest first. */
  private samples: HeartbeatSample[] = [];
  /** How many of `samples`, counted from the end, no listener has been sent yet. */
  private unpublished = 0;
  /** Per peer, the monotonic time of its last heartbeat: intervals must not jump with the wall clock. */
  private readonly lastArrivalMs = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  /** The number of the last message sent (see NumberedMessage); a hello carries it. */
  private lastSeq = 0;
  private readonly publishIntervalMs: number;
  private readonly historyMs: number;
  private readonly maxEvents: number;
  private readonly onEvent = (event: NodeEvent): void => this.record(event);
  private readonly onHeartbeat = ({ from, atMs }: Arrival): void => this.arrival(from, atMs);

  constructor(source: FeedSource, options: FeedOptions) {
    this.source = source;
    this.controls = options.controls;
    this.publishIntervalMs = options.publishIntervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS;
    this.historyMs = options.historyMs ?? DEFAULT_HISTORY_MS;
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    source.on('event', this.onEvent);
    source.on('heartbeat', this.onHeartbeat);
  }

  /** The first message of a connection: the present and the recent past. */
  hello(): NumberedMessage {
    this.trim(Date.now());
    return {
      type: 'hello',
      seq: this.lastSeq,
      status: this.source.status(),
      events: [...this.events],
      samples: [...this.samples],
      controls: this.controls,
      historyMs: this.historyMs,
    };
  }

  snapshot(): RuntimeStatus {
    return this.source.status();
  }

  /** Sends every later message to `listener` (after the caller sent it hello()); returns an unsubscribe. */
  subscribe(listener: FeedListener): () => void {
    // The first page got everything in hello(); what piled up unwatched before it is not news.
    if (this.listeners.size === 0) this.unpublished = 0;
    this.listeners.add(listener);
    this.timer ??= setInterval(() => this.publish(), this.publishIntervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  close(): void {
    this.source.off('event', this.onEvent);
    this.source.off('heartbeat', this.onHeartbeat);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    const fresh = this.unpublished === 0 ? [] : this.samples.slice(-this.unpublished);
    this.unpublished = 0;
    this.trim(Date.now());
    this.send({ type: 'status', status: this.source.status(), samples: fresh });
  }

  private record(event: NodeEvent): void {
    this.events.push(event);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    this.send({ type: 'event', event });
  }

  private arrival(peer: number, atMs: number): void {
    const monotonicMs = systemClock.nowMs();
    const previous = this.lastArrivalMs.get(peer);
    this.lastArrivalMs.set(peer, monotonicMs);
    if (previous === undefined) return;
    this.samples.push([peer, atMs, Math.round((monotonicMs - previous) * 10) / 10]);
    this.unpublished = Math.min(this.unpublished + 1, this.samples.length);
    // Trimmed here too, in batches, so the window stays bounded while nobody watches.
    if (this.samples[0]![1] < atMs - this.historyMs - TRIM_SLACK_MS || this.samples.length > MAX_SAMPLES + MAX_SAMPLES / 10) this.trim(atMs);
  }

  /** Forgets arrivals older than the history window, so memory stays bounded by it. */
  private trim(nowMs: number): void {
    const oldest = nowMs - this.historyMs;
    let drop = Math.max(0, this.samples.length - MAX_SAMPLES);
    while (drop < this.samples.length && this.samples[drop]![1] < oldest) drop++;
    if (drop > 0) this.samples = this.samples.slice(drop);
    this.unpublished = Math.min(this.unpublished, this.samples.length);
  }

  private send(message: DashboardMessage): void {
    const numbered: NumberedMessage = { ...message, seq: ++this.lastSeq };
    for (const listener of this.listeners) {
      try {
        listener(numbered);
      } catch {
        // One broken page (a closed window, a torn stream) must not silence the others or the node.
      }
    }
  }
}
