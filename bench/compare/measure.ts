/**
 * What the benchmark reads from the nodes' own event lines (Conclave's `--json`, and the
 * node-discover adapter's lines in the same shape): when a set of nodes came to agree on a
 * leader, and for how long two nodes both acted as leader. Both from the events' timestamps
 * (one machine, one clock), not from when the benchmark happened to look.
 */
import type { LabNode } from '../../src/lab/netns-lab.ts';
import type { NodeEvent } from '../../src/contract/events.ts';

type View = { role: string; leader: number | null };

function lastBefore(events: readonly NodeEvent[], ts: number): View | null {
  let found: NodeEvent | null = null;
  for (const event of events) {
    if (event.ts > ts) break;
    found = event;
  }
  return found === null ? null : { role: found.role, leader: found.leader };
}

/**
 * The first instant after `sinceMs` at which every node of `nodes` names the same leader, other
 * than `excluded`, and that leader (one of them) says it leads; null if not (yet).
 */
export function agreementAt(nodes: readonly LabNode[], sinceMs: number, excluded: number | null = null): number | null {
  const state = new Map(nodes.map((node) => [node.id, lastBefore(node.events, sinceMs)]));
  const agreed = (): boolean => {
    const leader = state.get(nodes[0]!.id)?.leader ?? null;
    if (leader === null || leader === excluded) return false;
    if (!nodes.every((node) => state.get(node.id)?.leader === leader)) return false;
    return state.get(leader)?.role === 'leader';
  };
  const later = nodes
    .flatMap((node) => node.events.filter((event) => event.ts > sinceMs).map((event) => ({ id: node.id, event })))
    .sort((a, b) => a.event.ts - b.event.ts);
  for (const { id, event } of later) {
    state.set(id, { role: event.role, leader: event.leader });
    if (agreed()) return event.ts;
  }
  return null;
}

/** Each node's spans as leader: from saying it leads to saying otherwise, or its process ending. */
export function leaderSpans(node: LabNode, untilMs: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const run of node.runs) {
    let since: number | null = null;
    for (const event of run.events) {
      if (event.role === 'leader' && since === null) since = event.ts;
      if (event.role !== 'leader' && since !== null) {
        spans.push([since, event.ts]);
        since = null;
      }
    }
    if (since !== null) spans.push([since, run.exitedAt ?? untilMs]);
  }
  return spans;
}

/** Total milliseconds within [fromMs, toMs] during which two or more nodes acted as leader. */
export function dualLeaderMs(nodes: readonly LabNode[], fromMs: number, toMs: number): number {
  const edges: Array<[number, number]> = [];
  for (const node of nodes) {
    for (const [start, end] of leaderSpans(node, toMs)) {
      const a = Math.max(start, fromMs);
      const b = Math.min(end, toMs);
      if (b > a) edges.push([a, 1], [b, -1]);
    }
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let count = 0;
  let total = 0;
  let previous = fromMs;
  for (const [at, delta] of edges) {
    if (count >= 2) total += at - previous;
    count += delta;
    previous = at;
  }
  return total;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
}

/** Nearest-rank percentiles: with 30 trials, p99 is the largest. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { n: sorted.length, p50: rank(50), p99: rank(99), max: sorted.at(-1)!, min: sorted[0]! };
}
