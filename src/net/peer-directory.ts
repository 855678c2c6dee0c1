/**
 * Where each peer can be reached, for networks the multicast group does not cover: seeds given at
 * start, peers heard directly, and peers other nodes told us about (gossip). A message to
 * everyone goes to the group and, as unicast copies, to every peer the group does not reach.
 * Pure: the caller passes the time.
 */
import type { NodeId } from '../core/index.ts';
import type { Route } from '../contract/status.ts';
import type { Member } from '../wire/codec.ts';

export interface Endpoint {
  address: string;
  port: number;
}


/** At most this often a node tells the others where its peers are. */
export const GOSSIP_INTERVAL_MS = 500;
/** A seed or peer that does not answer is still tried this often (a partition may heal). */
export const PROBE_INTERVAL_MS = 1000;

interface Entry {
  endpoint: Endpoint;
  lastGroupMs: number;
  lastDirectMs: number;
  /** Its last heartbeat listed us among the voters it hears: it gets what we send to the group. */
  hearsUs: boolean;
  lastProbeMs: number;
}

interface Seed {
  endpoint: Endpoint;
  lastProbeMs: number;
}

export interface DirectoryOptions {
  selfId: NodeId;
  /** Only voters are kept, which bounds the directory. */
  voters: readonly NodeId[];
  /** How long a peer counts as reachable after it was last heard (the election timeout). */
  aliveMs: number;
  /** Whether this node sends to the multicast group; without it every peer gets unicast copies. */
  multicast: boolean;
}

export interface DirectoryEntry extends Endpoint {
  id: NodeId;
  /** How the peer was heard within the timeout; null: not heard lately (tried at PROBE_INTERVAL_MS). */
  route: Route | null;
}

const NEVER = Number.NEGATIVE_INFINITY;

export class PeerDirectory {
  private readonly options: DirectoryOptions;
  private readonly voters: ReadonlySet<NodeId>;
  private readonly entries = new Map<NodeId, Entry>();
  private seeds: Seed[] = [];
  private self: Endpoint | null = null;
  private lastGossipMs = NEVER;

  constructor(options: DirectoryOptions) {
    this.options = options;
    this.voters = new Set(options.voters);
  }

  /** This node's own unicast socket: never a target, even when it is in the seed list. */
  setSelf(endpoint: Endpoint): void {
    this.self = endpoint;
    this.seeds = this.seeds.filter((seed) => !same(seed.endpoint, endpoint));
  }

  addSeeds(endpoints: readonly Endpoint[]): void {
    for (const endpoint of endpoints) {
      if (this.self !== null && same(endpoint, this.self)) continue;
      if (this.seeds.some((seed) => same(seed.endpoint, endpoint))) continue;
      this.seeds.push({ endpoint, lastProbeMs: NEVER });
    }
  }

  get seedCount(): number {
    return this.seeds.length;
  }

