import type { Clock } from './ports.ts';

/** The process's monotonic clock and timers: the real world's Clock. */
export const systemClock: Clock = {
  nowMs: () => performance.now(),
  schedule(atMs, fire) {
    const timer = setTimeout(fire, Math.max(0, atMs - performance.now()));
    return () => clearTimeout(timer);
  },
};
