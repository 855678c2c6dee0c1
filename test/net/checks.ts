/** Checks over all the JSON logs of a lab. */
import assert from 'node:assert/strict';
import type { NetnsLab as Lab } from '../../src/lab/netns-lab.ts';

export interface Interval {
  node: number;
  term: number;
  from: number;
  to: number;
}

/**
 * When each node acted as coordinator: from 'elected' to 'demoted' (to when its lease ended, if
 * the event says so: a node that was stalled notices only on waking), or to its process's end.
 */
export function leaderIntervals(lab: Lab): Interval[] {
  const intervals: Interval[] = [];
  for (const node of lab.nodes) {
    for (const run of node.runs) {
      let open: { from: number; term: number } | null = null;
      for (const event of run.events) {
        if (event.event === 'elected') open = { from: event.ts, term: event.term };
        else if (event.event === 'demoted' && open !== null) {
          const to = 'leaseEndedAt' in event ? event.leaseEndedAt : event.ts;
          intervals.push({ node: node.id, term: open.term, from: open.from, to });
          open = null;
        }
      }
      if (open !== null) intervals.push({ node: node.id, term: open.term, from: open.from, to: run.exitedAt ?? Date.now() });
    }
  }
  return intervals.sort((a, b) => a.from - b.from);
}

/** No two nodes' leader intervals overlap in time. */
export function assertNoOverlap(lab: Lab): Interval[] {
  const intervals = leaderIntervals(lab);
  for (const a of intervals) {
    for (const b of intervals) {
      if (a.node !== b.node && a.from < b.to && b.from < a.to) {
        assert.fail(`n${a.node} (term ${a.term}) and n${b.node} (term ${b.term}) both led between ${Math.max(a.from, b.from)} and ${Math.min(a.to, b.to)}`);
      }
    }
  }
  return intervals;
}

/** Across all its processes, a node's term never goes back and it votes once per term. */
export function assertDurableTermsAndVotes(lab: Lab): void {
  for (const node of lab.nodes) {
    let term = 0;
    const votes = new Map<number, number>();
    for (const event of node.events) {
      assert.ok(event.term >= term, `n${node.id}'s term went from ${term} to ${event.term} (${event.event})`);
      term = event.term;
      if (event.event === 'vote' && event.granted === true && event.preVote === false) {
        const forTerm = event.forTerm as number;
        const candidate = event.candidate as number;
        const earlier = votes.get(forTerm);
        assert.ok(earlier === undefined || earlier === candidate, `n${node.id} voted for n${earlier} and n${candidate} in term ${forTerm}`);
        votes.set(forTerm, candidate);
      }
    }
  }
}
