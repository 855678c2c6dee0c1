/**
 * `conclave watch --replay FILE`: the page fed from a recording (`--record`) instead of the
 * network: each line is played into the view at its own time on the recording's clock, `speed`
 * times faster. No socket is opened; nothing is heard or sent. When the last line has played, the
 * page stays on the recording's end.
 */
import { DEFAULT_LAN_TIMINGS, type NodeId } from '../core/index.ts';
import type { ObserverSnapshot } from './observer.ts';
import type { WatchRecordLine } from './record-line.ts';
import type { WatchSource } from './watch-server.ts';
import { WatchView } from './watch-view.ts';

/** How often the replay plays the lines due and tells the page, as the observer ticks. */
const TICK_MS = 100;

export class Replay implements WatchSource {
  private readonly lines: WatchRecordLine[];
  private readonly view: WatchView;
  private readonly file: string;
  private readonly speed: number;
  private readonly memberBeatMs: number;
  private readonly voters: NodeId[];
  private next = 0;
  private clockMs: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly tickListeners = new Set<() => void>();
  private readonly endListeners = new Set<() => void>();

  /** `lines` in the recording's order (the observer writes them as it sees them). */
  constructor(lines: readonly WatchRecordLine[], file: string, speed: number) {
    this.lines = [...lines].sort((a, b) => a.ts - b.ts);
    this.file = file;
    this.speed = speed;
    // The recording holds only the voters it heard; a voter never heard is not in it.
    this.voters = [...new Set(this.lines.map((line) => line.node))].sort((a, b) => a - b);
    // A follower announces the member beat: the largest interval in the recording is the nearest to it.
    this.memberBeatMs = Math.max(0, ...this.lines.map((line) => line.intervalMs)) || DEFAULT_LAN_TIMINGS.memberBeatMs;
    this.clockMs = this.lines[0]?.ts ?? 0;
    this.view = new WatchView({ voters: this.voters, timeoutMs: DEFAULT_LAN_TIMINGS.timeoutMs, memberBeatMs: this.memberBeatMs, startMs: this.clockMs });
  }

  /** Plays the lines on the wall clock, from the first. */
  start(): void {
    const startedAt = Date.now();
    const fromMs = this.clockMs;
    this.timer = setInterval(() => this.advance(fromMs + (Date.now() - startedAt) * this.speed), TICK_MS);
    this.advance(fromMs);
  }

  /** Plays every line up to `toMs` on the recording's clock; past the last line, the replay ends. */
  advance(toMs: number): void {
    while (this.next < this.lines.length && this.lines[this.next]!.ts <= toMs) this.view.replayed(this.lines[this.next++]!);
    const lastMs = this.lines.at(-1)?.ts ?? this.clockMs;
    this.clockMs = Math.min(Math.max(this.clockMs, toMs), lastMs);
    for (const listener of this.tickListeners) listener();
    // The timer keeps running after the end: the page's stream is pushed on ticks.
    if (this.finished) {
      for (const listener of this.endListeners) listener();
      this.endListeners.clear();
    }
  }

  get finished(): boolean {
    return this.next === this.lines.length;
  }

  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  /** Called once, when the last line has played. */
  onEnd(listener: () => void): void {
    if (this.finished) listener();
    else this.endListeners.add(listener);
  }

  snapshot(): ObserverSnapshot {
    return {
      ...this.view.snapshot(this.clockMs),
      cluster: 'replay',
      configId: '-',
      listening: `nothing: a replay of ${this.file} (${this.lines.length} lines) at ${this.speed}×${this.finished ? ', ended' : ''}`,
      datagrams: 0,
      drops: {},
      timeoutMs: DEFAULT_LAN_TIMINGS.timeoutMs,
      memberBeatMs: this.memberBeatMs,
    };
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
