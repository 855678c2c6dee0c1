/**
 * Phi-accrual failure detector statistics for one peer (Hayashibara et al., as in Akka and
 * Cassandra). The election itself uses the fixed `timeoutMs`, so that its bounds are stated in
 * timers; phi and the timeout it implies are what the dashboard shows about each link.
 */

export interface ArrivalStats {
  /** Inter-arrival samples in the window. */
  samples: number;
  meanMs: number;
  /** Standard deviation of the inter-arrival time. */
  jitterMs: number;
  /** Last inter-arrival time, or null before the second heartbeat. */
  lastIntervalMs: number | null;
}

const WINDOW_SIZE = 64;

export class ArrivalWindow {
  private readonly intervals: number[] = [];
  private next = 0;
  // Running sums keep stats() O(1): it runs for every peer on every input.
  private sum = 0;
  private sumOfSquares = 0;
  private lastArrivalMs: number | null = null;
  private lastIntervalMs: number | null = null;
  private readonly expectedIntervalMs: number;
  private readonly minJitterMs: number;
  private readonly acceptablePauseMs: number;

  /**
   * @param expectedIntervalMs seeds the window so that phi means something after one heartbeat
   * @param minJitterMs floor on the deviation, so a perfectly regular link is not judged by 0
   * @param acceptablePauseMs lateness forgiven before suspicion grows (Akka's acceptable
   *   heartbeat pause): without it, a link that is regular to the millisecond is suspected after
   *   one heartbeat 50 ms late (a collection, an fsync), and the dashboard flickers
   */
  constructor(expectedIntervalMs: number, minJitterMs = Math.max(1, expectedIntervalMs / 10), acceptablePauseMs = expectedIntervalMs) {
    this.expectedIntervalMs = expectedIntervalMs;
    this.minJitterMs = minJitterMs;
    this.acceptablePauseMs = acceptablePauseMs;
  }

  get lastArrival(): number | null {
    return this.lastArrivalMs;
  }

  /** This node could not run for `ms`: the silence it did not see is not the peer's lateness. */
  excuse(ms: number): void {
    if (this.lastArrivalMs !== null) this.lastArrivalMs += ms;
  }

  record(nowMs: number): void {
    if (this.lastArrivalMs !== null) {
      const interval = nowMs - this.lastArrivalMs;
      this.lastIntervalMs = interval;
      if (this.intervals.length < WINDOW_SIZE) {
        this.intervals.push(interval);
      } else {
        const old = this.intervals[this.next]!;
        this.sum -= old;
        this.sumOfSquares -= old * old;
        this.intervals[this.next] = interval;
      }
      this.sum += interval;
      this.sumOfSquares += interval * interval;
      this.next = (this.next + 1) % WINDOW_SIZE;
    }
    this.lastArrivalMs = nowMs;
  }

  stats(): ArrivalStats {
    const n = this.intervals.length;
    if (n === 0) {
      return { samples: 0, meanMs: this.expectedIntervalMs, jitterMs: 0, lastIntervalMs: null };
    }
    const meanMs = this.sum / n;
    // Clamp: subtracting running sums can leave a tiny negative instead of zero.
    const variance = Math.max(0, this.sumOfSquares / n - meanMs * meanMs);
    return { samples: n, meanMs, jitterMs: Math.sqrt(variance), lastIntervalMs: this.lastIntervalMs };
  }

  /** Suspicion level: -log10 of the probability that a heartbeat is still this late. */
  phi(nowMs: number): number {
    if (this.lastArrivalMs === null) return 0;
    const { meanMs, jitterMs } = this.stats();
    return phiOf(nowMs - this.lastArrivalMs, meanMs + this.acceptablePauseMs, Math.max(jitterMs, this.minJitterMs));
  }

  /**
   * Whether phi has reached `threshold`: phi(nowMs) >= threshold, without the arithmetic while the
   * peer is not yet late (up to the expected arrival phi stays at or below log10(2)). It runs for
   * every peer on every input.
   */
  reaches(nowMs: number, threshold: number): boolean {
    if (this.lastArrivalMs !== null && threshold > PHI_AT_MEAN) {
      const n = this.intervals.length;
      const meanMs = n === 0 ? this.expectedIntervalMs : this.sum / n;
      if (nowMs - this.lastArrivalMs <= meanMs + this.acceptablePauseMs) return false;
    }
    return this.phi(nowMs) >= threshold;
  }

  /**
   * A time before which `reaches(nowMs, threshold)` is surely false for every `nowMs` from now
   * on while no heartbeat is recorded or excused (-Infinity: none is known): the peer table
   * skips its pass over every peer until some peer may change state. Below the expected
   * arrival, by a margin far above the rounding of `nowMs - lastArrivalMs`, so that it never
   * says more than `reaches` would.
   */
  calmUntilMs(threshold: number): number {
    // Phi is 0 until a first arrival: what reaches() says now, it says until then.
    if (this.lastArrivalMs === null) return threshold > 0 ? Infinity : -Infinity;
    if (threshold <= PHI_AT_MEAN) return -Infinity;
    const n = this.intervals.length;
    const meanMs = n === 0 ? this.expectedIntervalMs : this.sum / n;
    const lateAfterMs = this.lastArrivalMs + (meanMs + this.acceptablePauseMs);
    return lateAfterMs - (1e-9 * Math.abs(lateAfterMs) + 1e-9);
  }

  /** How long after the last heartbeat phi reaches `threshold`: the timeout phi implies. */
  impliedTimeoutMs(threshold: number): number {
    const { meanMs: observedMeanMs, jitterMs } = this.stats();
    const meanMs = observedMeanMs + this.acceptablePauseMs;
    const deviation = Math.max(jitterMs, this.minJitterMs);
    let low = 0;
    let high = meanMs + 64 * deviation;
    for (let i = 0; i < 40; i++) {
      const mid = (low + high) / 2;
      if (phiOf(mid, meanMs, deviation) < threshold) low = mid;
      else high = mid;
    }
    return high;
  }
}

/** Phi for a normal distribution of inter-arrival times, by the logistic approximation Akka uses. */
export function phiOf(elapsedMs: number, meanMs: number, deviationMs: number): number {
  const y = (elapsedMs - meanMs) / deviationMs;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  // Both branches compute -log10(P(late)); the split keeps precision on each side of the mean.
  const phi = elapsedMs > meanMs ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
  return Math.min(phi, PHI_MAX);
}

/** The most phi can be before the expected arrival: -log10(1/2), rounded up. */
const PHI_AT_MEAN = 0.302;

/** Where the approximation runs out of precision; a link this late is certainly down. */
export const PHI_MAX = 1000;
