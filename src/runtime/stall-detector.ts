/**
 * Notices that this process was frozen: a SIGSTOP, a long garbage-collection pause, a virtual
 * machine paused by its host, a laptop's suspend. None of them announces itself; each shows as a
 * timer that fires far later than it was due. The detector keeps a timer of its own running, and
 * is also asked each time the node reads its clock for the core: the first reading after waking
 * reports the stall, before the core sees the time that has passed (a check made before the
 * reading would miss a process stopped between the two).
 */

/** A stall seen on waking. */
export interface Stall {
  /** How late the detector's timer was: the process could not run for at least this long. */
  durationMs: number;
}

export interface StallDetectorOptions {
  /** A timer later than this is a stall; jitter below it is a busy machine's normal. */
  thresholdMs: number;
  /** How often the detector's own timer is due; a stall is measured to within this. */
  periodMs: number;
  /** The node's clock (monotonic, and moved forward by the time the machine slept). */
  nowMs: () => number;
  /** Calls `fire` after `delayMs`; returns a function that cancels it. */
  setTimer: (fire: () => void, delayMs: number) => () => void;
  /** The process has just woken from a stall. */
  onStall: (stall: Stall) => void;
  /** Called on every check that finds no stall: the moment to note what a stall would cost. */
  onSteady?: (nowMs: number) => void;
}

/**
 * The threshold for a node with this election timeout: half the timeout, and at least 250 ms. A
 * stall shorter than half the timeout costs no lease or peer (both outlast it), and a loaded
 * machine's timers are late by tens of milliseconds, rarely by a few hundred.
 */
export function stallThresholdMs(timeoutMs: number): number {
  return Math.max(timeoutMs / 2, 250);
}

export class StallDetector {
  private readonly options: StallDetectorOptions;
  private running = false;
  /** When the detector's own timer is due. */
  private dueMs = 0;
  private cancel: (() => void) | null = null;

  constructor(options: StallDetectorOptions) {
    this.options = options;
  }

  start(): void {
    this.running = true;
    this.arm(this.options.nowMs());
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }

  /**
   * Checks whether the process was frozen before `nowMs` (a clock reading about to be used);
   * cheap enough for every reading.
   */
  check(nowMs: number = this.options.nowMs()): void {
    if (this.running) this.observe(nowMs, false);
  }

  private observe(nowMs: number, timerFired: boolean): void {
    const lateMs = nowMs - this.dueMs;
    const stalled = lateMs > this.options.thresholdMs;
    // Armed again before reporting: a listener that throws must not end the watch. A check
    // half a period after the timer was set sets it again: a node whose inputs come that often
    // is watched by its own readings, and its timer never wakes it (a follower's rounds come
    // every 100 ms; firing every 250 ms anyway was a tenth of its wake-ups).
    if (stalled || timerFired || nowMs - (this.dueMs - this.options.periodMs) >= this.options.periodMs / 2) this.arm(nowMs);
    if (stalled) this.options.onStall({ durationMs: Math.round(lateMs) });
    else this.options.onSteady?.(nowMs);
  }

  private arm(nowMs: number): void {
    this.cancel?.();
    this.dueMs = nowMs + this.options.periodMs;
    this.cancel = this.options.setTimer(() => {
      this.cancel = null;
      if (this.running) this.observe(this.options.nowMs(), true);
    }, this.options.periodMs);
  }
}
