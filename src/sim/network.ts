import type { NodeId } from '../core/index.ts';
import type { SimBacklog } from './backlog.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

/** How the simulated LAN treats each datagram. */
export interface LinkConditions {
  lossRate: number;
  duplicateRate: number;
  delayMinMs: number;
  /** Spread above the minimum; a wide spread reorders datagrams. */
  delayMaxMs: number;
}

export const CALM_LAN: LinkConditions = { lossRate: 0, duplicateRate: 0, delayMinMs: 0.1, delayMaxMs: 1 };

export interface NetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  cut: number;
  duplicated: number;
  bytes: number;
  /** Datagrams refused to their sender because the shared backlog was full (ENOBUFS). */
  refused: number;
  /** Packets (one per receiver) dropped because the shared backlog was full. */
  backlogDropped: number;
}

/**
 * A multicast LAN of simulated hosts: every datagram is delayed, maybe lost or duplicated, and
 * blocked across partitions (symmetric or one-way), all decided by the seeded PRNG.
 */
export class SimNetwork {
  conditions: LinkConditions = CALM_LAN;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, cut: 0, duplicated: 0, bytes: 0, refused: 0, backlogDropped: 0 };
  /** Send failures (ENOBUFS) per sending host, as the real transport counts them by reason. */
  readonly sendErrors = new Map<NodeId, number>();
  /** The shared backlog, when the run has a capacity model; null: unlimited, as before. */
  backlog: SimBacklog | null = null;
  /** Told of every send failure (the trace notes them). */
  onSendError: ((from: NodeId) => void) | null = null;
  private readonly receivers = new Map<NodeId, (bytes: Uint8Array, from: NodeId) => void>();
  /** Directed links that drop everything, as "from>to". */
  private readonly blocked = new Set<string>();
  private readonly scheduler: Scheduler;
  private readonly random: SimRandom;
  private readonly members: readonly NodeId[];

  constructor(scheduler: Scheduler, random: SimRandom, members: readonly NodeId[]) {
    this.scheduler = scheduler;
    this.random = random;
    this.members = members;
  }

  attach(id: NodeId, receive: (bytes: Uint8Array, from: NodeId) => void): void {
    this.receivers.set(id, receive);
  }

  detach(id: NodeId): void {
    this.receivers.delete(id);
  }

  send(from: NodeId, to: NodeId | 'all', bytes: Uint8Array): void {
    const backlog = this.backlog;
    const nowMs = this.scheduler.nowMs;
    if (backlog !== null && backlog.refuses(nowMs)) {
      // The kernel refuses the datagram: it never leaves the host.
      this.stats.refused++;
      this.sendErrors.set(from, (this.sendErrors.get(from) ?? 0) + 1);
      this.onSendError?.(from);
      return;
    }
    this.stats.sent++;
    this.stats.bytes += bytes.length;
    const targets = to === 'all' ? this.members : [to];
    for (const target of targets) {
      if (target === from) {
        // Multicast loopback never leaves the host.
        this.deliverAt(from, target, bytes, this.scheduler.nowMs + 0.01);
        continue;
      }
      if (!this.canReach(from, target)) {
        this.stats.cut++;
        continue;
      }
      const { lossRate, duplicateRate } = this.conditions;
      if (this.random.chance(lossRate)) {
        this.stats.lost++;
        continue;
      }
      const copies = this.random.chance(duplicateRate) ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let i = 0; i < copies; i++) {
        if (backlog !== null && !backlog.admit(nowMs)) {
          this.stats.backlogDropped++;
          continue;
        }
        // A packet waits behind the ones already queued.
        const queuedMs = backlog === null ? 0 : backlog.delayMs(nowMs);
        this.deliverAt(from, target, bytes, nowMs + queuedMs + this.delayMs());
      }
    }
  }

  canReach(from: NodeId, to: NodeId): boolean {
    // Most of the time nothing is cut: no key to build for every packet.
    return this.blocked.size === 0 || !this.blocked.has(`${from}>${to}`);
  }

  /** Splits the members into groups that cannot reach each other (either way). */
  partition(groups: readonly (readonly NodeId[])[]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => group.forEach((id) => groupOf.set(id, index)));
    for (const a of this.members) {
      for (const b of this.members) {
        if (a !== b && groupOf.get(a) !== groupOf.get(b)) this.blocked.add(`${a}>${b}`);
      }
    }
  }

  /** Datagrams from `from` to `to` are lost; the other direction still works. */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  private delayMs(): number {
    const { delayMinMs, delayMaxMs } = this.conditions;
    return this.random.between(delayMinMs, Math.max(delayMinMs, delayMaxMs));
  }

  private deliverAt(from: NodeId, target: NodeId, bytes: Uint8Array, atMs: number): void {
    this.scheduler.at(atMs, () => {
      const receive = this.receivers.get(target);
      if (receive === undefined) return; // the host is down
      this.stats.delivered++;
      receive(bytes, from);
    });
  }
}
