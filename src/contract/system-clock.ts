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
    // Rounded up, and a millisecond more: Node starts a timer from the time its loop last read
    // (stale by the work done since) in whole milliseconds, so a timer set for the exact delay
    // fired before `atMs` by this clock nine times in ten; the core then found nothing due and
    // the timer was set again for the fraction left, a second wake-up for every deadline. A
    // deadline met a millisecond or two late costs nothing: every decision reads the clock anew.
    const timer = setTimeout(fire, Math.max(0, Math.ceil(atMs - nowMs())) + 1);
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
