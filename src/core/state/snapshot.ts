import type { NodeId, Role } from '../messages.ts';

/**
 * What an observer outside the core (the simulator's checkers) may know of a node at one instant,
 * by the node's own clock: a copy, so that reading it can neither change nor depend on the
 * node's insides.
 */
export interface NodeSnapshot {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  /** The coordinator this node knows to hold a valid lease (itself included), or null. */
  readonly knownLeader: NodeId | null;
  /** While this node holds a valid lease: when it ends; null otherwise. */
  readonly leaseUntilMs: number | null;
  /**
   * While this node leads (its lease valid, or run out without its noticing yet, as after a
   * stall): when the lease ends or ended; null otherwise.
   */
  readonly leaseEndMs: number | null;
  /** The coordinator this node last promised no vote to anyone else, of `promisedTerm`, until `promiseUntilMs`. */
  readonly promisedLeader: NodeId | null;
  readonly promisedTerm: number;
  readonly promiseUntilMs: number;
}
