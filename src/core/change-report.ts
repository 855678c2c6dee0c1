import type { CoreEvent, DemotionReason } from './events.ts';
import type { NodeId, ResignReason, Role } from './messages.ts';
import type { Leadership } from './state/leadership.ts';

/** What the events tell: the node as of the end of an input. */
export interface Observed {
  role: Role;
  term: number;
  /** The coordinator known to hold a valid lease (this node included), or null. */
  leader: NodeId | null;
  leaseValid: boolean;
}

/**
 * Reports what changed between two inputs as events (term, role, lease, coordinator): the
 * transitions need not announce themselves, and a change undone within one input reports nothing.
 */
export class ChangeReport {
  #observed: Observed;
  #leaderSinceMs: number | null = null;
  #demotionReason: DemotionReason | ResignReason = 'lease-expired';
  /** The end of the lease last reported valid: a lease that ran out ended then, not when noticed. */
  #leaseUntilMs = 0;

  constructor(initial: Observed) {
    this.#observed = initial;
  }

  /** Since when the current coordinator has been known, or null. */
  get leaderSinceMs(): number | null {
    return this.#leaderSinceMs;
  }

  /** The lease about to end ends for `reason`, not by running out. */
  noteDemotion(reason: DemotionReason | ResignReason): void {
    this.#demotionReason = reason;
  }

  /** Emits what differs in `current` from the last report; `leadership` names a new lease's election. */
  report(current: Observed, leadership: Leadership | null, nowMs: number, emit: (event: CoreEvent) => void): void {
    const before = this.#observed;
    if (current.term !== before.term) emit({ type: 'term-changed', term: current.term, previous: before.term });
    if (current.role !== before.role) emit({ type: 'role-changed', role: current.role, previous: before.role });
    if (current.leaseValid && !before.leaseValid && leadership !== null) {
      const { cause, votedBy } = leadership;
      emit({ type: 'elected', term: current.term, cause, votedBy });
    } else if (!current.leaseValid && before.leaseValid) {
      emit({ type: 'demoted', term: before.term, reason: this.#demotionReason, leaseEndedAtMs: Math.min(nowMs, this.#leaseUntilMs) });
      this.#demotionReason = 'lease-expired';
    }
    if (current.leaseValid && leadership !== null) this.#leaseUntilMs = leadership.leaseUntilMs;
    if (current.leader !== before.leader) {
      this.#leaderSinceMs = current.leader === null ? null : nowMs;
      emit({ type: 'leader-changed', leader: current.leader, previous: before.leader, term: current.term });
    }
    this.#observed = current;
  }
}
