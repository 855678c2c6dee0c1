/**
 * The ZooKeeper election's timing, as shares of the session timeout the servers granted.
 *
 * A leader leads for LEASE_SHARE of the session timeout after it sent the last write that
 * succeeded. The ensemble expires a session (deleting its claim) no earlier than a full session
 * timeout after the last activity it knows of, which comes after that write was sent: so the old
 * leader has stopped before anyone else can claim, with a third of the timeout to spare for
 * clocks that run at different rates.
 */
export const LEASE_SHARE = 2 / 3;
/** Requests per session timeout that refresh the lease and the view (children, claim). */
export const REFRESHES_PER_TIMEOUT = 6;
/**
 * Bully mode, before any leader is known: a designated candidate waits this share of the session
 * timeout after registering, so that nodes started together meet first and the highest ID wins
 * at once rather than by preemption after the damping period.
 */
export const BOOT_GRACE_SHARE = 1 / 2;
/** After a failed request, the next attempt waits this long. */
export const RETRY_MS = 100;

export function leaseMs(sessionTimeoutMs: number): number {
  return sessionTimeoutMs * LEASE_SHARE;
}

export function refreshMs(sessionTimeoutMs: number): number {
  return Math.max(20, Math.floor(sessionTimeoutMs / REFRESHES_PER_TIMEOUT));
}
