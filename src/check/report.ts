/** The verdict as a person reads it: violations first, then what the cluster went through. */
import type { Lease } from './leases.ts';
import type { LogLine } from './log-lines.ts';
import type { Overlap } from './safety.ts';
import type { Change } from './succession.ts';
import { violationCount, type Verdict } from './verdict.ts';

const time = (ts: number): string => (Number.isFinite(ts) ? new Date(ts).toISOString() : String(ts));
const where = (line: LogLine): string => `${line.at.file}:${line.at.line}`;
/** Whole ms, but a fraction below 10 ms (a simulation's times are fractional; "0 ms" of overlap would read as none). */
const ms = (durationMs: number): string => `${durationMs >= 10 || Number.isInteger(durationMs) ? Math.round(durationMs) : durationMs.toFixed(1)} ms`;
const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

export function formatReport(verdict: Verdict): string {
  const { histories, span, options } = verdict;
  const runs = histories.reduce((sum, h) => sum + h.runs.length, 0);
  const out: string[] = [
    `${plural(histories.length, 'node')} (${histories.map((h) => h.label).join(', ')}), ${plural(runs, 'run')}, ${plural(verdict.lines, 'line')}, ` +
      `from ${time(span.from)} to ${time(span.to)} (${ms(span.to - span.from)})`,
    `Clocks: each line's time is its own machine's clock; two machines' clocks are assumed within ${ms(options.maxClockOffsetMs)} ` +
      `of each other (--max-clock-offset-ms): an overlap no longer than that is reported, but not as a violation.`,
  ];
  const offset = verdict.apparentOffset;
  if (offset === null) out.push('  No clock offset shows in the logs (no vote is logged later than the election it made).');
  else {
    out.push(`  Largest apparent offset: ${offset.voter}'s clock leads ${offset.elected.node}'s by at least ${ms(offset.offsetMs)} ` +
      `(its vote for ${offset.elected.node} in term ${offset.elected.term}, ${where(offset.vote)}, is later than the election, ${where(offset.elected.elected)}).`);
    if (offset.offsetMs > options.maxClockOffsetMs) out.push(`  WARNING: that is more than the allowance: the clocks are further apart than assumed; raise --max-clock-offset-ms or synchronise them.`);
  }

  const count = violationCount(verdict);
  out.push('', count === 0 ? 'Safety: no violation.' : `Safety: ${plural(count, 'VIOLATION')}.`);
  for (const o of verdict.overlaps) out.push(...overlapLines(o, `OVERLAP: two coordinators at once for ${ms(o.durationMs)}, beyond the ${ms(options.maxClockOffsetMs)} clock allowance`));
  for (const r of verdict.termRegressions) {
    const how = r.kind === 'restart'
      ? `restarted with term ${r.toTerm} from its disk (${where(r.after)}), but its earlier run had reached term ${r.fromTerm} (${where(r.before)}, ${time(r.before.ts)}): its state file went back`
      : `went from term ${r.fromTerm} (${where(r.before)}) to term ${r.toTerm} (${where(r.after)}) at ${time(r.after.ts)}`;
    out.push(`  TERM WENT BACK: ${r.node} ${how}`);
  }
  for (const v of verdict.doubleVotes) {
    out.push(`  DOUBLE VOTE: ${v.node} voted in term ${v.forTerm} for n${v.first.candidate} at ${time(v.first.ts)} (${where(v.first)}) ` +
      `and for n${v.second.candidate} at ${time(v.second.ts)} (${where(v.second)})${v.acrossRestart ? ', after a restart: its disk forgot the first vote' : ''}`);
  }
  for (const s of verdict.sharedTerms) {
    out.push(`  ONE TERM, TWO COORDINATORS: ${s.a.node} (${where(s.a.elected)}) and ${s.b.node} (${where(s.b.elected)}) were both elected for term ${s.term}`);
  }
  if (verdict.withinAllowance.length > 0) {
    out.push('', 'Within the clock allowance, not a violation:');
    for (const o of verdict.withinAllowance) out.push(...overlapLines(o, `${ms(o.durationMs)} of overlap, no more than the clocks may differ`));
  }

  out.push('', `Coordinators (${plural(verdict.leases.length, 'lease')}):`);
  for (const lease of verdict.leases) out.push(`  ${leaseLine(lease)}`);
  out.push('', 'Changes of coordinator:');
  if (verdict.changes.length === 0) out.push('  none: no node was elected in these logs');
  for (const change of verdict.changes) out.push(...changeLines(change));

  const total = verdict.leaderless.reduce((sum, s) => sum + s.durationMs, 0);
  out.push('', `Without a coordinator: ${ms(total)} in ${plural(verdict.leaderless.length, 'stretch', 'stretches')} (no node held a lease)`);
  for (const s of verdict.leaderless) {
    const label = s.from === span.from ? ' (from the start of the logs)'
      : s.afterCutShort !== null ? ` (from where ${s.afterCutShort.node}'s log ends while it leads: it may have led for part of it)`
      : s.to === span.to ? ' (to the end of the logs)' : '';
    out.push(`  ${time(s.from)} to ${time(s.to)}: ${ms(s.durationMs)}${label}`);
  }
  if (verdict.cutShort.length > 0) {
    out.push('', 'What the logs cannot tell:');
    for (const lease of verdict.cutShort) {
      out.push(`  ${lease.node}'s log ends while it leads (${where(lease.endLine)}, ${time(lease.endLine.ts)}): its lease is taken to end at that last line; ` +
        'it may have lasted longer (until its process ended, and a lease past its last acknowledged round), so an overlap with a later lease cannot be ruled out.');
    }
  }
  return out.join('\n');
}

