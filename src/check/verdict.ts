/**
 * The log check's verdict over every node's history: the safety findings, what is within the
 * clock allowance, the changes of coordinator, the time without one, and what the logs cannot
 * tell. Pure: the CLI reads the files, the lab tests pass their nodes' lines.
 */
import { endOf, firstAt, type NodeHistory } from './histories.ts';
import { LeaseEnding, allLeases, type Lease } from './leases.ts';
import { doubleVotes, lineCount, overlaps, sharedTerms, termRegressions, type DoubleVote, type Overlap, type SharedTerm, type TermRegression } from './safety.ts';
import { changes, largestApparentOffset, leaderless, type ApparentOffset, type Change, type LeaderlessStretch } from './succession.ts';

export interface CheckOptions {
  /**
   * How far apart two machines' clocks may be, in ms: an overlap of leases no longer than this may
   * be the clocks' doing alone, and is reported as within the allowance, not as a violation.
   */
  maxClockOffsetMs: number;
}

/**
 * 50 ms: NTP keeps machines on one LAN within a few milliseconds of each other (chrony and ntpd
 * typically well under 10 ms), and a machine that has just booted or lost its server may be tens
 * of ms off; 50 ms covers that, and is still far shorter than any real overlap the protocol could
 * make (a lease is 900 ms by default), so it hides no broken lease. Machines without NTP need more.
 */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 50;

export interface Verdict {
  options: CheckOptions;
  histories: readonly NodeHistory[];
  lines: number;
  /** The first and last line of all logs. */
  span: { from: number; to: number };
  leases: Lease[];
  /** Overlaps beyond the clock allowance: violations. */
  overlaps: Overlap[];
  /** Overlaps within it: not violations. */
  withinAllowance: Overlap[];
  termRegressions: TermRegression[];
  doubleVotes: DoubleVote[];
  sharedTerms: SharedTerm[];
  changes: Change[];
  leaderless: LeaderlessStretch[];
  apparentOffset: ApparentOffset | null;
  /** Leases taken to end at a log's last line: the log cannot say when they really ended. */
  cutShort: Lease[];
}

export function checkHistories(histories: readonly NodeHistory[], options: CheckOptions): Verdict {
  const runs = histories.flatMap((history) => history.runs);
  const span = runs.length === 0 ? { from: 0, to: 0 } : { from: Math.min(...runs.map(firstAt)), to: Math.max(...runs.map(endOf)) };
  const leases = allLeases(histories);
  const found = overlaps(leases, options.maxClockOffsetMs);
  const all = changes(leases, histories, span.from);
  return {
    options,
    histories,
    lines: lineCount(histories),
    span,
    leases,
    overlaps: found.filter((overlap) => !overlap.withinAllowance),
    withinAllowance: found.filter((overlap) => overlap.withinAllowance),
    termRegressions: histories.flatMap(termRegressions),
    doubleVotes: histories.flatMap(doubleVotes),
    sharedTerms: sharedTerms(leases),
    changes: all,
    leaderless: leaderless(leases, span.from, span.to),
    apparentOffset: largestApparentOffset(leases, histories),
    cutShort: leases.filter((lease) => lease.ending === LeaseEnding.LogEnded),
  };
}

/** How many safety violations the verdict holds; the check exits 1 if any. */
export function violationCount(verdict: Verdict): number {
  return verdict.overlaps.length + verdict.termRegressions.length + verdict.doubleVotes.length + verdict.sharedTerms.length;
}
