/**
 * What the cluster went through, beside safety: each change of coordinator with how long it took
 * (to the new one's `elected`, and to every node naming it), the stretches in which no node led,
 * and the largest clock offset the logs reveal.
 */
import { endOf, firstAt, linesOf, type NodeHistory } from './histories.ts';
import type { Lease } from './leases.ts';
import type { LogLine } from './log-lines.ts';

export const ChangeKind = {
  ColdStart: 'cold start',
  Failover: 'failover',
  Handover: 'handover',
  Preemption: 'preemption',
  /** The same node elected again after its lease ended. */
  Reelection: 're-election',
} as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

/** A node's first line naming a new coordinator. */
export interface Naming {
  node: string;
  line: LogLine;
}

export interface Change {
  kind: ChangeKind;
  /** The lease before (the one that ended last before this one began), or null at a cold start. */
  previous: Lease | null;
  next: Lease;
  /** From the previous lease's end (or the first line of all) to the new `elected`; negative if they overlap. */
  electedAfterMs: number;
  /** Each other node whose log covers the election and that named the new coordinator, first line each. */
  namedBy: Naming[];
  /** Nodes whose logs cover the election but never named it before the next change. */
  neverNamedBy: string[];
  /** From the same start to the last of `namedBy`, or null if nobody else named it. */
  allNamedAfterMs: number | null;
}

export interface LeaderlessStretch {
  from: number;
  to: number;
  durationMs: number;
}

/** A follower named a coordinator before that coordinator's `elected` line: its clock leads by at least this. */
export interface ApparentOffset {
  offsetMs: number;
  ahead: Naming;
  elected: Lease;
}

export function changes(leases: readonly Lease[], histories: readonly NodeHistory[], logStart: number): Change[] {
  return leases.map((next, index) => {
    const before = leases.slice(0, index);
    const previous = before.length === 0 ? null : before.reduce((a, b) => (b.to >= a.to ? b : a));
    const start = previous?.to ?? logStart;
    const until = leases.find((lease, later) => later > index && lease.from > next.from)?.from ?? Infinity;
    const namedBy: Naming[] = [];
    const neverNamedBy: string[] = [];
    for (const history of histories) {
      if (history.label === next.node || !covers(history, next.from)) continue;
      const line = linesOf(history).find((l) => l.leader === next.id && l.term >= next.term && l.ts < until);
      if (line === undefined) neverNamedBy.push(history.label);
      else namedBy.push({ node: history.label, line });
    }
    const lastNaming = namedBy.length === 0 ? null : Math.max(...namedBy.map((n) => n.line.ts));
    return {
      kind: kindOf(previous, next),
      previous,
      next,
      electedAfterMs: next.from - start,
      namedBy,
      neverNamedBy,
      allNamedAfterMs: lastNaming === null ? null : lastNaming - start,
    };
  });
}

function kindOf(previous: Lease | null, next: Lease): ChangeKind {
  if (previous === null) return ChangeKind.ColdStart;
  if (previous.node === next.node) return ChangeKind.Reelection;
  if (next.cause === 'resignation') return ChangeKind.Handover;
  if (next.cause === 'preemption') return ChangeKind.Preemption;
  return ChangeKind.Failover;
}

/** Whether one of the history's runs was going at `ts`. */
function covers(history: NodeHistory, ts: number): boolean {
  return history.runs.some((run) => firstAt(run) <= ts && ts <= endOf(run));
}

/** The stretches between `logStart` and `logEnd` in which no lease held. */
export function leaderless(leases: readonly Lease[], logStart: number, logEnd: number): LeaderlessStretch[] {
  const stretches: LeaderlessStretch[] = [];
  let coveredUntil = logStart;
  for (const lease of [...leases].sort((a, b) => a.from - b.from)) {
    if (lease.from > coveredUntil) stretches.push({ from: coveredUntil, to: lease.from, durationMs: lease.from - coveredUntil });
    coveredUntil = Math.max(coveredUntil, lease.to);
  }
  if (logEnd > coveredUntil) stretches.push({ from: coveredUntil, to: logEnd, durationMs: logEnd - coveredUntil });
  return stretches;
}

/** The largest lead a follower's clock shows over a coordinator's: it named it before it was elected. */
export function largestApparentOffset(all: readonly Change[]): ApparentOffset | null {
  let largest: ApparentOffset | null = null;
  for (const change of all) {
    for (const naming of change.namedBy) {
      const offsetMs = change.next.from - naming.line.ts;
      if (offsetMs > 0 && (largest === null || offsetMs > largest.offsetMs)) largest = { offsetMs, ahead: naming, elected: change.next };
    }
  }
  return largest;
}