  /**
   * A datagram of `id` passed the wire's checks. `port` is its advertised unicast port (in
   * heartbeats), or 0 when the message does not carry one.
   */
  heard(id: NodeId, address: string, port: number, route: Route, nowMs: number): void {
    if (id === this.options.selfId || !this.voters.has(id)) return;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      if (port === 0) return; // where to answer is not known yet: its next heartbeat says
      entry = { endpoint: { address, port }, lastGroupMs: NEVER, lastDirectMs: NEVER, hearsUs: false, lastProbeMs: NEVER };
      this.entries.set(id, entry);
    } else if (port !== 0 && (entry.endpoint.address !== address || entry.endpoint.port !== port)) {
      entry.endpoint = { address, port }; // restarted, or moved
    } else if (port === 0 && entry.endpoint.address !== address) {
      return;
    }
    if (route === 'group') entry.lastGroupMs = nowMs;
    else entry.lastDirectMs = nowMs;
  }

  /** A heartbeat of `id` listed us among the voters it hears (or did not). */
  heardBy(id: NodeId, hearsUs: boolean): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) entry.hearsUs = hearsUs;
  }

  /**
   * `from` says where its peers are. What we heard ourselves within the timeout wins, and only
   * addresses a peer can have are taken: no multicast, broadcast or unspecified address, no
   * loopback unless we are on loopback ourselves, and never our own socket.
   */
  told(from: NodeId, members: readonly Member[], nowMs: number): void {
    for (const member of members) {
      if (member.id === this.options.selfId || member.id === from || !this.voters.has(member.id)) continue;
      const endpoint = { address: member.address, port: member.port };
      if (!this.plausible(endpoint)) continue;
      const entry = this.entries.get(member.id);
      if (entry === undefined) {
        this.entries.set(member.id, { endpoint, lastGroupMs: NEVER, lastDirectMs: NEVER, hearsUs: false, lastProbeMs: NEVER });
      } else if (!this.heardLately(entry, nowMs)) {
        entry.endpoint = endpoint;
      }
    }
  }

  /** Where a direct message to `id` goes; null: not known (it goes to the group, if any). */
  endpointOf(id: NodeId): Endpoint | null {
    return this.entries.get(id)?.endpoint ?? null;
  }

  /**
   * The unicast copies of a message to everyone, one per endpoint: every peer heard directly
   * within the timeout that the group does not reach (not heard over it, or not hearing us over
   * it); and, once per PROBE_INTERVAL_MS, the silent ones, those we were only told of, and the
   * seeds no live peer answers at. A peer told of answers the first probe, and is then heard.
   */
  targets(nowMs: number): Endpoint[] {
    const { aliveMs, multicast } = this.options;
    const targets: Endpoint[] = [];
    const add = (endpoint: Endpoint): void => {
      if (!targets.some((target) => same(target, endpoint))) targets.push(endpoint);
    };
    // With seeds, a peer heard over the group that does not hear us over it gets copies too (a
    // one-way multicast path). Without, the group is all there is; copies would only be duplicates.
    const repairOneWay = this.seeds.length > 0;
    for (const entry of this.entries.values()) {
      if (multicast && nowMs - entry.lastGroupMs < aliveMs && (entry.hearsUs || !repairOneWay)) continue;
      if (nowMs - Math.max(entry.lastGroupMs, entry.lastDirectMs) < aliveMs) add(entry.endpoint);
      else if (nowMs - entry.lastProbeMs >= PROBE_INTERVAL_MS) {
        entry.lastProbeMs = nowMs;
        add(entry.endpoint);
      }
    }
    for (const seed of this.seeds) {
      if (nowMs - seed.lastProbeMs < PROBE_INTERVAL_MS) continue;
      if ([...this.entries.values()].some((entry) => same(entry.endpoint, seed.endpoint) && this.heardLately(entry, nowMs))) continue;
      seed.lastProbeMs = nowMs;
      add(seed.endpoint);
    }
    return targets;
  }

  /**
   * The gossip for the heartbeat about to be sent: the peers this node heard within the timeout.
   * Empty when none is due, or when every peer is reached through the group anyway.
   */
  gossip(nowMs: number): Member[] {
    if (nowMs - this.lastGossipMs < GOSSIP_INTERVAL_MS) return [];
    const beyondGroup = this.seeds.length > 0 || [...this.entries.values()].some((entry) => nowMs - entry.lastDirectMs < this.options.aliveMs);
    if (!beyondGroup) return [];
    this.lastGossipMs = nowMs;
    const members: Member[] = [];
    for (const [id, entry] of this.entries) {
      if (this.heardLately(entry, nowMs)) members.push({ id, address: entry.endpoint.address, port: entry.endpoint.port });
    }
    return members;
  }

  /** Every known peer, by ID, for the status. */
  list(nowMs: number): DirectoryEntry[] {
    return [...this.entries]
      .map(([id, entry]) => ({ id, ...entry.endpoint, route: this.routeOf(entry, nowMs) }))
      .sort((a, b) => a.id - b.id);
  }

  routeOf(entry: Entry | NodeId, nowMs: number): Route | null {
    const e = typeof entry === 'number' ? this.entries.get(entry) : entry;
    if (e === undefined) return null;
    const { aliveMs } = this.options;
    if (nowMs - e.lastGroupMs < aliveMs) return 'group';
    if (nowMs - e.lastDirectMs < aliveMs) return 'direct';
    return null;
  }

  private plausible(endpoint: Endpoint): boolean {
    const first = Number(endpoint.address.split('.')[0]);
    if (first === 0 || first >= 224) return false;
    if (first === 127 && !(this.self !== null && this.self.address.startsWith('127.'))) return false;
    return this.self === null || !same(endpoint, this.self);
  }

  private heardLately(entry: Entry, nowMs: number): boolean {
    return nowMs - Math.max(entry.lastGroupMs, entry.lastDirectMs) < this.options.aliveMs;
  }
}

function same(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port;
}
