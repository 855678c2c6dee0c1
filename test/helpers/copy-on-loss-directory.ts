/**
 * The peer directory's copy policy before commit 4c64491 (issue 22), rebuilt on today's class so
 * that the simulator can run both on one seed: a peer not heard over the group within the timeout
 * but heard directly gets a unicast copy of everything; with seeds, so does a peer whose last
 * heartbeat did not list us; every silent peer and seed is probed once a second, with no cap;
 * failed sends hold nothing back; and gossip goes out whenever any peer was heard directly.
 */
import type { NodeId } from '../../src/core/index.ts';
import type { Route } from '../../src/contract/status.ts';
import { GOSSIP_INTERVAL_MS, PROBE_INTERVAL_MS, PeerDirectory, type DirectoryOptions, type Endpoint } from '../../src/net/peer-directory.ts';
import type { Member } from '../../src/wire/codec.ts';

const NEVER = Number.NEGATIVE_INFINITY;

interface Heard {
  groupMs: number;
  directMs: number;
  hearsUs: boolean;
  probeMs: number;
}

export class CopyOnLossDirectory extends PeerDirectory {
  private readonly aliveMs: number;
  private readonly multicast: boolean;
  private readonly heardOf = new Map<NodeId, Heard>();
  private seedProbes: Array<{ endpoint: Endpoint; probeMs: number }> = [];
  private selfEndpoint: Endpoint | null = null;
  private lastOldGossipMs = NEVER;

  constructor(options: DirectoryOptions) {
    super(options);
    this.aliveMs = options.aliveMs;
    this.multicast = options.multicast;
  }

  override setSelf(endpoint: Endpoint): void {
    super.setSelf(endpoint);
    this.selfEndpoint = endpoint;
    this.seedProbes = this.seedProbes.filter((seed) => !same(seed.endpoint, endpoint));
  }

  override addSeeds(endpoints: readonly Endpoint[]): void {
    super.addSeeds(endpoints);
    for (const endpoint of endpoints) {
      if (this.selfEndpoint !== null && same(endpoint, this.selfEndpoint)) continue;
      if (!this.seedProbes.some((seed) => same(seed.endpoint, endpoint))) this.seedProbes.push({ endpoint, probeMs: NEVER });
    }
  }

  override heard(id: NodeId, address: string, port: number, route: Route, nowMs: number): void {
    super.heard(id, address, port, route, nowMs);
    // Only when today's class took it: it keeps the entries and their endpoints.
    if (this.endpointOf(id)?.address !== address) return;
    const heard = this.heardOfPeer(id);
    if (route === 'group') heard.groupMs = nowMs;
    else heard.directMs = nowMs;
  }

  override heardBy(id: NodeId, hearsUs: boolean, nowMs: number): void {
    super.heardBy(id, hearsUs, nowMs);
    if (this.endpointOf(id) !== null) this.heardOfPeer(id).hearsUs = hearsUs;
  }

  /** The old targets: loss makes copies, probes are not capped, congestion is not heeded. */
  override targets(nowMs: number): Endpoint[] {
    const targets: Endpoint[] = [];
    const add = (endpoint: Endpoint): void => {
      if (!targets.some((target) => same(target, endpoint))) targets.push(endpoint);
    };
    const repairOneWay = this.seedProbes.length > 0;
    const entries = this.list(nowMs);
    for (const { id, address, port } of entries) {
      const heard = this.heardOfPeer(id);
      if (this.multicast && nowMs - heard.groupMs < this.aliveMs && (heard.hearsUs || !repairOneWay)) continue;
      if (nowMs - Math.max(heard.groupMs, heard.directMs) < this.aliveMs) add({ address, port });
      else if (nowMs - heard.probeMs >= PROBE_INTERVAL_MS) {
        heard.probeMs = nowMs;
        add({ address, port });
      }
    }
    for (const seed of this.seedProbes) {
      if (nowMs - seed.probeMs < PROBE_INTERVAL_MS) continue;
      if (entries.some((entry) => same(entry, seed.endpoint) && this.heardWithinTimeout(entry.id, nowMs))) continue;
      seed.probeMs = nowMs;
      add(seed.endpoint);
    }
    return targets;
  }

  override gossip(nowMs: number): Member[] {
    if (nowMs - this.lastOldGossipMs < GOSSIP_INTERVAL_MS) return [];
    const beyondGroup = this.seedProbes.length > 0 || [...this.heardOf.values()].some((heard) => nowMs - heard.directMs < this.aliveMs);
    if (!beyondGroup) return [];
    this.lastOldGossipMs = nowMs;
    return this.list(nowMs)
      .filter((entry) => this.heardWithinTimeout(entry.id, nowMs))
      .map(({ id, address, port }) => ({ id, address, port }));
  }

  private heardWithinTimeout(id: NodeId, nowMs: number): boolean {
    const heard = this.heardOfPeer(id);
    return nowMs - Math.max(heard.groupMs, heard.directMs) < this.aliveMs;
  }

  private heardOfPeer(id: NodeId): Heard {
    let heard = this.heardOf.get(id);
    if (heard === undefined) this.heardOf.set(id, (heard = { groupMs: NEVER, directMs: NEVER, hearsUs: false, probeMs: NEVER }));
    return heard;
  }
}

function same(a: Endpoint, b: Endpoint): boolean {
  return a.address === b.address && a.port === b.port;
}
