import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResignReason, type NodeId, type NodeStatus } from '../core/index.ts';
import { ConclaveNode } from '../runtime/conclave-node.ts';
import type { NodeOptions } from '../runtime/options.ts';
import type { KeyRing } from '../wire/seal.ts';
import { agreedLeader, describeStatuses, settledLeader } from './agreement.ts';
import { HoldingGate } from './holding-gate.ts';
import { LOOPBACK_ADDRESS, freeUdpPorts, privateCluster, seedsOf } from './loopback-layout.ts';
import { NodeHandle } from './node-handle.ts';
import type { TestCluster, TestNode, WaitOptions } from './test-cluster.ts';
import { TEST_TIMINGS, type TestTimings } from './test-timings.ts';
import { voterIds } from './voter-ids.ts';
import { waitUntil } from './wait-until.ts';
import { TestClusterError } from './errors.ts';
import { withGate } from '../runtime/input-gate.ts';

/** A wait for a leader on real nodes: many failovers' worth at test timings, short of a test runner's timeout. */
const DEFAULT_WAIT_MS = 10_000;

export interface LoopbackClusterOptions extends TestTimings {
  /** How many voters (IDs 1..nodes). */
  nodes: number;
  /** More options for every node (metrics, say); the network, cluster, key and state directory are the kit's. */
  nodeOptions?: Partial<NodeOptions>;
}

/** One ID's place in the cluster: its gate and port last across restarts. */
interface Member {
  readonly handle: NodeHandle;
  readonly gate: HoldingGate;
  node: ConclaveNode | null;
  /** The term the node had when it was killed: what its state directory holds. */
  lastTerm: number;
  isolated: boolean;
}

/**
 * Real Conclave nodes in this process, on loopback only: each on its own unicast port, the group
 * off, every other node its seed; a private cluster name and key; state in a temp directory.
 */
export class LoopbackCluster implements TestCluster {
  readonly mode = 'loopback';
  readonly ids: readonly NodeId[];
  private readonly members = new Map<NodeId, Member>();
  private closing: Promise<void> | null = null;
  private readonly options: LoopbackClusterOptions;
  /** The temp directory that holds every node's state directory. */
  private readonly root: string;
  private readonly ports: ReadonlyMap<NodeId, number>;
  private readonly identity: { cluster: string; keys: KeyRing };

  private constructor(options: LoopbackClusterOptions, root: string, ports: ReadonlyMap<NodeId, number>, identity: { cluster: string; keys: KeyRing }) {
    this.options = options;
    this.root = root;
    this.ports = ports;
    this.identity = identity;
    this.ids = [...ports.keys()];
    for (const id of this.ids) {
      const member: Member = {
        handle: new NodeHandle(id, {
          term: () => member.node?.term ?? member.lastTerm,
          up: () => member.node !== null,
          hasLease: () => member.node?.hasLease() ?? false,
          status: () => member.node?.status() ?? null,
        }),
        gate: new HoldingGate(),
        node: null,
        lastTerm: 0,
        isolated: false,
      };
      this.members.set(id, member);
    }
  }

  static async start(options: LoopbackClusterOptions): Promise<LoopbackCluster> {
    const ids = voterIds(options.nodes);
    const root = await mkdtemp(join(tmpdir(), 'conclave-test-cluster-'));
    let cluster: LoopbackCluster | null = null;
    try {
      cluster = new LoopbackCluster(options, root, await freeUdpPorts(ids), privateCluster());
      for (const id of ids) await cluster.launch(id);
      return cluster;
    } catch (error) {
      if (cluster !== null) await cluster.close();
      else await rm(root, { recursive: true, force: true });
      throw error;
    }
  }

  get nodes(): readonly TestNode[] {
    return this.ids.map((id) => this.member(id).handle);
  }

  node(id: NodeId): TestNode {
    return this.member(id).handle;
  }

  leader(options: WaitOptions = {}): Promise<NodeId> {
    return this.waitFor(agreedLeader, 'agreed leader', options);
  }

  settled(options: WaitOptions = {}): Promise<NodeId> {
    return this.waitFor(settledLeader, 'settled leader', options);
  }

  /** Cut off first, so that the goodbye of a stopping node is not heard: to its peers, it crashed. */
  async kill(id: NodeId): Promise<void> {
    const member = this.member(id);
    const node = member.node;
    if (node === null) return;
    member.node = null;
    member.lastTerm = node.term;
    member.gate.drop();
    node.pause();
    await node.stop();
    node.removeAllListeners();
  }

  async restart(id: NodeId): Promise<void> {
    if (this.member(id).node === null) await this.launch(id);
  }

  async stall(id: NodeId, ms: number): Promise<void> {
    this.member(id).gate.holdFor(ms);
  }

  async isolate(id: NodeId): Promise<void> {
    const member = this.member(id);
    member.isolated = true;
    member.node?.pause();
  }

  async heal(id?: NodeId): Promise<void> {
    for (const member of id === undefined ? this.members.values() : [this.member(id)]) {
      member.isolated = false;
      member.node?.resume();
    }
  }

  async resign(id: NodeId): Promise<void> {
    this.member(id).node?.resign(ResignReason.Requested);
  }

  runFor(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Stops every node (each says goodbye), releases its sockets and removes the state directories. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stops = [...this.members.values()].map(async (member) => {
        const node = member.node;
        member.node = null;
        member.gate.drop();
        await node?.stop();
        node?.removeAllListeners();
      });
      const results = await Promise.allSettled(stops);
      await rm(this.root, { recursive: true, force: true });
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async launch(id: NodeId): Promise<void> {
    if (this.closing !== null) throw new TestClusterError('the test cluster is closed');
    const member = this.member(id);
    const { nodes, nodeOptions, ...timings } = this.options;
    const node = await ConclaveNode.start(
      withGate({
        ...TEST_TIMINGS,
        ...timings,
        ...nodeOptions,
        id,
        clusterSize: nodes,
        cluster: this.identity.cluster,
        keys: this.identity.keys,
        interface: LOOPBACK_ADDRESS,
        multicast: false,
        unicastPort: this.ports.get(id)!,
        seeds: seedsOf(id, this.ports),
        dataDir: join(this.root, `n${id}`),
      }, member.gate),
    );
    const { handle } = member;
    node.on('elected', (details) => handle.emit('elected', details));
    node.on('demoted', (details) => handle.emit('demoted', details));
    node.on('leader', (details) => handle.emit('leader', details));
    if (member.isolated) node.pause();
    member.node = node;
  }

  /** The nodes that run and are not cut off: the ones that must agree. */
  private reachableStatuses(): Map<NodeId, NodeStatus> {
    const statuses = new Map<NodeId, NodeStatus>();
    for (const [id, member] of this.members) if (member.node !== null && !member.isolated) statuses.set(id, member.node.status());
    return statuses;
  }

  private waitFor(pick: (statuses: Map<NodeId, NodeStatus>) => NodeId | null, what: string, options: WaitOptions): Promise<NodeId> {
    const statuses = (): Map<NodeId, NodeStatus> => {
      if (this.closing !== null) throw new TestClusterError(`the test cluster was closed while waiting for an ${what}`);
      return this.reachableStatuses();
    };
    return waitUntil(() => pick(statuses()), options.withinMs ?? DEFAULT_WAIT_MS, what, () => describeStatuses(statuses()));
  }

  private member(id: NodeId): Member {
    const member = this.members.get(id);
    if (member === undefined) throw new TestClusterError(`no node ${id} in this test cluster (IDs ${this.ids.join(', ')})`);
    return member;
  }
}
