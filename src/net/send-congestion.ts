/**
 * Whether this node's sends are failing for lack of room (ENOBUFS: the kernel's queue toward the
 * network is full, on a busy host or a flooded link), and for how long it should send only what
 * the protocol cannot do without. Ethernet's answer to a collision is the anchor: back off, and
 * back off longer each time it happens again. Pure: the caller passes the time.
 */

/** Errors that mean "no room now, try less", not "this address is wrong". */
export const CONGESTION_CODES: ReadonlySet<string> = new Set(['ENOBUFS', 'EAGAIN', 'EWOULDBLOCK', 'ENOMEM']);

/** The first back-off: about one membership beat. */
export const CONGESTION_HOLD_MIN_MS = 1000;
/** The longest: a probe or a one-way repair waits at most this long once the queue has room. */
export const CONGESTION_HOLD_MAX_MS = 8000;

export class SendCongestion {
  private holdMs = CONGESTION_HOLD_MIN_MS;
  private untilMs = Number.NEGATIVE_INFINITY;

  /** A send failed with `code`; true if that is congestion (and the back-off grew). */
  failed(code: string, nowMs: number): boolean {
    if (!CONGESTION_CODES.has(code)) return false;
    if (nowMs < this.untilMs) {
      // Still failing while we held back: hold back longer (at most once per hold, so that one
      // burst of failures reported together does not jump straight to the maximum).
      if (this.untilMs - nowMs < this.holdMs / 2) this.holdMs = Math.min(this.holdMs * 2, CONGESTION_HOLD_MAX_MS);
    } else if (nowMs - this.untilMs >= this.holdMs) {
      // Quiet for a whole hold since the last one: start again from the shortest.
      this.holdMs = CONGESTION_HOLD_MIN_MS;
    }
    this.untilMs = nowMs + this.holdMs;
    return true;
  }

  /** Whether optional sends (probes, repairs) are held back now. */
  congested(nowMs: number): boolean {
    return nowMs < this.untilMs;
  }

  /** The current back-off, for the status. */
  get holdDurationMs(): number {
    return this.holdMs;
  }
}
