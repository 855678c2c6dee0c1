import { ResignReason, type CoreEvent, type NodeId, type NodeStatus } from '../core/index.ts';
import { SimCluster } from '../sim/cluster.ts';
import { agreedLeader, describeStatuses, settledLeader } from './agreement.ts';
import { NodeHandle } from './node-handle.ts';
import type { TestCluster, TestNode, WaitOptions } from './test-cluster.ts';
import { TEST_TIMINGS, type TestTimings } from './test-timings.ts';
import { voterIds } from './voter-ids.ts';
import { TestTimeoutError, TestClusterError } from './errors.ts';

/** A wait for a leader in virtual time: costs nothing while idle, so it may be long. */
const DEFAULT_WAIT_MS = 60_000;
/** The reason a stopping real node's `demoted` gives; a kill here says the same (see kill). */
const KILLED_REASON = ResignReason.Stopping;

export interface DeterministicClusterOptions extends TestTimings {
  /** How many voters (IDs 1..nodes). */
  nodes: number;
  /** Decides every delay, loss and random timer: the same seed, the same run. Default 1. */
  seed?: number;
}

/**
 * The same cluster over the simulator (src/sim): the real core, driver and codec, with a virtual
 * clock and network. Time passes only inside this cluster's methods (leader(), runFor(), …), as
 * fast as the machine computes it; one seed decides everything, so a run replays exactly.
 */
export class DeterministicCluster implements TestCluster {
  readonly mode = 'deterministic';
  readonly ids: readonly NodeId[];
  private readonly sim: SimCluster;
  private readonly handles = new Map<NodeId, NodeHandle>();
  private readonly isolated = new Set<NodeId>();
  private closed = false;

  constructor(options: DeterministicClusterOptions) {
    const { nodes, seed, ...timings } = options;
    this.ids = voterIds(nodes);
    this.sim = new SimCluster({ voters: this.ids, config: { ...TEST_TIMINGS, ...timings }, seed: seed ?? 1 });
    for (const id of this.ids) {
      const host = this.sim.host(id);
      this.handles.set(
        id,
        new NodeHandle(id, {
          term: () => host.core?.term ?? host.disk?.term ?? 0,
          up: () => host.up,
          hasLease: () => host.holdsLease(),
          status: () => (host.up ? this.sim.status(id) : null),
        }),
      );
    }
    this.sim.watch((_atMs, id, item) => {
      if (typeof item !== 'string') this.relay(this.handle(id), item);
    });
    this.sim.boot();
  }

  /** Virtual milliseconds since the cluster was made. */
  get nowMs(): number {
    return this.sim.nowMs;
  }

  get nodes(): readonly TestNode[] {
    return this.ids.map((id) => this.handle(id));
  }

  node(id: NodeId): TestNode {
    return this.handle(id);
  }

  async leader(options: WaitOptions = {}): Promise<NodeId> {
    return this.runUntilPicked(agreedLeader, 'agreed leader', options);
  }

  async settled(options: WaitOptions = {}): Promise<NodeId> {
    return this.runUntilPicked(settledLeader, 'settled leader', options);
  }

  /**
   * The process dies at once. A real node killed by the kit still runs its stop() in the test's
   * process and says `demoted`; so that a job sees the same in both modes, a leader's handle says it here too.
   */
  async kill(id: NodeId): Promise<void> {
    const handle = this.handle(id);
    if (!this.sim.host(id).up) return;
    const term = handle.term;
    this.sim.crash(id);
    if (handle.leading) handle.emit('demoted', { term, reason: KILLED_REASON });
  }

  async restart(id: NodeId): Promise<void> {
    this.open();
    this.sim.boot(id);
  }

  async stall(id: NodeId, ms: number): Promise<void> {
    this.sim.stall(id, ms);
  }

  async isolate(id: NodeId): Promise<void> {
    this.handle(id);
    this.isolated.add(id);
    this.cut();
  }

  async heal(id?: NodeId): Promise<void> {
    if (id === undefined) this.isolated.clear();
    else this.isolated.delete(id);
    this.cut();
  }

  async resign(id: NodeId): Promise<void> {
    this.sim.resign(id, ResignReason.Requested);
  }

  async runFor(ms: number): Promise<void> {
    this.open();
    this.sim.runFor(ms);
  }

  /** Nothing to release (no socket, no timer, no file); later calls that would run the clock throw. */
  async close(): Promise<void> {
    this.closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The network cut as `isolated` says: each isolated node alone, the rest together. */
  private cut(): void {
    this.sim.network.heal();
    for (const id of this.isolated) this.sim.network.partition([[id], this.ids.filter((other) => other !== id)]);
  }

  private relay(handle: NodeHandle, event: CoreEvent): void {
    if (event.type === 'elected') handle.emit('elected', { term: event.term });
    else if (event.type === 'demoted') handle.emit('demoted', { term: event.term, reason: event.reason });
    else if (event.type === 'leader-changed') handle.emit('leader', { leader: event.leader, term: event.term });
  }

  private reachableStatuses(): Map<NodeId, NodeStatus> {
    const statuses = new Map<NodeId, NodeStatus>();
    for (const id of this.ids) if (this.sim.host(id).up && !this.isolated.has(id)) statuses.set(id, this.sim.status(id));
    return statuses;
  }

  private runUntilPicked(pick: (statuses: Map<NodeId, NodeStatus>) => NodeId | null, what: string, options: WaitOptions): NodeId {
    this.open();
    const withinMs = options.withinMs ?? DEFAULT_WAIT_MS;
    let picked: NodeId | null = null;
    this.sim.runUntil(() => (picked = pick(this.reachableStatuses())) !== null, withinMs);
    if (picked === null) throw new TestTimeoutError(`no ${what} within ${withinMs} virtual ms (at ${this.nowMs} ms): ${describeStatuses(this.reachableStatuses())}`);
    return picked;
  }

  private open(): void {
    if (this.closed) throw new TestClusterError('the test cluster is closed');
  }

  private handle(id: NodeId): NodeHandle {
    const handle = this.handles.get(id);
    if (handle === undefined) throw new TestClusterError(`no node ${id} in this test cluster (IDs ${this.ids.join(', ')})`);
    return handle;
  }
}
