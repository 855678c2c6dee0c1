import type { ElectionConfig, NodeId, NodeSnapshot } from '../core/index.ts';
import { HOP_MS } from './bounds.ts';
import { Check, type SafetyChecker } from './checkers.ts';
import type { SimHost } from './host.ts';
import { MAX_DELAY_MS } from './faults.ts';

/**
 * How long after a coordinator's last lease ended a node may still name it (N1): its last round
 * left no later than that, took at most the network's largest delay and a hop's wait for the CPU
 * to arrive, and the promise it brought lasts `timeoutMs` by a clock that may run slow.
 */
export function staleNameBoundMs(config: Pick<ElectionConfig, 'timeoutMs' | 'maxClockDriftPpm'>): number {
  const rho = config.maxClockDriftPpm / 1e6;
  return (config.timeoutMs * (1 + rho)) / (1 - rho) + MAX_DELAY_MS + HOP_MS;
}

/**
 * A follower's named leader (`status().leader`, `inspect().knownLeader`) against the real leases.
 *
 * The README once said `leader` was "never a stale ID", and docs/protocol.md ("State") that a follower
 * knows a leader while its promise lasts. The two differ by design: a promise lasts `timeoutMs`
 * from the receipt of a round, a lease `leaseMs` (shorter) from its sending, a coordinator that
 * loses its quorum keeps sending rounds until its lease ends, and a follower follows a new
 * coordinator on its first round, before a quorum has acknowledged it. So:
 *
 * - **N1 (checked, a violation):** a node stops naming X at most `staleBoundMs` after X's last
 *   lease ended, or after X last was coordinator if that is later (a coordinator whose quorum
 *   never acknowledged it): X sends no round after either, a promise lasts `timeoutMs` by the
 *   follower's clock from the round's receipt, and the round took at most the network's largest
 *   delay plus a hop's wait for the CPU to arrive. A name that lasts longer was renewed by
 *   something else than a fresh round (a round read late from a queue, after a stall).
 * - **Measured, reported:** how long after X's last lease ended a node still names X (what
 *   docs/cli.md's JSON events promise), how often a node names X while a newer coordinator has held a lease (*superseded*:
 *   the minority side of a partition keeps naming its old coordinator until its promise runs out,
 *   while the majority's new one leads), and how often it names X before X's lease began.
 */
export class NamedLeaderChecker {
  /** The longest a node named a coordinator after that coordinator's last lease had ended. */
  staleMsMax = 0;
  /** Inputs after which some node named a coordinator whose lease had ended. */
  staleSamples = 0;
  /** Inputs after which some node named a coordinator whose lease had not begun yet. */
  earlySamples = 0;
  /** Inputs after which a node named a coordinator superseded by a newer one's lease. */
  supersededSamples = 0;
  /** The longest a node named a superseded coordinator, from the newer lease's start. */
  supersededMsMax = 0;
  /** The first superseded name seen, for the report: who, whom, and when. */
  firstSuperseded: string | null = null;
  private readonly latestLedTerm = new Map<NodeId, number>();
  /** The newest term whose coordinator has held a lease, who that was, and since when. */
  private newestLease: { term: number; node: NodeId; sinceMs: number } | null = null;
  /** Real time each coordinator's latest lease ends (until it ends, later than now). */
  private readonly leaseEndMs = new Map<NodeId, number>();
  /**
   * The last instant each node was a coordinator, with a lease or still without one: it sends
   * rounds until it steps down, and a round of a term whose lease never began names it too
   * (seed 2501: a coordinator of term 6 that never had its quorum was judged by its term-3 lease).
   */
  private readonly ledUntilMs = new Map<NodeId, number>();
  private readonly safety: SafetyChecker;
  private readonly now: () => number;
  private readonly staleBoundMs: number;

  constructor(safety: SafetyChecker, now: () => number, staleBoundMs: number) {
    this.safety = safety;
    this.now = now;
    this.staleBoundMs = staleBoundMs;
  }

  afterInput(host: SimHost, node: NodeSnapshot | null, hosts: readonly SimHost[]): void {
    if (node === null) return;
    if (node.role === 'leader') {
      this.latestLedTerm.set(host.id, Math.max(this.latestLedTerm.get(host.id) ?? 0, node.term));
      this.ledUntilMs.set(host.id, this.now());
    }
    if (node.leaseUntilMs !== null) {
      this.leaseEndMs.set(host.id, host.realAtMs(node.leaseUntilMs));
      if (this.newestLease === null || node.term > this.newestLease.term) {
        this.newestLease = { term: node.term, node: host.id, sinceMs: this.now() };
        // A new coordinator's lease began: every name of an older one is superseded from now on.
        for (const other of hosts) if (other !== host) this.judge(other, other.inspect());
      }
    } else if (!host.impostor) {
      // Names are IDs: an impostor (./impostor.ts) without a lease ends none of its twin's.
      this.endLease(host.id);
    }
    this.judge(host, node);
  }

  /** A coordinator crashed or stepped down: its lease ended no later than now. */
  endLease(id: NodeId): void {
    const end = this.leaseEndMs.get(id);
    if (end !== undefined && end > this.now()) this.leaseEndMs.set(id, this.now());
  }

  private judge(host: SimHost, node: NodeSnapshot | null): void {
    const named = node?.knownLeader ?? null;
    if (named === null || named === host.id) return;
    const now = this.now();
    const ledTerm = this.latestLedTerm.get(named);
    if (ledTerm === undefined) {
      this.safety.fail(Check.NamedLeader, `n${host.id} names n${named} as coordinator, which never led`);
      return;
    }
    const newest = this.newestLease;
    if (newest !== null && newest.node !== named && newest.term > ledTerm) {
      this.supersededSamples++;
      this.supersededMsMax = Math.max(this.supersededMsMax, now - newest.sinceMs);
      this.firstSuperseded ??= `at ${(now / 1000).toFixed(4)} s n${host.id} named n${named} (term ${ledTerm}) while n${newest.node} held a lease of term ${newest.term}`;
    }
    const leaseEndMs = this.leaseEndMs.get(named);
    if (leaseEndMs === undefined || newest === null || newest.term < ledTerm) {
      this.earlySamples++;
      return;
    }
    const end = Math.max(leaseEndMs, this.ledUntilMs.get(named) ?? -Infinity);
    if (end > now) return;
    this.staleSamples++;
    this.staleMsMax = Math.max(this.staleMsMax, now - end);
    if (now - end > this.staleBoundMs) {
      this.safety.fail(
        Check.NamedLeader,
        `n${host.id} still names n${named} ${(now - end).toFixed(0)} ms after n${named}'s last lease ended (bound ${this.staleBoundMs.toFixed(0)} ms)`,
      );
    }
  }
}
