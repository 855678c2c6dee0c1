import type { ElectionConfig } from '../core/index.ts';

/**
 * Election timers for tests: a failover in a few hundred milliseconds instead of about a second
 * (the LAN defaults, core/config.ts DEFAULT_LAN_TIMINGS), on a loopback where datagrams take
 * microseconds. Loaded machines (CI) stall processes for tens of ms: a 300 ms timeout still
 * holds six missed 50 ms rounds.
 */
export const TEST_TIMINGS = {
  heartbeatMs: 50,
  /** A bound follower's membership beat: a killed follower is noticed in 3 beats. */
  memberBeatMs: 100,
  timeoutMs: 300,
  /** Two timeouts: a healed higher ID takes over soon, but not in the middle of a failover. */
  dampingMs: 600,
} as const;

/** The timers a test may set (each as core/config.ts describes it; the rest follow from them there). */
export type TestTimings = Partial<Pick<ElectionConfig, 'heartbeatMs' | 'memberBeatMs' | 'timeoutMs' | 'leaseMs' | 'dampingMs' | 'preempt'>>;