function overlapLines(o: Overlap, title: string): string[] {
  return [
    `  ${title}: ${o.a.node} and ${o.b.node} both led from ${time(o.from)} to ${time(o.to)}`,
    `    ${leaseLine(o.a)}`,
    `    ${leaseLine(o.b)}`,
  ];
}

const ENDINGS: Record<Lease['ending'], (lease: Lease) => string> = {
  demoted: (l) => `demoted${l.reason === null ? '' : ` (${l.reason})`}`,
  'lease-ended': (l) => `its lease ended ${ms(l.endLine.ts - l.to)} before its line saying so (demoted${l.reason === null ? '' : ` (${l.reason})`} at ${time(l.endLine.ts)})`,
  'process-ended': () => 'its process ended while leading',
  'log-ended': () => 'its log ends while it leads',
};

function leaseLine(lease: Lease): string {
  return `${lease.node} term ${lease.term}: elected (${lease.cause}) at ${time(lease.from)} (${where(lease.elected)}), ` +
    `to ${time(lease.to)} (${where(lease.endLine)}): ${ENDINGS[lease.ending](lease)}; ${ms(lease.to - lease.from)}`;
}

/** Up to this many nodes naming a new coordinator are listed each; beyond, the last three. */
const NAMINGS_LISTED = 8;

function changeLines(change: Change): string[] {
  const { previous, next } = change;
  const since = previous === null ? 'the first line of the logs' : `${previous.node}'s lease ended (${ENDINGS[previous.ending](previous)})`;
  const head = previous === null || previous.node === next.node ? `${change.kind}: ${next.node}` : `${change.kind}: ${previous.node} → ${next.node}`;
  const lines = [`  ${head}, term ${next.term}, elected at ${time(next.from)}, ${relative(change.electedAfterMs)} ${since}`];
  if (change.namedBy.length > 0) {
    const who = change.neverNamedBy.length === 0 ? 'every other node' : plural(change.namedBy.length, 'other node');
    // Every node of a small cluster; the last few of a large one (50 names on a line read as none).
    const shown = change.namedBy.length <= NAMINGS_LISTED ? change.namedBy : [...change.namedBy].sort((a, b) => b.line.ts - a.line.ts).slice(0, 3);
    const each = shown.map((n) => `${n.node} ${signed(n.line.ts - next.from)}`).join(', ');
    const label = shown.length < change.namedBy.length ? 'the last, after the election' : 'after the election';
    lines.push(`    named by ${who} ${relative(change.allNamedAfterMs!)} ${previous === null ? 'the first line' : 'its end'} (${label}: ${each})`);
  }
  if (change.neverNamedBy.length > 0) lines.push(`    never named by ${change.neverNamedBy.join(', ')} before the next change`);
  return lines;
}

/** "120 ms after", or "200 ms before" for a negative duration. */
function relative(durationMs: number): string {
  return durationMs < 0 ? `${ms(-durationMs)} before` : `${ms(durationMs)} after`;
}

function signed(durationMs: number): string {
  return durationMs < 0 ? `-${ms(-durationMs)}` : `+${ms(durationMs)}`;
}
