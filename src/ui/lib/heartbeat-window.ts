/**
 * The heartbeat arrivals of the last `historyMs`, per peer, in ring buffers: memory stays bounded
 * however long the page is open and however fast the heartbeats come.
 */
import type { HeartbeatSample } from '../../dashboard/messages.ts';
import type { NodeId } from '../../core/messages.ts';

/** 60 s at a 20 ms heartbeat; beyond that the oldest arrivals give way (16 bytes each). */
export const DEFAULT_MAX_SAMPLES_PER_PEER = 3000;
const INITIAL_CAPACITY = 64;

/** One peer's arrivals, oldest first, as a growable ring of two parallel typed arrays. */
class PeerRing {
  at: Float64Array;
  interval: Float64Array;
  head = 0;
  count = 0;
  private readonly maxCount: number;

  constructor(maxCount: number) {
    this.maxCount = Math.max(1, maxCount);
    this.at = new Float64Array(Math.min(INITIAL_CAPACITY, this.maxCount));
    this.interval = new Float64Array(this.at.length);
  }

  get newestAtMs(): number {
    return this.count === 0 ? -Infinity : this.at[(this.head + this.count - 1) % this.at.length]!;
  }

  push(atMs: number, intervalMs: number): void {
    if (this.count === this.at.length) {
      if (this.at.length < this.maxCount) this.grow();
      else this.dropOldest();
    }
    const slot = (this.head + this.count) % this.at.length;
    this.at[slot] = atMs;
    this.interval[slot] = intervalMs;
    this.count++;
  }

  dropOlderThan(cutoffMs: number): void {
    while (this.count > 0 && this.at[this.head]! < cutoffMs) this.dropOldest();
  }

  /** Calls `visit` for each arrival at or after `fromMs`, oldest first. */
  forEachSince(fromMs: number, visit: (atMs: number, intervalMs: number) => void): void {
    const size = this.at.length;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % size;
      const atMs = this.at[slot]!;
      if (atMs >= fromMs) visit(atMs, this.interval[slot]!);
    }
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.at.length;
    this.count--;
  }

  private grow(): void {
    const capacity = Math.min(this.maxCount, this.at.length * 2);
    const at = new Float64Array(capacity);
    const interval = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.at.length;
      at[i] = this.at[slot]!;
      interval[i] = this.interval[slot]!;
    }
    this.at = at;
    this.interval = interval;
    this.head = 0;
  }
}

export class HeartbeatWindow {
  private readonly rings = new Map<NodeId, PeerRing>();
  private newestMs = -Infinity;
  private historyMs: number;
  private readonly maxPerPeer: number;

  constructor(historyMs: number, maxPerPeer = DEFAULT_MAX_SAMPLES_PER_PEER) {
    this.historyMs = historyMs;
    this.maxPerPeer = maxPerPeer;
  }

  get windowMs(): number {
    return this.historyMs;
  }

  /** Forgets everything (a hello starts the story again), optionally with a new window. */
  reset(historyMs = this.historyMs): void {
    this.rings.clear();
    this.historyMs = historyMs;
    this.newestMs = -Infinity;
  }

  /**
   * Adds arrivals and forgets those older than the window, measured from the newest arrival
   * (the node's clock, not this browser's). An arrival not newer than the peer's last one is a
   * duplicate (a status that overlapped the hello) and is skipped.
   */
  append(samples: readonly HeartbeatSample[]): void {
    for (const [peer, atMs, intervalMs] of samples) {
      let ring = this.rings.get(peer);
      if (ring === undefined) this.rings.set(peer, (ring = new PeerRing(this.maxPerPeer)));
      if (atMs <= ring.newestAtMs) continue;
      ring.push(atMs, intervalMs);
      if (atMs > this.newestMs) this.newestMs = atMs;
    }
    this.trim(this.newestMs);
  }

  /** Forgets arrivals older than `historyMs` before `nowMs`, and peers left with none. */
  trim(nowMs: number): void {
    const cutoffMs = nowMs - this.historyMs;
    for (const [peer, ring] of this.rings) {
      ring.dropOlderThan(cutoffMs);
      if (ring.count === 0) this.rings.delete(peer);
    }
  }

  /** The node's time of the newest arrival, or null before the first one. */
  get newestAtMs(): number | null {
    return this.newestMs === -Infinity ? null : this.newestMs;
  }

  /** Arrivals held, over all peers. */
  get size(): number {
    let total = 0;
    for (const ring of this.rings.values()) total += ring.count;
    return total;
  }

  peers(): NodeId[] {
    return [...this.rings.keys()].sort((a, b) => a - b);
  }

  /** Calls `visit` for each arrival of `peer` at or after `fromMs`, oldest first. */
  forEachSince(peer: NodeId, fromMs: number, visit: (atMs: number, intervalMs: number) => void): void {
    this.rings.get(peer)?.forEachSince(fromMs, visit);
  }

  /** One peer's arrivals as [atMs, intervalMs] pairs, oldest first (for tests and tooltips). */
  samplesOf(peer: NodeId): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    this.forEachSince(peer, -Infinity, (atMs, intervalMs) => out.push([atMs, intervalMs]));
    return out;
  }
}
