import type { NodeId, NodeSnapshot, Outgoing } from '../core/index.ts';
import { Check, type SafetyChecker } from './checkers.ts';
import type { SimHost } from './host.ts';
import { hostName, type HostKey } from './network.ts';

/**
 * S4: a coordinator's lease ends, in real time, before the promises of a quorum (itself
 * included) of the followers that acknowledged its rounds. That is why S2 holds: a follower that
 * acknowledged a round refuses every other candidate until its promise ends, a timeout from the
 * round's receipt by its own clock, and the lease counts `leaseMs` from the round's sending by the
 * coordinator's clock; the configuration keeps `leaseMs` below the timeout shortened by the drift
 * bound (docs/protocol.md, "Timers"). S2 sees a broken lease only when a new coordinator wins
 * within the few milliseconds of drift by which the lease outlasts the promises (a lease of a
 * whole timeout passed 300 seeds); S4 sees it at the first round.
 */
export class LeaseCoverChecker {
  /**
   * Real time until which each follower promised each coordinator of a term: "coordinator:term" →
   * follower (its host key: an impostor's promise is its own) → end.
   */
  private readonly promisedUntilMs = new Map<string, Map<HostKey, number>>();
  /** The latest lease end checked, per "coordinator:term": a lease is judged when it grows. */
  private readonly checkedUntilMs = new Map<string, number>();
  private readonly safety: SafetyChecker;
  private readonly quorum: number;

  constructor(safety: SafetyChecker, quorum: number) {
    this.safety = safety;
    this.quorum = quorum;
  }

  /** A lease acknowledgement leaves with the promise the follower keeps for it. */
  onSend(host: SimHost, { to, message }: Outgoing): void {
    if (message.type !== 'lease-ack' || to === 'all') return;
    const core = host.inspect();
    if (core === null || core.promisedLeader !== to || core.promisedTerm !== message.term) return;
    const key = `${to}:${message.term}`;
    let promises = this.promisedUntilMs.get(key);
    if (promises === undefined) this.promisedUntilMs.set(key, (promises = new Map()));
    promises.set(host.key, Math.max(promises.get(host.key) ?? 0, host.realAtMs(core.promiseUntilMs)));
  }

  afterInput(host: SimHost, node: NodeSnapshot | null): void {
    if (node === null || node.role !== 'leader' || node.leaseUntilMs === null) return;
    const key = `${host.id}:${node.term}`;
    const endMs = host.realAtMs(node.leaseUntilMs);
    if (endMs <= (this.checkedUntilMs.get(key) ?? -Infinity)) return;
    this.checkedUntilMs.set(key, endMs);
    const promises = [...(this.promisedUntilMs.get(key) ?? new Map<HostKey, number>())];
    const covering = promises.filter(([, untilMs]) => untilMs >= endMs).length;
    if (covering + 1 >= this.quorum) return;
    const shortest = promises.map(([id, untilMs]) => `${hostName(id)} ${(untilMs - endMs).toFixed(3)} ms`).join(', ');
    this.safety.fail(
      Check.LeaseInsidePromises,
      `${host.name}'s lease (term ${node.term}) outlasts the promises of its followers: ${covering} of them cover it, ` +
        `a quorum needs ${this.quorum - 1} (each promise's end less the lease's: ${shortest || 'no promise'})`,
    );
  }
}
