import type { NodeId } from '../../core/messages.ts';
import type { ZkCoreEvent } from '../../zookeeper/election/events.ts';
import type { SimZkHost } from './host.ts';

export const ZkCheck = {
  /** At no instant do two nodes hold a valid lease. */
  OneLease: 'Z1',
  /** Every new leader's fencing token is greater than every earlier one. */
  TokensGrow: 'Z2',
  /** Once calm, the nodes agree on a leader within the bound, and keep it. */
  Elects: 'Z3',
} as const;
export type ZkCheck = (typeof ZkCheck)[keyof typeof ZkCheck];

export interface ZkViolation {
  check: ZkCheck;
  atMs: number;
  message: string;
}

const MAX_REPORTED_PER_CHECK = 5;

/** Z1 and Z2, checked after every input of every node and on every election. */
export class ZkSafetyChecker {
  readonly violations: ZkViolation[] = [];
  /** Real time until which each node's lease is valid (by its own drifting clock). */
  private readonly leaseEndMs = new Map<NodeId, number>();
  private highestToken = 0;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  onEvent(host: SimZkHost, event: ZkCoreEvent): void {
    if (event.type !== 'elected') return;
    if (event.token <= this.highestToken) {
      this.fail(ZkCheck.TokensGrow, `n${host.id} elected with token ${event.token}, not above ${this.highestToken}`);
    }
    this.highestToken = Math.max(this.highestToken, event.token);
  }

  /** A lease only begins or grows on an input, so checking after each input covers every instant. */
  afterInput(host: SimZkHost, hosts: readonly SimZkHost[]): void {
    const election = host.election;
    const now = this.now();
    if (election === null || !election.hasLease(host.machine.localNowMs())) {
      this.endLease(host);
      return;
    }
    for (const other of hosts) {
      const end = this.leaseEndMs.get(other.id);
      if (other !== host && end !== undefined && end > now) {
        this.fail(ZkCheck.OneLease, `n${host.id} holds a lease (token ${election.view(host.machine.localNowMs()).term}) while n${other.id}'s lease lasts ${(end - now).toFixed(3)} ms more`);
      }
    }
    this.leaseEndMs.set(host.id, host.machine.realAtMs(election.status(host.machine.localNowMs()).leading!.leaseUntilMs));
  }

  /** A node that stepped down or died holds no lease from now on. */
  endLease(host: SimZkHost): void {
    const end = this.leaseEndMs.get(host.id);
    if (end !== undefined && end > this.now()) this.leaseEndMs.set(host.id, this.now());
  }

  fail(check: ZkCheck, message: string): void {
    if (this.violations.filter((v) => v.check === check).length >= MAX_REPORTED_PER_CHECK) return;
    this.violations.push({ check, atMs: this.now(), message });
  }
}

/**
 * Z3: from calm on, the live nodes must come to agree (one lease holder, known as leader by all;
 * in bully mode with preemption, the highest live ID) within the bound, and stay agreed.
 */
export class ZkLivenessChecker {
  convergedAtMs: number | null = null;
  private readonly options: { fromMs: number; boundMs: number; expectHighest: boolean; live: readonly NodeId[]; now: () => number; safety: ZkSafetyChecker };

  constructor(options: ZkLivenessChecker['options']) {
    this.options = options;
  }

  afterInput(hosts: readonly SimZkHost[]): void {
    const agreed = this.agreed(hosts);
    if (agreed && this.convergedAtMs === null) this.convergedAtMs = this.options.now();
    if (!agreed && this.convergedAtMs !== null) {
      if (this.options.now() > this.options.fromMs + this.options.boundMs) this.options.safety.fail(ZkCheck.Elects, 'the agreed leader changed after the bound');
      this.convergedAtMs = null;
    }
  }

  finish(hosts: readonly SimZkHost[]): void {
    const lateMs = this.convergedAtMs === null ? Number.POSITIVE_INFINITY : this.convergedAtMs - this.options.fromMs;
    if (lateMs > this.options.boundMs || !this.agreed(hosts)) {
      const view = hosts.map((h) => `n${h.id}: ${h.election === null ? 'down' : `${h.election.hasLease(h.machine.localNowMs()) ? 'lease' : 'no lease'}, knows ${h.election.status(h.machine.localNowMs()).knownLeader ?? '-'}, ${h.election.status(h.machine.localNowMs()).session.state}`}`).join('; ');
      this.options.safety.fail(ZkCheck.Elects, `no agreed leader ${this.options.boundMs} ms after calm (${view})`);
    }
  }

  get convergenceMs(): number | null {
    return this.convergedAtMs === null ? null : this.convergedAtMs - this.options.fromMs;
  }

  private agreed(hosts: readonly SimZkHost[]): boolean {
    const live = hosts.filter((h) => this.options.live.includes(h.id));
    const holders = live.filter((h) => h.election?.hasLease(h.machine.localNowMs()) === true);
    if (holders.length !== 1) return false;
    const leader = holders[0]!.id;
    if (this.options.expectHighest && leader !== Math.max(...this.options.live)) return false;
    return live.every((h) => h.election?.status(h.machine.localNowMs()).knownLeader === leader);
  }
}
