/**
 * When each node acted as coordinator, as the node itself saw it: from its `elected` line to its
 * `demoted` line, or to when its lease really ended if a line says so (a `stalled` line with
 * `leaseEndedAt`, said on waking before or just after the demotion; a `demoted` line carries
 * `leaseEndedAt` itself, for a step-down noticed late; older LAN lines do not). A run that ends while leading ends its lease at the process's known end,
 * or else at the run's last line: a log cut short (kill -9, a power cut) cannot say more.
 */
import { endOf, type NodeHistory, type NodeRun } from './histories.ts';
import type { LogLine } from './log-lines.ts';

export const LeaseEnding = {
  /** Its `demoted` line. */
  Demoted: 'demoted',
  /** Earlier than its `demoted` line: a stall let the lease run out before the node noticed. */
  LeaseEnded: 'lease-ended',
  /** The process ended while leading, at a known time. */
  ProcessEnded: 'process-ended',
  /** The log ends while leading: the lease is taken to end at the last line. */
  LogEnded: 'log-ended',
} as const;
export type LeaseEnding = (typeof LeaseEnding)[keyof typeof LeaseEnding];

export interface Lease {
  /** The history's label (`n3`). */
  node: string;
  id: number;
  term: number;
  from: number;
  to: number;
  ending: LeaseEnding;
  /** What started the election (`elected`'s cause). */
  cause: string;
  elected: LogLine;
  /** The line that ended it (`demoted`, or the last line of a log that ends while leading). */
  endLine: LogLine;
  /** `demoted`'s reason, if it ended with one. */
  reason: string | null;
}

/** Every lease of a history, in time order. */
export function leasesOf(history: NodeHistory): Lease[] {
  return history.runs.flatMap((run) => leasesOfRun(history, run));
}

function leasesOfRun(history: NodeHistory, run: NodeRun): Lease[] {
  const leases: Lease[] = [];
  let open: { elected: LogLine; endedAt: number | null } | null = null;
  const close = (endLine: LogLine, at: number, ending: LeaseEnding, reason: string | null): void => {
    const { elected } = open!;
    const to = Math.max(elected.ts, at);
    leases.push({ node: history.label, id: history.id, term: elected.term, from: elected.ts, to, ending, cause: causeOf(elected), elected, endLine, reason });
    open = null;
  };
  for (const line of run.lines) {
    if (line.event === 'elected') {
      // Elected again without a demotion between: the first lease lasted at least until now.
      if (open !== null) close(line, line.ts, LeaseEnding.Demoted, null);
      open = { elected: line, endedAt: null };
    } else if (line.event === 'stalled' && line.leaseLost && line.leaseEndedAt !== null) {
      if (open !== null) open.endedAt = line.leaseEndedAt;
      else shortenLast(leases, line.leaseEndedAt); // said just after the demotion: it is about that lease
    } else if (line.event === 'demoted' && open !== null) {
      const ends = [line.ts, open.endedAt ?? Infinity, 'leaseEndedAt' in line ? line.leaseEndedAt : Infinity];
      const endedAt = Math.min(...ends);
      close(line, endedAt, endedAt < line.ts ? LeaseEnding.LeaseEnded : LeaseEnding.Demoted, line.reason);
    }
  }
  if (open !== null) {
    const last = run.lines.at(-1)!;
    close(last, endOf(run), run.endedAt === null ? LeaseEnding.LogEnded : LeaseEnding.ProcessEnded, null);
  }
  return leases;
}

function shortenLast(leases: Lease[], leaseEndedAt: number): void {
  const last = leases.at(-1);
  if (last === undefined || last.ending !== LeaseEnding.Demoted || leaseEndedAt >= last.to) return;
  last.to = Math.max(last.from, leaseEndedAt);
  last.ending = LeaseEnding.LeaseEnded;
}

function causeOf(elected: LogLine): string {
  return 'cause' in elected && typeof elected.cause === 'string' ? elected.cause : 'unknown';
}

/** Every lease of every history, by start. */
export function allLeases(histories: readonly NodeHistory[]): Lease[] {
  return histories.flatMap(leasesOf).sort((a, b) => a.from - b.from || a.id - b.id);
}
