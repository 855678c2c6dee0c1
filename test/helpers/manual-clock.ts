import type { Clock } from '../../src/contract/ports.ts';
import { BOOT } from './core.ts';

/** A clock the test moves by hand; timers fire only when asked. */
export function manualClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = BOOT;
  const timers: Array<{ at: number; fire: () => void; live: boolean }> = [];
  return {
    nowMs: () => now,
    schedule(at, fire) {
      const timer = { at, fire, live: true };
      timers.push(timer);
      return () => void (timer.live = false);
    },
    advance(ms) {
      now += ms;
      for (const timer of timers.splice(0)) {
        if (timer.live && timer.at <= now) timer.fire();
        else if (timer.live) timers.push(timer);
      }
    },
    pending: () => timers.filter((timer) => timer.live).length,
  };
}
