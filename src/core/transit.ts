/**
 * How late one peer's messages are read: each message carries the sender's clock when it was
 * made (`sentAtMs`), and `readMs − sentAtMs` is the clocks' offset plus the time the message took
 * (the network, the sender's send queue, our receive queue, a stall of ours). The smallest of
 * these lately is the offset plus the quickest delivery; a message read later than that by L ms
 * waited L ms longer than the quickest (docs/protocol.md, "Late rounds").
 *
 * Clocks drift apart by at most 2ρ per ms (`maxClockDriftPpm` each), so the floor is allowed to
 * rise at that rate since its sample: lateness is never overstated by drift, only by jitter.
 * Only the last one to two windows of samples count (the windows turn over on reading, one step
 * at a time, so the samples from before a stall of ours are still there when it ends), so a
 * clock that jumped is forgotten within two windows.
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
  /** When the first stamped message was read: a floor made only of a burst read after a stall of ours knows no quick delivery. */
  firstReadMs = Infinity;

  constructor(windowMs: number, maxClockDriftPpm: number, nowMs: number) {
    const drift = maxClockDriftPpm / 1_000_000;
    this.#windowMs = windowMs;
    this.#driftRate = (2 * drift) / (1 - drift);
    this.#windowStartMs = nowMs;
  }

  /** Records a message stamped `sentAtMs` (0: unstamped) read at `readMs`; returns how late it is. */
  record(sentAtMs: number, readMs: number): number {
    if (!(sentAtMs > 0)) return 0;
    if (this.firstReadMs === Infinity) this.firstReadMs = readMs;
    if (readMs - this.#windowStartMs >= this.#windowMs) {
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
