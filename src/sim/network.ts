import type { NodeId } from '../core/index.ts';
import type { Route } from '../contract/status.ts';
import type { Endpoint } from '../net/peer-directory.ts';
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
  /** Multicast packets a group filter kept from one receiver (the unicast path still worked). */
  filtered: number;
  /** Unicast datagrams that found no socket at their port (the peer restarted on another, or is down). */
  unreachable: number;
}

/** A host's side of the network: its datagrams arrive here, with the route they came by and the sender's port. */
export type Receiver = (bytes: Uint8Array, from: NodeId, route: Route, fromPort: number) => void;

/**
 * Where hosts are, for the transport that routes through a peer directory (./layout.ts): each
 * host's address, and its multicast domain (null: multicast off).
 */
export interface NetworkPlaces {
  addressOf: ReadonlyMap<NodeId, string>;
  groupOf: ReadonlyMap<NodeId, number | null>;
}

/**
 * A multicast LAN of simulated hosts: every datagram is delayed, maybe lost or duplicated, and
 * blocked across partitions (symmetric or one-way), all decided by the seeded PRNG.
 */
export class SimNetwork {
  conditions: LinkConditions = CALM_LAN;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, cut: 0, duplicated: 0, bytes: 0, refused: 0, backlogDropped: 0, filtered: 0, unreachable: 0 };
  /** Send failures (ENOBUFS) per sending host, as the real transport counts them by reason. */
  readonly sendErrors = new Map<NodeId, number>();
  /** The shared backlog, when the run has a capacity model; null: unlimited, as before. */
  backlog: SimBacklog | null = null;
  /** Told of every send failure (the trace notes them). */
  onSendError: ((from: NodeId) => void) | null = null;
  private readonly receivers = new Map<NodeId, Receiver>();
  /** Each attached process's unicast port (the source port of what it sends). */
  private readonly ports = new Map<NodeId, number>();
  /** Directed links that drop everything, as "from>to". */
  private readonly blocked = new Set<string>();
  /** Directed links that drop multicast only, as "from>to" (an IGMP-snooping switch that lost a join). */
  private readonly groupBlocked = new Set<string>();
  /** Set for runs whose hosts route through a directory; null: the plain transport. */
  private places: NetworkPlaces | null = null;
  private readonly hostAt = new Map<string, NodeId>();
  private readonly scheduler: Scheduler;
  private readonly random: SimRandom;
  private readonly members: readonly NodeId[];

  constructor(scheduler: Scheduler, random: SimRandom, members: readonly NodeId[]) {
    this.scheduler = scheduler;
    this.random = random;
    this.members = members;
  }

  /** Hosts get addresses and multicast domains: sends go by sendGroup and sendDirect from now on. */
  place(places: NetworkPlaces): void {
    this.places = places;
    for (const [id, address] of places.addressOf) this.hostAt.set(address, id);
  }

  /** `port`: the process's unicast socket (where direct datagrams reach it); 0 for the plain transport. */
  attach(id: NodeId, receive: Receiver, port = 0): void {
    this.receivers.set(id, receive);
    this.ports.set(id, port);
  }

  detach(id: NodeId): void {
    this.receivers.delete(id);
    this.ports.delete(id);
  }

  /** The plain transport: 'all' reaches every host, an ID reaches that host, whatever a directory knows. */
  send(from: NodeId, to: NodeId | 'all', bytes: Uint8Array): void {
    this.transmit(from, to === 'all' ? this.members : [to], bytes, 'group', 0);
  }

  /**
   * One datagram to the multicast group: a packet to each host in `from`'s multicast domain that
   * no group filter keeps it from (and back to `from`, multicast loopback). False: refused (ENOBUFS).
   */
  sendGroup(from: NodeId, bytes: Uint8Array): boolean {
    const group = this.places?.groupOf.get(from) ?? null;
    if (group === null) throw new Error(`n${from} has multicast off and sent to the group`);
    const targets = this.members.filter((id) => this.places!.groupOf.get(id) === group);
    return this.transmit(from, targets, bytes, 'group', this.ports.get(from) ?? 0);
  }

  /** One unicast datagram to `to`, routed to whatever subnet it is on. False: refused (ENOBUFS). */
  sendDirect(from: NodeId, to: Endpoint, bytes: Uint8Array): boolean {
    const target = this.hostAt.get(to.address);
    return this.transmit(from, target === undefined ? [] : [target], bytes, 'direct', this.ports.get(from) ?? 0, to.port);
  }

  /**
   * One datagram to `targets`; `toPort`: a unicast datagram's destination port, which must still
   * be the target's socket when it arrives. False: the backlog refused it to its sender.
   */
  private transmit(from: NodeId, targets: readonly NodeId[], bytes: Uint8Array, route: Route, fromPort: number, toPort?: number): boolean {
    const backlog = this.backlog;
    const nowMs = this.scheduler.nowMs;
    if (backlog !== null && backlog.refuses(nowMs)) {
      // The kernel refuses the datagram: it never leaves the host.
      this.stats.refused++;
      this.sendErrors.set(from, (this.sendErrors.get(from) ?? 0) + 1);
      this.onSendError?.(from);
      return false;
    }
    this.stats.sent++;
    this.stats.bytes += bytes.length;
    for (const target of targets) {
      if (target === from) {
        // Multicast loopback never leaves the host.
        this.deliverAt(from, target, bytes, this.scheduler.nowMs + 0.01, route, fromPort, toPort);
        continue;
      }
      if (!this.canReach(from, target)) {
        this.stats.cut++;
        continue;
      }
      if (route === 'group' && this.groupBlocked.size > 0 && this.groupBlocked.has(`${from}>${target}`)) {
        this.stats.filtered++;
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
        this.deliverAt(from, target, bytes, nowMs + queuedMs + this.delayMs(), route, fromPort, toPort);
      }
    }
    return true;
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

  /** Multicast from `from` no longer reaches `to`; unicast still does (a one-way group filter). */
  filterGroup(from: NodeId, to: NodeId): void {
    this.groupBlocked.add(`${from}>${to}`);
  }

  heal(): void {
    this.blocked.clear();
    this.groupBlocked.clear();
  }

  private delayMs(): number {
    const { delayMinMs, delayMaxMs } = this.conditions;
    return this.random.between(delayMinMs, Math.max(delayMinMs, delayMaxMs));
  }

  private deliverAt(from: NodeId, target: NodeId, bytes: Uint8Array, atMs: number, route: Route, fromPort: number, toPort: number | undefined): void {
    this.scheduler.at(atMs, () => {
      const receive = this.receivers.get(target);
      if (receive === undefined) return; // the host is down
      if (toPort !== undefined && this.ports.get(target) !== toPort) {
        this.stats.unreachable++; // restarted on another port: nobody listens at this one
        return;
      }
      this.stats.delivered++;
      receive(bytes, from, route, fromPort);
    });
  }
}
