import type { NodeId, PersistentState } from '../core/index.ts';

/**
 * The three things the driver needs from a world: a clock, a network and a disk. The real
 * runtime and the simulator each implement them; nothing else differs.
 */

/** The node's local monotonic clock, in milliseconds. */
export interface Clock {
  nowMs(): number;
  /** Calls `fire` once, at local time `atMs` or as soon after as the world allows. */
  schedule(atMs: number, fire: () => void): Cancel;
}

export type Cancel = () => void;

/** A datagram network: best effort, unordered, possibly duplicated. */
export interface Transport {
  /**
   * A node ID for a direct datagram, 'all' for the multicast group. `greets`: a datagram to
   * everyone that only greets these peers; of the unicast copies beyond the group, only theirs
   * need go out (the core's `Outgoing.greets`). A transport may ignore it.
   */
  send(to: NodeId | 'all', bytes: Uint8Array, greets?: readonly NodeId[]): void;
}

/**
 * Durable term and vote. `save` must not resolve before the state would survive a crash. It may
 * return a promise, or (the simulator) any thenable that settles later in virtual time.
 */
export interface StateStore {
  save(state: PersistentState): void | PromiseLike<void>;
}
