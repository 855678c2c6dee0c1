import { Check, type SafetyChecker } from './checkers.ts';

/**
 * Availability while faults run: how long the cluster had no valid lease anywhere, from its first
 * coordinator (a cold start is measured by L1, not here) to the calm, and the elections meanwhile.
 * Sampled after every input, which on a LAN with a coordinator is every few milliseconds.
 *
 * **A1**, the bound: the faults come in bursts, and between two of them the world can be as calm
 * as after the last. A stretch of the fault phase is *quiet* from the instant the last fault
 * before it is over (a crashed node back, a stall or a disk spell ended) while a connected quorum
 * exists (./connectivity.ts), until the next fault. L1's argument then applies from the start of
 * the quiet stretch, whatever happened before it: so no leaderless stretch may last more than the
 * general L1 bound past the later of its own start and the start of the quiet.
 */
export class AvailabilityMeter {
  leaderlessMs = 0;
  /** Coordinators elected between the first one and the calm. */
  elections = 0;
  /** The longest leaderless time within a quiet stretch (past the later of its start and the quiet's). */
  quietLeaderlessMsMax = 0;
  private since: number | null = null;
  private started = false;
  private quietSinceMs: number | null = null;
  private disturbedUntilMs = 0;
  private failedStretch: number | null = null;
  private readonly untilMs: number;
  private readonly boundMs: number;
  private readonly safety: SafetyChecker | null;

  constructor(untilMs: number, boundMs = Infinity, safety: SafetyChecker | null = null) {
    this.untilMs = untilMs;
    this.boundMs = boundMs;
    this.safety = safety;
  }

  /** A fault began, and lasts until `untilMs`: the quiet (if any) is over. */
  disturb(untilMs: number): void {
    this.quietSinceMs = null;
    this.disturbedUntilMs = Math.max(this.disturbedUntilMs, untilMs);
  }

  /** At `nowMs`, whether a connected quorum exists: quiet from then if the faults so far are over. */
  probe(nowMs: number, connectedQuorum: boolean): void {
    if (!connectedQuorum || nowMs < this.disturbedUntilMs) this.quietSinceMs = null;
    else if (this.quietSinceMs === null) this.quietSinceMs = nowMs;
  }

  /** After an input at `nowMs`, when the latest lease (of any node) ends, if any. */
  sample(nowMs: number, latestLeaseEndMs: number | null): void {
    if (nowMs > this.untilMs) return;
    if (latestLeaseEndMs !== null) {
      this.started = true;
      if (latestLeaseEndMs > nowMs) {
        if (this.since !== null) this.leaderlessMs += nowMs - this.since;
        this.since = null;
      } else if (this.since === null) {
        this.since = latestLeaseEndMs;
      }
    }
    this.judge(nowMs, latestLeaseEndMs === null ? 0 : latestLeaseEndMs > nowMs ? null : latestLeaseEndMs);
  }

  onElected(nowMs: number): void {
    if (this.started && nowMs <= this.untilMs) this.elections++;
  }

  /** The calm came: a gap still open counts up to it. */
  finish(): void {
    if (this.since !== null && this.since < this.untilMs) this.leaderlessMs += this.untilMs - this.since;
    this.since = null;
  }

  /** A1 on the leaderless stretch that began at `leaderlessSinceMs` (null: there is a lease). */
  private judge(nowMs: number, leaderlessSinceMs: number | null): void {
    if (leaderlessSinceMs === null || this.quietSinceMs === null) return;
    const fromMs = Math.max(leaderlessSinceMs, this.quietSinceMs);
    const overMs = nowMs - fromMs;
    this.quietLeaderlessMsMax = Math.max(this.quietLeaderlessMsMax, overMs);
    if (overMs <= this.boundMs || this.safety === null || this.failedStretch === fromMs) return;
    this.failedStretch = fromMs;
    this.safety.fail(
      Check.Available,
      `no coordinator for ${overMs.toFixed(0)} ms of quiet (since ${(fromMs / 1000).toFixed(3)} s: a connected quorum, no fault), beyond the L1 bound of ${this.boundMs} ms`,
    );
  }
}
