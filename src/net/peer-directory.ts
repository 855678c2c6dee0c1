/**
 * Where each peer can be reached, for networks the multicast group does not cover: seeds given at
 * start, peers heard directly, and peers other nodes told us about (gossip). A message to
 * everyone goes to the group and, as unicast copies, to every peer the group does not reach.
 * Pure: the caller passes the time.
 *
 * Loss never makes copies (issue 22): a peer heard over the group lately is on the group even
 * while its datagrams are being lost. Otherwise a congested network (50 processes sharing one
 * kernel's receive backlog) lost group datagrams, every node started copying everything to the
 * peers it had heard only by unicast lately, the copies filled the backlog further, and the
 * cluster never settled: 220–480 datagrams a second per node against a settled 11.
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
/**
 * At most this many probes per probe interval, the longest-unprobed first: a partition that
 * silences 49 peers costs 8 datagrams a second, not 49, and heals within ⌈silent / 8⌉ seconds.
 */
export const MAX_PROBES_PER_INTERVAL = 8;
/**
 * A peer heard over the group within this long is on the group: it gets no unicast copies,
 * however many of its datagrams are lost meanwhile. Loss hits unicast as hard as multicast on
 * the same links; only a path that stays broken this long is a path the group does not reach.
 * Ten times the slow silence limit (3 s) and more than any storm we measured.
 */
export const GROUP_MEMORY_MS = 30_000;
/**
 * With seeds, a peer heard over the group that has not listed us in its heartbeats for this long
 * gets copies (a one-way multicast path). A few seconds of loss must not start a repair that
 * costs a copy of everything. Once begun, the repair lasts as long as the peer's process: the
 * copies make it hear us again, so its `hears` can no longer tell whether the group reaches it
 * (stopping when it lists us again left it deaf 10 s out of every 13, found by the simulator).
 * A healed path then costs one duplicate per message, which the peer drops as `duplicate`.
 */
export const ONE_WAY_AFTER_MS = 10_000;

