/**
 * What the cluster went through, beside safety: each change of coordinator with how long it took
 * (to the new one's `elected`, and to every node naming it), the stretches in which no node led,
 * and the largest clock offset the logs reveal.
 */
import { endOf, firstAt, linesOf, type NodeHistory } from './histories.ts';
import { LeaseEnding, type Lease } from './leases.ts';
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
  /**
   * Each other node that named the new coordinator, with its first line doing so. A follower names
   * it on its first round, before the acknowledgements that make the lease valid: a naming may
   * precede `elected` by a round trip, and a follower's log may end with it.
   */
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
  /** It begins where a log ends while leading: that node may have led for part of it. */
  afterCutShort: Lease | null;
}

/**
 * A voter's clock leads a coordinator's by at least `offsetMs`: its line granting the vote is later
 * than the coordinator's `elected` line, though the vote was sent before (a node logs a vote just
 * after sending it, and is elected only once the votes and then the acknowledgements of its first
 * round came back). A follower's naming the coordinator is no such bound: it names it on its first
 * round, before the acknowledgements that make the lease valid.
 */
export interface ApparentOffset {
  offsetMs: number;
  voter: string;
  vote: LogLine;
  elected: Lease;
}

export function changes(leases: readonly Lease[], histories: readonly NodeHistory[], logStart: number): Change[] {
  const linesByNode = new Map(histories.map((history) => [history, linesOf(history)]));
  return leases.map((next, index) => {
    const before = leases.slice(0, index);
    const previous = before.length === 0 ? null : before.reduce((a, b) => (b.to >= a.to ? b : a));
    const start = previous?.to ?? logStart;
    const until = leases.find((lease, later) => later > index && lease.from > next.from)?.from ?? Infinity;
    const namedBy: Naming[] = [];
    const neverNamedBy: string[] = [];
    for (const history of histories) {
      if (history.label === next.node) continue;
      const line = linesByNode.get(history)!.find((l) => l.leader === next.id && l.term >= next.term && l.ts < until);
      if (line !== undefined) namedBy.push({ node: history.label, line });
      else if (covers(history, next.from)) neverNamedBy.push(history.label);
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

/** By what started the election (its `elected` line's cause); the first one is a cold start. */
function kindOf(previous: Lease | null, next: Lease): ChangeKind {
  if (previous === null || next.cause === 'cold-start') return ChangeKind.ColdStart;
  if (previous.node === next.node) return ChangeKind.Reelection;
  if (next.cause === 'resignation') return ChangeKind.Handover;
  if (next.cause === 'preemption') return ChangeKind.Preemption;
  return ChangeKind.Failover;
}

/** Whether one of the history's runs was going at `ts`: it could have named a coordinator elected then. */
function covers(history: NodeHistory, ts: number): boolean {
  return history.runs.some((run) => firstAt(run) <= ts && ts <= endOf(run));
}

/** The stretches between `logStart` and `logEnd` in which no lease held. */
export function leaderless(leases: readonly Lease[], logStart: number, logEnd: number): LeaderlessStretch[] {
  const stretches: LeaderlessStretch[] = [];
  let coveredUntil = logStart;
  let coveredBy: Lease | null = null;
  const gap = (to: number): void => {
    if (to <= coveredUntil) return;
    const afterCutShort = coveredBy?.ending === LeaseEnding.LogEnded ? coveredBy : null;
    stretches.push({ from: coveredUntil, to, durationMs: to - coveredUntil, afterCutShort });
  };
  for (const lease of [...leases].sort((a, b) => a.from - b.from)) {
    gap(lease.from);
    if (lease.to >= coveredUntil) {
      coveredUntil = lease.to;
      coveredBy = lease;
    }
  }
  gap(logEnd);
  return stretches;
}

/** The largest lead a voter's clock shows over a coordinator's it voted for; null if none shows. */
export function largestApparentOffset(leases: readonly Lease[], histories: readonly NodeHistory[]): ApparentOffset | null {
  let largest: ApparentOffset | null = null;
  const votesByNode = new Map(histories.map((history) => [history, linesOf(history).filter((l) => l.event === 'vote' && l.granted && !l.preVote)]));
  for (const lease of leases) {
    const votedBy = 'votedBy' in lease.elected && Array.isArray(lease.elected.votedBy) ? (lease.elected.votedBy as number[]) : [];
    for (const history of histories) {
      if (history.label === lease.node || !votedBy.includes(history.id)) continue;
      const vote = votesByNode.get(history)!.find((l) => l.event === 'vote' && l.candidate === lease.id && l.forTerm === lease.term);
      const offsetMs = vote === undefined ? 0 : vote.ts - lease.from;
      if (offsetMs > 0 && (largest === null || offsetMs > largest.offsetMs)) largest = { offsetMs, voter: history.label, vote: vote!, elected: lease };
    }
  }
  return largest;
}
