import type { Clock } from './ports.ts';

/**
 * Wall-clock time that passed beyond the monotonic clock's by more than this is taken as a
 * suspend: Node's monotonic clock (CLOCK_MONOTONIC) stands still while the machine sleeps.
 */
const SUSPEND_GAP_MS = 500;

let lastMonotonicMs = performance.now();
let lastWallMs = Date.now();
let sleptMs = 0;

/**
 * The process's monotonic clock, moved forward by the time the machine slept, so that a
 * coordinator whose laptop wakes up knows its lease ran out. A forward step of the wall clock
 * (NTP) looks the same and ends leases early, which is safe; a backward step is ignored.
 */
function nowMs(): number {
  const monotonic = performance.now();
  const wall = Date.now();
  const gap = wall - lastWallMs - (monotonic - lastMonotonicMs);
  if (gap > SUSPEND_GAP_MS) sleptMs += gap;
  lastMonotonicMs = monotonic;
  lastWallMs = wall;
  return monotonic + sleptMs;
}

/** The real world's Clock. */
export const systemClock: Clock = {
  nowMs,
  schedule(atMs, fire) {
    const timer = setTimeout(fire, Math.max(0, atMs - nowMs()));
    return () => clearTimeout(timer);
  },
};

/**
 * The wall-clock time (whole ms since the epoch) at which the system clock read `localMs`: for
 * event lines that say when something happened earlier than now (a lease that ran out unnoticed).
 */
export function wallAtMs(localMs: number): number {
  return Math.round(Date.now() - (nowMs() - localMs));
}
