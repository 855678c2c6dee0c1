/**
 * A node's heartbeat inter-arrival times as the observer measures them, over the last minute: the
 * last gap, the mean and the largest. A gap across a silence is not a beat's (the node was away),
 * so the view measures only between beats of a live node. Pure: arrival times go in.
 */

/** A minute: long enough for sixty member beats, short enough that last hour's hiccup is gone. */
export const BEAT_GAP_WINDOW_MS = 60_000;

export interface BeatGapSummary {
  lastMs: number;
  meanMs: number;
  maxMs: number;
  /** Gaps measured within the window. */
  count: number;
}

export class BeatGaps {
  private readonly gaps: { atMs: number; gapMs: number }[] = [];

  /** A beat arrived at `atMs`, `gapMs` after the node's previous one. */
  add(atMs: number, gapMs: number): void {
    this.gaps.push({ atMs, gapMs });
    this.forget(atMs);
  }

  /** Over the gaps whose second beat arrived within the last minute; null when none did. */
  summary(nowMs: number): BeatGapSummary | null {
    this.forget(nowMs);
    if (this.gaps.length === 0) return null;
    const sum = this.gaps.reduce((total, gap) => total + gap.gapMs, 0);
    return { lastMs: this.gaps.at(-1)!.gapMs, meanMs: Math.round(sum / this.gaps.length), maxMs: Math.max(...this.gaps.map((gap) => gap.gapMs)), count: this.gaps.length };
  }

  private forget(nowMs: number): void {
    const keepFrom = this.gaps.findIndex((gap) => gap.atMs > nowMs - BEAT_GAP_WINDOW_MS);
    this.gaps.splice(0, keepFrom === -1 ? this.gaps.length : keepFrom);
  }
}
