/**
 * How late one peer's messages are read: each message carries the sender's clock when it was
 * made (`sentAtMs`), and `readMs − sentAtMs` is the clocks' offset plus the time the message took
 * (the network, the sender's send queue, our receive queue, a stall of ours). The smallest of
 * these lately is the offset plus the quickest delivery; a message read later than that by L ms
 * waited L ms longer than the quickest (docs/protocol.md, "Late rounds").
 *
 * Clocks drift apart by at most 2ρ per ms (`maxClockDriftPpm` each), so the floor is allowed to
 * rise at that rate since its sample: lateness is never overstated by drift, only by jitter.
 * Only the last one to two windows of samples count, so a clock that jumped is forgotten within
 * two windows. The windows turn over on reading, one step at a time, and only on a message read
 * outside the drain that follows a stall of ours: such a burst knows no quick delivery, and a
 * window begun with it held none. A follower stalled twice (seed 29004013: 1.5 s, then 2.4 s)
 * had turned its windows over on the first stall's burst, and the second burst pushed the last
 * quick samples out: the floor was the first burst's, 960 ms above the quickest, so a round
 * queued 960 ms looked fresh and named its crashed coordinator 456 ms past N1's bound.
 *
 * What it is used for: naming a coordinator (`knownLeader`) no longer than a timeout from when
 * its round was sent, not from when a stalled follower read it. It never shortens a promise:
 * an estimate must not decide safety.
 */
export class TransitFloor {
  /** Min over the current window of `readMs − sentAtMs − driftRate·readMs`. */
  #current = Infinity;
  #previous = Infinity;
  #windowStartMs: number;
  readonly #windowMs: number;
  readonly #driftRate: number;
  /**
   * Whether a stamped message was read outside a drain after a stall of ours. Until one is, the
   * floor is made only of bursts and knows no quick delivery; once one is, both windows hold
   * one (they turn over only on such a read).
   */
  measured = false;

  constructor(windowMs: number, maxClockDriftPpm: number, nowMs: number) {
    const drift = maxClockDriftPpm / 1_000_000;
    this.#windowMs = windowMs;
    this.#driftRate = (2 * drift) / (1 - drift);
    this.#windowStartMs = nowMs;
  }

  /**
   * Records a message stamped `sentAtMs` (0: unstamped) read at `readMs`; returns how late it is.
   * `drained`: read while our queue drains after a stall of ours (it may have waited behind it).
   */
  record(sentAtMs: number, readMs: number, drained = false): number {
    if (!(sentAtMs > 0)) return 0;
    if (!drained) this.measured = true;
    if (!drained && readMs - this.#windowStartMs >= this.#windowMs) {
      this.#previous = this.#current;
      this.#current = Infinity;
      this.#windowStartMs = readMs;
    }
    const sampleMs = readMs - sentAtMs;
    this.#current = Math.min(this.#current, sampleMs - this.#driftRate * readMs);
    const floorMs = Math.min(this.#current, this.#previous) + this.#driftRate * readMs;
    return Math.max(0, sampleMs - floorMs);
  }
}
