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

/**
 * A host's place on the network: its node ID, except for an impostor (./impostor.ts), a second
 * process that claims a voter's ID from another machine, which needs an identity of its own here.
 */
export type HostKey = number;

/** An impostor's key: the negative of the ID it claims, which no voter has. */
export function impostorKey(id: NodeId): HostKey {
  return -id;
}

/** Whether two hosts are two processes of one node ID (a voter and its impostor, ./impostor.ts). */
export function areTwins(a: HostKey, b: HostKey): boolean {
  return a !== b && Math.abs(a) === Math.abs(b);
}

/** How traces and checkers name a host: `n5`, and `n5'` for n5's impostor. */
export function hostName(key: HostKey): string {
  return key < 0 ? `n${-key}'` : `n${key}`;
}

/** A host's side of the network: its datagrams arrive here, with the route they came by and the sender's port. */
export type Receiver = (bytes: Uint8Array, from: HostKey, route: Route, fromPort: number) => void;

/**
 * Where hosts are, for the transport that routes through a peer directory (./layout.ts): each
 * host's address, and its multicast domain (null: multicast off).
 */
export interface NetworkPlaces {
  addressOf: ReadonlyMap<HostKey, string>;
  groupOf: ReadonlyMap<HostKey, number | null>;
}

/**
 * A multicast LAN of simulated hosts: every datagram is delayed, maybe lost or duplicated, and
 * blocked across partitions (symmetric or one-way), all decided by the seeded PRNG.
 */
export class SimNetwork {
  conditions: LinkConditions = CALM_LAN;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, cut: 0, duplicated: 0, bytes: 0, refused: 0, backlogDropped: 0, filtered: 0, unreachable: 0 };
  /** Send failures (ENOBUFS) per sending host, as the real transport counts them by reason. */
  readonly sendErrors = new Map<HostKey, number>();
  /** The shared backlog, when the run has a capacity model; null: unlimited, as before. */
  backlog: SimBacklog | null = null;
  /** Told of every send failure (the trace notes them). */
  onSendError: ((from: HostKey) => void) | null = null;
  private readonly receivers = new Map<HostKey, Receiver>();
  /** Each attached process's unicast port (the source port of what it sends). */
  private readonly ports = new Map<HostKey, number>();
  /** Directed links that drop everything, as "from>to". */
  private readonly blocked = new Set<string>();
  /** Directed links that drop multicast only, as "from>to" (an IGMP-snooping switch that lost a join). */
  private readonly groupBlocked = new Set<string>();
  /** Each host's multicast domain, for runs whose hosts route through a directory; null: the plain transport. */
  private groupOf: Map<HostKey, number | null> | null = null;
  private readonly hostAt = new Map<string, HostKey>();
  /** Each impostor's (./impostor.ts) voter: it is on that voter's side of every partition. */
  private readonly twinOf = new Map<HostKey, NodeId>();
  private readonly scheduler: Scheduler;
  private readonly random: SimRandom;
  private members: readonly HostKey[];

  constructor(scheduler: Scheduler, random: SimRandom, members: readonly NodeId[]) {
    this.scheduler = scheduler;
    this.random = random;
    this.members = members;
  }

  /** Hosts get addresses and multicast domains: sends go by sendGroup and sendDirect from now on. */
  place(places: NetworkPlaces): void {
    this.groupOf = new Map(places.groupOf);
    for (const [key, address] of places.addressOf) this.hostAt.set(address, key);
  }

  /**
   * An impostor of voter `twin` joins the LAN, at `place` if hosts have places: it hears and is
   * heard as `twin` is, its datagrams carry `twin`'s ID, and partitions keep it on `twin`'s side.
   */
  addImpostor(key: HostKey, twin: NodeId, place: { address: string; group: number | null } | null): void {
    this.members = [...this.members, key];
    this.twinOf.set(key, twin);
    if (place === null || this.groupOf === null) return;
    this.groupOf.set(key, place.group);
    this.hostAt.set(place.address, key);
  }

  /** The impostor has stopped: nothing is sent to it any more. */
  removeImpostor(key: HostKey): void {
    this.members = this.members.filter((member) => member !== key);
    this.twinOf.delete(key);
  }

  /** `port`: the process's unicast socket (where direct datagrams reach it); 0 for the plain transport. */
  attach(key: HostKey, receive: Receiver, port = 0): void {
    this.receivers.set(key, receive);
    this.ports.set(key, port);
  }

  detach(key: HostKey): void {
    this.receivers.delete(key);
    this.ports.delete(key);
  }

  /**
   * The plain transport: 'all' reaches every host, an ID reaches the host with that ID, whatever a
   * directory knows (and its impostor too, if one runs: an address both claim).
   */
  send(from: HostKey, to: NodeId | 'all', bytes: Uint8Array): void {
    const targets = to === 'all' ? this.members : this.twinOf.size === 0 ? [to] : this.members.filter((key) => this.idOf(key) === to);
    this.transmit(from, targets, bytes, 'group', 0);
  }

  /** The node ID a host's datagrams carry. */
  private idOf(key: HostKey): NodeId {
    return this.twinOf.get(key) ?? key;
  }

  /**
   * One datagram to the multicast group: a packet to each host in `from`'s multicast domain that
   * no group filter keeps it from (and back to `from`, multicast loopback). False: refused (ENOBUFS).
   */
  sendGroup(from: HostKey, bytes: Uint8Array): boolean {
    const groupOf = this.groupOf;
    const group = groupOf?.get(from) ?? null;
    if (groupOf === null || group === null) throw new Error(`n${from} has multicast off and sent to the group`);
    const targets = this.members.filter((key) => groupOf.get(key) === group);
    return this.transmit(from, targets, bytes, 'group', this.ports.get(from) ?? 0);
  }

  /** One unicast datagram to `to`, routed to whatever subnet it is on. False: refused (ENOBUFS). */
  sendDirect(from: HostKey, to: Endpoint, bytes: Uint8Array): boolean {
    const target = this.hostAt.get(to.address);
    return this.transmit(from, target === undefined ? [] : [target], bytes, 'direct', this.ports.get(from) ?? 0, to.port);
  }

  /**
   * One datagram to `targets`; `toPort`: a unicast datagram's destination port, which must still
   * be the target's socket when it arrives. False: the backlog refused it to its sender.
   */
  private transmit(from: HostKey, targets: readonly HostKey[], bytes: Uint8Array, route: Route, fromPort: number, toPort?: number): boolean {
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
      if (route === 'group' && this.groupBlocked.size > 0 && this.groupBlocked.has(`${this.idOf(from)}>${this.idOf(target)}`)) {
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

  canReach(from: HostKey, to: HostKey): boolean {
    // Most of the time nothing is cut: no key to build for every packet.
    // By node ID: an impostor is where its twin is, on every side of a partition made before or
    // after it started (a partition made before it once let it reach the other side: seed 35018350).
    return this.blocked.size === 0 || !this.blocked.has(`${this.idOf(from)}>${this.idOf(to)}`);
  }

  /** Splits the members into groups that cannot reach each other (either way); an impostor is with its twin. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => group.forEach((id) => groupOf.set(id, index)));
    for (const a of this.members) {
      for (const b of this.members) {
        if (a !== b && groupOf.get(this.idOf(a)) !== groupOf.get(this.idOf(b))) this.blocked.add(`${this.idOf(a)}>${this.idOf(b)}`);
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

  private deliverAt(from: HostKey, target: HostKey, bytes: Uint8Array, atMs: number, route: Route, fromPort: number, toPort: number | undefined): void {
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
