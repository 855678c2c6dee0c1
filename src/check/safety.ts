/**
 * The safety findings: two coordinators at once, a term that went back, a vote given twice in a
 * term, two coordinators of one term. Each names the lines that show it.
 */
import { linesOf, type NodeHistory } from './histories.ts';
import type { Lease } from './leases.ts';
import type { LogLine } from './log-lines.ts';

/** Two nodes' leases overlap in their logs' times. */
export interface Overlap {
  a: Lease;
  b: Lease;
  from: number;
  to: number;
  durationMs: number;
  /** No longer than the clock allowance: the clocks alone may explain it; not a violation. */
  withinAllowance: boolean;
}

/** A node's term went down: from one line to the next, or across a restart. */
export interface TermRegression {
  node: string;
  /** Within a process, or a restart that read a lower term from disk than its last run reached. */
  kind: 'within-run' | 'restart';
  fromTerm: number;
  toTerm: number;
  /** The line with the higher term, and the line with the lower one. */
  before: LogLine;
  after: LogLine;
}

/** One node granted its vote (not a pre-vote) to two candidates for one term. */
export interface DoubleVote {
  node: string;
  forTerm: number;
  first: LogLine & { event: 'vote' };
  second: LogLine & { event: 'vote' };
  /** The two votes were given by different processes of the node (its disk forgot the first). */
  acrossRestart: boolean;
}

/** Two nodes were elected for the same term: a fencing token handed out twice. */
export interface SharedTerm {
  term: number;
  a: Lease;
  b: Lease;
}

/** Pairs of leases of different nodes that overlap for more than an instant. */
export function overlaps(leases: readonly Lease[], maxClockOffsetMs: number): Overlap[] {
  const found: Overlap[] = [];
  for (let i = 0; i < leases.length; i++) {
    for (let j = i + 1; j < leases.length; j++) {
      const a = leases[i]!;
      const b = leases[j]!;
      if (a.node === b.node) continue;
      const from = Math.max(a.from, b.from);
      const to = Math.min(a.to, b.to);
      if (to <= from) continue;
      found.push({ a, b, from, to, durationMs: to - from, withinAllowance: to - from <= maxClockOffsetMs });
    }
  }
  return found;
}

/** A LAN node's term never goes down, within a run or across restarts (ZooKeeper runs are skipped: their term is a claim's zxid). */
export function termRegressions(history: NodeHistory): TermRegression[] {
  const found: TermRegression[] = [];
  let highest: LogLine | null = null;
  for (const run of history.runs) {
    if (run.zookeeper) continue;
    const first = run.lines[0]!;
    const startTerm = run.persistedTerm ?? first.term;
    if (highest !== null && startTerm < highest.term) {
      found.push({ node: history.label, kind: 'restart', fromTerm: highest.term, toTerm: startTerm, before: highest, after: first });
    }
    let previous: LogLine | null = null;
    for (const line of run.lines) {
      if (previous !== null && line.term < previous.term) {
        found.push({ node: history.label, kind: 'within-run', fromTerm: previous.term, toTerm: line.term, before: previous, after: line });
      }
      previous = line;
      if (highest === null || line.term >= highest.term) highest = line;
    }
  }
  return found;
}

export function doubleVotes(history: NodeHistory): DoubleVote[] {
  const found: DoubleVote[] = [];
  const given = new Map<number, { vote: LogLine & { event: 'vote' }; run: number }>();
  history.runs.forEach((run, runIndex) => {
    for (const line of run.lines) {
      if (line.event !== 'vote' || !line.granted || line.preVote) continue;
      const earlier = given.get(line.forTerm);
      if (earlier === undefined) given.set(line.forTerm, { vote: line, run: runIndex });
      else if (earlier.vote.candidate !== line.candidate) {
        found.push({ node: history.label, forTerm: line.forTerm, first: earlier.vote, second: line, acrossRestart: earlier.run !== runIndex });
      }
    }
  });
  return found;
}

export function sharedTerms(leases: readonly Lease[]): SharedTerm[] {
  const found: SharedTerm[] = [];
  const byTerm = new Map<number, Lease>();
  for (const lease of leases) {
    const earlier = byTerm.get(lease.term);
    if (earlier === undefined) byTerm.set(lease.term, lease);
    else if (earlier.node !== lease.node) found.push({ term: lease.term, a: earlier, b: lease });
  }
  return found;
}

/** Every line of every history, for counting. */
export function lineCount(histories: readonly NodeHistory[]): number {
  return histories.reduce((sum, history) => sum + linesOf(history).length, 0);
}
