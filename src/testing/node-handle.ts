import type { NodeId, NodeStatus } from '../core/index.ts';
import { GuardedEmitter } from '../contract/guarded-emitter.ts';
import type { TestNode, TestNodeEvents } from './test-cluster.ts';

/** What a handle reads from whichever incarnation of its node runs now. */
export interface NodeSource {
  term(): number;
  up(): boolean;
  hasLease(): boolean;
  status(): NodeStatus | null;
}

/**
 * The stable face of one node: the cluster re-emits each incarnation's events on it. A listener
 * that throws is reported on stderr and does not stop the node (or the simulator's clock).
 */
export class NodeHandle extends GuardedEmitter<TestNodeEvents> implements TestNode {
  readonly id: NodeId;
  private readonly source: NodeSource;
  /** Between this handle's `elected` and `demoted`: a kill in deterministic mode says `demoted`, as a stopping real node does. */
  leading = false;

  constructor(id: NodeId, source: NodeSource) {
    super();
    this.id = id;
    this.source = source;
    this.on('elected', () => (this.leading = true));
    this.on('demoted', () => (this.leading = false));
  }

  get term(): number {
    return this.source.term();
  }

  get up(): boolean {
    return this.source.up();
  }

  hasLease(): boolean {
    return this.source.hasLease();
  }

  status(): NodeStatus | null {
    return this.source.status();
  }

  protected override emitListenerError(): void {
    // Never called: a handle has no `event` lines, so GuardedEmitter writes failures to stderr.
  }
}