interface Entry {
  endpoint: Endpoint;
  lastGroupMs: number;
  lastDirectMs: number;
  /** Since when its heartbeats have not listed us among the voters it hears; NEVER while they do. */
  deafToUsSinceMs: number;
  /** A one-way repair began: it gets copies until its process restarts or moves. */
  repairing: boolean;
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
  /** When the probes of the last interval went out, for MAX_PROBES_PER_INTERVAL. */
  private probeTimesMs: number[] = [];

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
   * heartbeats), or 0 when the message does not carry one; `sourcePort`, the socket it came
   * from, if known.
   *
   * A seed that answers our probe with a message without a port (an acknowledgement) is that
   * peer at once: a node sends everything from the unicast socket it advertises, and we just
   * reached it there. Waiting for its next heartbeat left a restarted coordinator reaching a
   * follower it knew only as a seed by one probe a second, and the follower counted it dead
   * before the next (seed 26012163). Any other peer waits for a heartbeat: one first heard by a
   * reply while its beats over the group were lost would otherwise count as off the group and
   * get copies, which loss must never make. Without multicast there is no group to be off, and
   * every datagram comes from the sender's unicast socket: it is where to answer. A restarted
   * follower heard a coordinator that was no seed first by its vote request and Coordinator
   * (no port), could send neither its vote nor its acknowledgement, and counted the coordinator
   * dead a timeout later, just before the coordinator's once-a-second probe told it the port
   * (seed 45013875, unicast only).
   */
  heard(id: NodeId, address: string, port: number, route: Route, nowMs: number, sourcePort = 0): void {
    if (id === this.options.selfId || !this.voters.has(id)) return;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      const answerAt = port !== 0 ? port : this.isSeed(address, sourcePort) || !this.options.multicast ? sourcePort : 0;
      if (answerAt === 0) return; // where to answer is not known yet: its next heartbeat says
      entry = newEntry({ address, port: answerAt });
      this.entries.set(id, entry);
    } else if (port !== 0 && (entry.endpoint.address !== address || entry.endpoint.port !== port)) {
      entry.endpoint = { address, port }; // restarted, or moved
      entry.repairing = false;
      entry.deafToUsSinceMs = NEVER;
    } else if (port === 0 && entry.endpoint.address !== address) {
      return;
    }
    if (route === 'group') entry.lastGroupMs = nowMs;
    else entry.lastDirectMs = nowMs;
  }

  /** A heartbeat of `id` listed us among the voters it hears (or did not). */
  heardBy(id: NodeId, hearsUs: boolean, nowMs: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    if (hearsUs) entry.deafToUsSinceMs = NEVER;
    else if (entry.deafToUsSinceMs === NEVER) entry.deafToUsSinceMs = nowMs;
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
        this.entries.set(member.id, newEntry(endpoint));
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
   * The unicast copies of a message to everyone, one per endpoint: without a group, every known
   * peer; with one, every peer heard within the timeout that the group does not reach (not heard
   * over it within GROUP_MEMORY_MS; or, with seeds, not listing us for ONE_WAY_AFTER_MS); and
   * probes, at most MAX_PROBES_PER_INTERVAL per interval and each endpoint at most once per
   * interval: the silent peers, those we were only told of, and the seeds no known peer answers
   * at. A peer told of answers the first probe, and is then heard. With multicast and no seeds, a
   * peer once heard over the group is not probed: the group reaches it when it comes back.
   *
   * `optional: false` (the sender is congested: its sends fail with ENOBUFS) leaves out what the
   * protocol can do without for a while, the probes and the one-way repairs: a node that cannot
   * send backs off instead of sending more.
   */
  targets(nowMs: number, { optional = true }: { optional?: boolean } = {}): Endpoint[] {
    const { aliveMs, multicast } = this.options;
    const targets: Endpoint[] = [];
    const add = (endpoint: Endpoint): void => {
      if (!targets.some((target) => same(target, endpoint))) targets.push(endpoint);
    };
    const probes: Array<{ lastProbeMs: number; endpoint: Endpoint }> = [];
    const hasSeeds = this.seeds.length > 0;
    for (const entry of this.entries.values()) {
      // With seeds, a peer on the group that long deaf to us has a one-way multicast path.
      if (this.onGroup(entry, nowMs) && hasSeeds && entry.deafToUsSinceMs !== NEVER && nowMs - entry.deafToUsSinceMs >= ONE_WAY_AFTER_MS) entry.repairing = true;
      if (this.getsCopy(entry, nowMs, optional)) add(entry.endpoint);
      else if (!this.onGroup(entry, nowMs) && !this.heardLately(entry, nowMs) && (hasSeeds || entry.lastGroupMs === NEVER)) probes.push(entry);
    }
    for (const seed of this.seeds) {
      if (targets.some((target) => same(target, seed.endpoint)) || [...this.entries.values()].some((entry) => same(entry.endpoint, seed.endpoint) && this.heardLately(entry, nowMs))) continue;
      probes.push(seed);
    }
    if (!optional) return targets;
    let probed = 0;
    const due = probes.filter((probe) => nowMs - probe.lastProbeMs >= PROBE_INTERVAL_MS).sort((a, b) => a.lastProbeMs - b.lastProbeMs);
    for (const probe of due) {
      if (this.probesInWindow(nowMs) + probed >= MAX_PROBES_PER_INTERVAL) break;
      probe.lastProbeMs = nowMs;
      this.probeTimesMs.push(nowMs);
      probed++;
      add(probe.endpoint);
    }
    return targets;
  }

  /**
   * Of the copies `targets` would choose, those to `ids` (without probes, and without touching
   * the probe schedule): where a beat that only greets them goes beyond the group.
   */
  copiesFor(ids: readonly NodeId[], nowMs: number, { optional = true }: { optional?: boolean } = {}): Endpoint[] {
    const copies: Endpoint[] = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry === undefined || !this.getsCopy(entry, nowMs, optional)) continue;
      if (!copies.some((copy) => same(copy, entry.endpoint))) copies.push(entry.endpoint);
    }
    return copies;
  }

  /** Heard over the group within GROUP_MEMORY_MS: the group reaches it, however much is lost meanwhile. */
  private onGroup(entry: Entry, nowMs: number): boolean {
    return this.options.multicast && nowMs - entry.lastGroupMs < GROUP_MEMORY_MS;
  }

  /**
   * Whether a message to everyone copies to this peer: heard lately, and off the group or being
   * repaired (optional). Without a group, every voter whose endpoint is known, heard lately or
   * not: that costs what a whole mesh costs once settled, and leaves no hole for a crash to find.
   * Sending only to the peers heard lately, and probing the rest at MAX_PROBES_PER_INTERVAL,
   * mended a mesh of 100 by 2–4 peers a second (probes ride the 2-s member beats); 16 s after
   * the calm a node still heard 57 of 99, and when the coordinator crashed, its successor's
   * rounds reached only those (seed 1 of 100 nodes, unicast only).
   */
  private getsCopy(entry: Entry, nowMs: number, optional: boolean): boolean {
    if (!this.options.multicast) return true;
    if (!this.heardLately(entry, nowMs)) return false;
    return !this.onGroup(entry, nowMs) || (entry.repairing && optional);
  }

  /**
   * The gossip for the heartbeat about to be sent: the peers this node heard within the timeout.
   * Empty when none is due, or when every peer is reached through the group anyway.
   */
  gossip(nowMs: number): Member[] {
    if (nowMs - this.lastGossipMs < GOSSIP_INTERVAL_MS) return [];
    // Only where some peer is beyond the group: on one multicast network a coordinator hears
    // every follower directly (their acknowledgements), and gossip there would only cost bytes.
    const beyondGroup = this.seeds.length > 0 || !this.options.multicast || [...this.entries.values()].some((entry) => this.heardLately(entry, nowMs) && nowMs - entry.lastGroupMs >= GROUP_MEMORY_MS);
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

  private isSeed(address: string, port: number): boolean {
    return port !== 0 && this.seeds.some((seed) => same(seed.endpoint, { address, port }));
  }

  private probesInWindow(nowMs: number): number {
    this.probeTimesMs = this.probeTimesMs.filter((atMs) => nowMs - atMs < PROBE_INTERVAL_MS);
    return this.probeTimesMs.length;
  }

  private heardLately(entry: Entry, nowMs: number): boolean {
    return nowMs - Math.max(entry.lastGroupMs, entry.lastDirectMs) < this.options.aliveMs;
  }
}

function newEntry(endpoint: Endpoint): Entry {
  return { endpoint, lastGroupMs: NEVER, lastDirectMs: NEVER, deafToUsSinceMs: NEVER, repairing: false, lastProbeMs: NEVER };
}

function same(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port;
}
