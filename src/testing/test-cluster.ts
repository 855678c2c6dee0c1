import type { EventEmitter } from 'node:events';
import type { NodeId, NodeStatus } from '../core/index.ts';
import type { ElectorEvents } from '../contract/events.ts';

/**
 * What a user's leader-only code listens to, the same in both modes: the events a real node
 * emits for it (`elected` and `demoted` with the term, the fencing token; `leader`).
 */
export type TestNodeEvents = Pick<ElectorEvents, 'elected' | 'demoted' | 'leader'>;

/**
 * One node of a test cluster, for the whole test: it stays the same object across kill() and
 * restart(), so listeners attached once hear every incarnation of the node.
 */
export interface TestNode extends EventEmitter<TestNodeEvents> {
  readonly id: NodeId;
  /** The node's current term; while it is down, the term its state holds. */
  readonly term: number;
  /** False after kill(), true again after restart(). */
  readonly up: boolean;
  /** True while this node may act as coordinator: check it right before each leader-only act. */
  hasLease(): boolean;
  /** The election state now (null while down). */
  status(): NodeStatus | null;
}

/** How long a wait may take before it fails, naming what it saw. */
export interface WaitOptions {
  /** Default: 10 s of wall time (real nodes), 60 s of virtual time (deterministic mode). */
  withinMs?: number;
}

/**
 * A cluster for a user's tests: real nodes in one process (createTestCluster) or the simulator's
 * (createSimCluster), with the same methods, so that one test body runs against both.
 */
export interface TestCluster extends AsyncDisposable {
  /** `deterministic`: the simulator's virtual clock and network; `loopback`: real nodes. */
  readonly mode: 'loopback' | 'deterministic';
  readonly ids: readonly NodeId[];
  readonly nodes: readonly TestNode[];
  node(id: NodeId): TestNode;
  /** The coordinator every live, reachable node agrees on (waits for one). */
  leader(options?: WaitOptions): Promise<NodeId>;
  /** Waits until every live, reachable node agrees on a leader that holds its lease and hears them all. */
  settled(options?: WaitOptions): Promise<NodeId>;
  /** Crashes the node: no goodbye, the peers notice its silence. Its state directory stays. */
  kill(id: NodeId): Promise<void>;
  /** Starts a killed node again on its state (its term and vote persist). */
  restart(id: NodeId): Promise<void>;
  /** From now on, for `ms`, the node takes no timer and no datagram; then it gets them late, in order. */
  stall(id: NodeId, ms: number): Promise<void>;
  /** Drops every datagram to and from the node until heal(id). */
  isolate(id: NodeId): Promise<void>;
  /** Ends isolate(id); without an ID, every isolation. */
  heal(id?: NodeId): Promise<void>;
  /** The node gives up leadership now, if it leads. */
  resign(id: NodeId): Promise<void>;
  /** Lets `ms` pass: wall time with real nodes, virtual time in deterministic mode. */
  runFor(ms: number): Promise<void>;
  /** Stops every node and removes what the cluster made (state directories, sockets, timers). */
  close(): Promise<void>;
}
