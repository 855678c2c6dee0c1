/**
 * Availability while faults run: how long the cluster had no valid lease anywhere, from its first
 * coordinator (a cold start is measured by L1, not here) to the calm. Sampled after every input,
 * which on a LAN with a coordinator is every few milliseconds.
 */
export class AvailabilityMeter {
  leaderlessMs = 0;
  /** Coordinators elected between the first one and the calm. */
  elections = 0;
  private since: number | null = null;
  private started = false;
  private readonly untilMs: number;

  constructor(untilMs: number) {
    this.untilMs = untilMs;
  }

  /** After an input at `nowMs`, when the latest lease (of any node) ends, if any. */
  sample(nowMs: number, latestLeaseEndMs: number | null): void {
    if (latestLeaseEndMs === null || nowMs > this.untilMs) return;
    this.started = true;
    if (latestLeaseEndMs > nowMs) {
      if (this.since !== null) this.leaderlessMs += nowMs - this.since;
      this.since = null;
    } else if (this.since === null) {
      this.since = latestLeaseEndMs;
    }
  }

  onElected(nowMs: number): void {
    if (this.started && nowMs <= this.untilMs) this.elections++;
  }

  /** The calm came: a gap still open counts up to it. */
  finish(): void {
    if (this.since !== null && this.since < this.untilMs) this.leaderlessMs += this.untilMs - this.since;
    this.since = null;
  }
}
