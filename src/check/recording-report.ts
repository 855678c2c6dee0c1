/** An observer's recording's verdict as a person reads it: violations first, then the changes of coordinator. */
import { HeardEnding, recordingViolations, type HeardLead, type HeardOverlap, type RecordingVerdict } from './recording-verdict.ts';

const time = (ts: number): string => new Date(ts).toISOString();
const where = (lead: HeardLead, which: 'first' | 'last'): string => `${lead[which].at.file}:${lead[which].at.line}`;
const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

const ENDINGS: Record<HeardEnding, (lead: HeardLead) => string> = {
  'stepped-down': (l) => `its next beat said ${l.last.role} t${l.last.term}`,
  silent: () => 'its last beat heard, then silence',
  'recording-ended': () => 'still leading when the recording ends',
};

export function formatRecordingReport(v: RecordingVerdict): string {
  const out = [
    `Observer's recording ${v.file}: ${plural(v.nodes.length, 'node')} heard (${v.nodes.map((id) => `n${id}`).join(', ')}), ${plural(v.lines, 'line')}, ` +
      `from ${time(v.span.from)} to ${time(v.span.to)} (${v.span.to - v.span.from} ms)`,
    'The observer\'s view: roles as heartbeats carried them, on the observer\'s clock, each late by up to one beat of its node ' +
      `(a follower beats every member beat, here ${v.memberBeatMs} ms): an old coordinator's last leader beat and the next one's first may ` +
      'overlap by that much without a fault. Only what the observer heard: the far side of a partition is not in it. The nodes\' own logs (conclave run --json) have every step.',
  ];
  const count = recordingViolations(v);
  out.push('', count === 0 ? 'Safety: no violation heard.' : `Safety: ${plural(count, 'VIOLATION')}.`);
  for (const o of v.sameTerm) out.push(...overlapLines(o, `ONE TERM, TWO COORDINATORS: n${o.a.node} and n${o.b.node} both sent leader beats for term ${o.a.term}` + (o.durationMs > 0 ? `, at once for ${o.durationMs} ms` : '')));
  for (const o of v.overlaps) out.push(...overlapLines(o, `OVERLAP: two coordinators heard at once for ${o.durationMs} ms, beyond one member beat (${v.memberBeatMs} ms)`));
  if (v.withinAllowance.length > 0) {
    out.push('', 'Within one member beat, not a violation (an old coordinator\'s last beat, the next one\'s first):');
    for (const o of v.withinAllowance) out.push(...overlapLines(o, `${o.durationMs} ms`));
  }
  out.push('', `Coordinators heard (${plural(v.leads.length, 'lead')}):`);
  for (const lead of v.leads) out.push(`  ${leadLine(lead)}`);
  out.push('', 'Changes of coordinator:');
  if (v.changes.length === 0) out.push('  none: no node was heard leading');
  for (const { previous, next, afterMs } of v.changes) {
    const head = previous === null ? `first heard: n${next.node}` : previous.ending === HeardEnding.Silent ? `failover: n${previous.node} → n${next.node}` : `n${previous.node} → n${next.node}`;
    const since = previous === null ? 'the recording\'s first line' : `n${previous.node}'s last leader beat (${ENDINGS[previous.ending](previous)})`;
    out.push(`  ${head}, term ${next.term}, first leader beat at ${time(next.from)}, ${afterMs < 0 ? `${-afterMs} ms before` : `${afterMs} ms after`} ${since}`);
  }
  const total = v.leaderless.reduce((sum, s) => sum + s.durationMs, 0);
  out.push('', `Without a coordinator heard: ${total} ms in ${plural(v.leaderless.length, 'stretch', 'stretches')}`);
  for (const s of v.leaderless) {
    const label = s.from === v.span.from ? ' (from the start of the recording)' : s.to === v.span.to ? ' (to the end of the recording)' : '';
    out.push(`  ${time(s.from)} to ${time(s.to)}: ${s.durationMs} ms${label}`);
  }
  return out.join('\n');
}

function overlapLines(o: HeardOverlap, title: string): string[] {
  return [`  ${title}${o.durationMs > 0 ? `: from ${time(o.from)} to ${time(o.to)}` : ''}`, `    ${leadLine(o.a)}`, `    ${leadLine(o.b)}`];
}

function leadLine(lead: HeardLead): string {
  return `n${lead.node} term ${lead.term}: heard leading from ${time(lead.from)} (${where(lead, 'first')}) to ${time(lead.to)} (${where(lead, 'last')}): ` +
    `${ENDINGS[lead.ending](lead)}; ${lead.to - lead.from} ms`;
}
