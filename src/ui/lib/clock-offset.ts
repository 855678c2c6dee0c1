/**
 * The node's clock minus this browser's. The chart's right edge must be "now" on the node's
 * clock (heartbeat times are the node's), and the page may run on another machine.
 *
 * Each status carries the heartbeats that arrived since the previous one, so its newest arrival
 * is a little older than the moment it is received: newest − received = offset − delay. The
 * largest of the recent estimates has the least delay; a sliding window lets it follow drift.
 */
export const OFFSET_WINDOW = 25;

export class ClockOffsetEstimator {
  private readonly estimates: number[] = [];

  /** @returns the present estimate */
  observe(nodeTimeMs: number, localTimeMs: number): number {
    this.estimates.push(nodeTimeMs - localTimeMs);
    if (this.estimates.length > OFFSET_WINDOW) this.estimates.shift();
    return this.offsetMs;
  }

  /** 0 before the first observation: same clock, as on a LAN with NTP. */
  get offsetMs(): number {
    return this.estimates.length === 0 ? 0 : Math.max(...this.estimates);
  }

  reset(): void {
    this.estimates.length = 0;
  }
}
