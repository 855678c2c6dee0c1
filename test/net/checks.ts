/**
 * Checks over all the JSON logs of a lab, by the same module as `conclave check` (src/check):
 * from each node's processes as the lab saw them (with when each exited), and from the log files
 * a user would have, written and read back. All the lab's hosts share one clock: no allowance.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLogTexts } from '../../src/check/check-logs.ts';
import { splitRuns, type NodeHistory } from '../../src/check/histories.ts';
import type { Lease } from '../../src/check/leases.ts';
import { logLinesOf } from '../../src/check/log-lines.ts';
import { formatReport } from '../../src/check/report.ts';
import { checkHistories, violationCount, type Verdict } from '../../src/check/verdict.ts';
import type { NetnsLab as Lab } from '../../src/lab/netns-lab.ts';

const ONE_CLOCK = { maxClockOffsetMs: 0 };

/** Each host's processes as a history; a process still running ends now. */
function labHistories(lab: Lab): NodeHistory[] {
  return lab.nodes
    .filter((node) => node.runs.some((run) => run.events.length > 0))
    .map((node) => {
      const runs = node.runs
        .filter((run) => run.events.length > 0)
        .flatMap((run, index) => splitRuns(logLinesOf(run.events, `n${node.id} run ${index + 1}`), run.exitedAt ?? Date.now()));
      const id = runs[0]!.id;
      return { id, label: id === node.id ? `n${id}` : `n${id} on host ${node.id}`, runs };
    });
}

function verdictOf(lab: Lab): Verdict {
  return checkHistories(labHistories(lab), ONE_CLOCK);
}

/** No two nodes' leases overlap in time; returns the leases. */
export function assertNoOverlap(lab: Lab): Lease[] {
  const verdict = verdictOf(lab);
  assert.deepEqual(verdict.overlaps.map((o) => `${o.a.node} (term ${o.a.term}) and ${o.b.node} (term ${o.b.term}) both led between ${o.from} and ${o.to}`), []);
  assert.deepEqual(verdict.sharedTerms.map((s) => `${s.a.node} and ${s.b.node} both elected for term ${s.term}`), []);
  return verdict.leases;
}

/** Across all its processes, a node's term never goes back and it votes once per term. */
export function assertDurableTermsAndVotes(lab: Lab): void {
  const verdict = verdictOf(lab);
  assert.deepEqual(verdict.termRegressions.map((r) => `${r.node}'s term went from ${r.fromTerm} to ${r.toTerm} (${r.kind}, ${r.after.event})`), []);
  assert.deepEqual(verdict.doubleVotes.map((v) => `${v.node} voted for n${v.first.candidate} and n${v.second.candidate} in term ${v.forTerm}`), []);
}

/**
 * What `conclave check` would say of the files the nodes' `--json` output went to: each host's
 * processes one after the other in one file, read back and checked. No violation, or the report.
 */
export function assertLogFilesPass(lab: Lab): Verdict {
  const dir = join(lab.dir, 'logs');
  mkdirSync(dir, { recursive: true });
  const files = lab.nodes.map((node) => {
    const path = join(dir, `n${node.id}.jsonl`);
    writeFileSync(path, node.runs.flatMap((run) => run.events.map((event) => `${JSON.stringify(event)}\n`)).join(''));
    return path;
  });
  const verdict = checkLogTexts(files.map((path) => ({ name: path, text: readFileSync(path, 'utf8') })), ONE_CLOCK);
  assert.equal(violationCount(verdict), 0, formatReport(verdict));
  return verdict;
}
