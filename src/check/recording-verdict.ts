/**
 * The check of an observer's recording: who was heard leading when, on the observer's own clock.
 * A recording holds what heartbeats carried, so a node's role reaches it late by up to one of its
 * beats (a follower beats once a member beat): an old coordinator's last leader beat and the new
 * one's first can overlap by that much in the observer's view while the leases never did. Two
 * nodes leading *one term* is never that: a term has at most one coordinator. Pure.
 */
import type { NodeId } from '../core/index.ts';
import type { RecordedLine } from './recording-lines.ts';

/** How a node's time as coordinator ended in the observer's view. */
export const HeardEnding = {
  /** Its next beat said it no longer led (or led a later term). */
  SteppedDown: 'stepped-down',
  /** It fell silent: the span ends at its last beat heard. */
  Silent: 'silent',
  /** Still leading when the recording ends. */
  RecordingEnded: 'recording-ended',
} as const;
export type HeardEnding = (typeof HeardEnding)[keyof typeof HeardEnding];

/** A node heard leading one term, from its first leader beat to its last (or its next beat saying otherwise). */
export interface HeardLead {
  node: NodeId;
  term: number;
  from: number;
  to: number;
  first: RecordedLine;
  /** The line that ended it, or the recording's last. */
  last: RecordedLine;
  ending: HeardEnding;
}

export interface HeardOverlap {
  a: HeardLead;
  b: HeardLead;
  from: number;
  to: number;
  durationMs: number;
}

export interface HeardChange {
  previous: HeardLead | null;
  next: HeardLead;
  /** From the previous coordinator's end to the next one's first leader beat (negative: they overlapped). */
  afterMs: number;
}

export interface RecordingVerdict {
  file: string;
  lines: number;
  nodes: NodeId[];
  span: { from: number; to: number };
  /** The allowance: the largest beat interval a node announced in the recording (its member beat). */
  memberBeatMs: number;
  leads: HeardLead[];
  /** Violations: two nodes heard leading the same term. */
  sameTerm: HeardOverlap[];
  /** Violations: leads of different terms overlapping by more than a member beat. */
  overlaps: HeardOverlap[];
  /** Not violations: leads of different terms overlapping by no more than a member beat. */
  withinAllowance: HeardOverlap[];
  leaderless: { from: number; to: number; durationMs: number }[];
  changes: HeardChange[];
}

export function checkRecording(lines: readonly RecordedLine[], file: string): RecordingVerdict {
  const sorted = [...lines].sort((a, b) => a.ts - b.ts);
  const span = sorted.length === 0 ? { from: 0, to: 0 } : { from: sorted[0]!.ts, to: sorted.at(-1)!.ts };
  const nodes = [...new Set(sorted.map((line) => line.node))].sort((a, b) => a - b);
  const leads = nodes.flatMap((node) => leadsOf(sorted.filter((line) => line.node === node), span.to)).sort((a, b) => a.from - b.from);
  const memberBeatMs = Math.max(0, ...sorted.map((line) => line.intervalMs));
  const sameTerm: HeardOverlap[] = [];
  const overlaps: HeardOverlap[] = [];
  const withinAllowance: HeardOverlap[] = [];
  leads.forEach((a, i) => {
    for (const b of leads.slice(i + 1)) {
      if (a.node === b.node) continue;
      const from = Math.max(a.from, b.from);
      const to = Math.min(a.to, b.to);
      const overlap = { a, b, from, to, durationMs: Math.max(0, to - from) };
      if (a.term === b.term) sameTerm.push(overlap);
      else if (to <= from) continue;
      else if (to - from > memberBeatMs) overlaps.push(overlap);
      else withinAllowance.push(overlap);
    }
  });
  return { file, lines: sorted.length, nodes, span, memberBeatMs, leads, sameTerm, overlaps, withinAllowance, leaderless: leaderless(leads, span), changes: changes(leads, span.from) };
}

/** The count of violations: the check exits 1 if any. */
export function recordingViolations(verdict: RecordingVerdict): number {
  return verdict.sameTerm.length + verdict.overlaps.length;
}

function leadsOf(lines: readonly RecordedLine[], endMs: number): HeardLead[] {
  const leads: HeardLead[] = [];
  let open: Omit<HeardLead, 'to' | 'last' | 'ending'> | null = null;
  for (const line of lines) {
    if (open !== null && (line.silent || line.role !== 'leader' || line.term !== open.term)) {
      // A silent line comes a silence limit after the last beat: the lead ended at that beat.
      leads.push({ ...open, to: line.silent ? line.lastHeardTs : line.ts, last: line, ending: line.silent ? HeardEnding.Silent : HeardEnding.SteppedDown });
      open = null;
    }
    if (open === null && !line.silent && line.role === 'leader') open = { node: line.node, term: line.term, from: line.ts, first: line };
  }
  if (open !== null) leads.push({ ...open, to: endMs, last: lines.at(-1)!, ending: HeardEnding.RecordingEnded });
  return leads;
}

function leaderless(leads: readonly HeardLead[], span: { from: number; to: number }): RecordingVerdict['leaderless'] {
  const stretches: RecordingVerdict['leaderless'] = [];
  let coveredTo = span.from;
  for (const lead of leads) {
    if (lead.from > coveredTo) stretches.push({ from: coveredTo, to: lead.from, durationMs: lead.from - coveredTo });
    coveredTo = Math.max(coveredTo, lead.to);
  }
  if (span.to > coveredTo) stretches.push({ from: coveredTo, to: span.to, durationMs: span.to - coveredTo });
  return stretches;
}

/** Each lead after the first, against the one that ended last before it began. */
function changes(leads: readonly HeardLead[], startMs: number): HeardChange[] {
  return leads.map((next, i) => {
    const before = leads.slice(0, i).filter((lead) => lead.from <= next.from);
    const previous = before.length === 0 ? null : before.reduce((a, b) => (b.to >= a.to ? b : a));
    return { previous, next, afterMs: next.from - (previous === null ? startMs : previous.to) };
  });
}
