/**
 * How long this node's requests have lately taken to be answered: the longest round trip seen
 * over the last one to two windows (a challenge and its answer, a vote request and its vote, a
 * lease round and its acknowledgement). No timestamp crosses the wire: both ends of a round trip
 * are read on this node's own clock. On a saturated machine every datagram waits in its
 * receiver's queue, seconds with 50 processes on a core, while our own timers are hardly late;
 * the round trip is the one delay the core can see (issue 22: challenges answered after the
 * answer timeout, every higher ID skipped, campaigns that fed the queues). Pure: it sees only
 * the times it is given.
 */
export class RoundTripGauge {
  readonly #windowMs: number;
  #windowStartMs = -Infinity;
  #currentPeakMs = 0;
  #previousPeakMs = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** A reply came `roundTripMs` after the request it answers left. */
  record(nowMs: number, roundTripMs: number): void {
    this.#roll(nowMs);
    if (roundTripMs > this.#currentPeakMs) this.#currentPeakMs = roundTripMs;
  }

  /** The longest round trip over the last one to two windows; 0 when none was seen. */
  recentMs(nowMs: number): number {
    this.#roll(nowMs);
    return Math.max(this.#currentPeakMs, this.#previousPeakMs);
  }

  #roll(nowMs: number): void {
    if (nowMs < this.#windowStartMs + this.#windowMs) return;
    if (!Number.isFinite(this.#windowStartMs)) {
      this.#windowStartMs = nowMs;
      return;
    }
    const windows = Math.floor((nowMs - this.#windowStartMs) / this.#windowMs);
    this.#previousPeakMs = windows === 1 ? this.#currentPeakMs : 0;
    this.#currentPeakMs = 0;
    this.#windowStartMs += windows * this.#windowMs;
  }
}
