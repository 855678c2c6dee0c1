/**
 * The log check on hand-made logs of three nodes: each planted violation is flagged exactly (and
 * nothing else is), an overlap within the clock allowance is not a violation, and a clean log
 * with a cold start and a handover reads as one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLogTexts } from '../../src/check/check-logs.ts';
import { LogReadError } from '../../src/check/log-lines.ts';
import { formatReport } from '../../src/check/report.ts';
import { violationCount, type Verdict } from '../../src/check/verdict.ts';
import { EventLog, T0 } from '../helpers/event-log.ts';

const ALLOWANCE_MS = 50;

/** Three nodes start at 0; n3 is elected in term 1 at 500 and named by the others at 515 and 520. */
function coldStart(): [EventLog, EventLog, EventLog] {
  const n1 = new EventLog(1).started(0, 0).vote(490, 1, 3, 1).follows(520, 1, 3);
  const n2 = new EventLog(2).started(0, 0).vote(495, 1, 3, 1).follows(515, 1, 3);
  const n3 = new EventLog(3).started(0, 0).elected(500, 1);
  return [n1, n2, n3];
}

/** n3's lease ends at 3000 (lease-expired); n2 is elected for term 2 at `electedMs` and leads until 4000. */
function failoverAt(electedMs: number): EventLog[] {
  const [n1, n2, n3] = coldStart();
  n3.demoted(3000, 1);
  n2.vote(electedMs - 50, 1, 2, 2).elected(electedMs, 2, 'failover').demoted(4000, 2, 'stopping');
  n1.follows(electedMs + 30, 2, 2);
  return [n1, n2, n3];
}

function check(logs: EventLog[], maxClockOffsetMs = ALLOWANCE_MS): Verdict {
  return checkLogTexts(logs.map((log) => ({ name: `n${log.id}.log`, text: log.text })), { maxClockOffsetMs });
}

const iso = (ms: number): string => new Date(T0 + ms).toISOString();

describe('conclave check on hand-made logs', () => {
  it('a clean cold start and handover: no violation, each change with its durations', () => {
    const [n1, n2, n3] = coldStart();
    n3.demoted(3000, 1, 'stopping').at(3001, 'stopped', { term: 1 });
    n2.vote(3005, 1, 2, 2).elected(3010, 2, 'resignation').demoted(5000, 2, 'stopping');
    n1.vote(3006, 1, 2, 2).follows(3020, 2, 2).at(5000, 'stopped', { term: 2 });
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 0);
    assert.deepEqual(verdict.leases.map((l) => [l.node, l.term, l.from - T0, l.to - T0, l.ending]), [
      ['n3', 1, 500, 3000, 'demoted'],
      ['n2', 2, 3010, 5000, 'demoted'],
    ]);
    const [cold, handover] = verdict.changes;
    assert.equal(cold!.kind, 'cold start');
    assert.equal(cold!.electedAfterMs, 500);
    assert.equal(cold!.allNamedAfterMs, 520);
    assert.equal(handover!.kind, 'handover');
    assert.equal(handover!.previous?.node, 'n3');
    assert.equal(handover!.electedAfterMs, 10);
    assert.equal(handover!.allNamedAfterMs, 20);
    assert.deepEqual(handover!.neverNamedBy, [], 'n3 had stopped: not counted');
    assert.deepEqual(verdict.leaderless.map((s) => [s.from - T0, s.to - T0]), [[0, 500], [3000, 3010]]);
    const report = formatReport(verdict);
    assert.match(report, /^Safety: no violation\.$/m);
    assert.match(report, new RegExp(`handover: n3 → n2, term 2, elected at ${iso(3010)}, 10 ms after n3's lease ended \\(demoted \\(stopping\\)\\)`));
    assert.match(report, /named by every other node 20 ms after its end \(after the election: n1 \+10 ms\)/);
    assert.match(report, /Without a coordinator: 510 ms in 2 stretches/);
  });

  it('an overlap beyond the clock allowance: flagged with both leases and the exact instants', () => {
    const verdict = check(failoverAt(2800));
    assert.equal(violationCount(verdict), 1);
    const [overlap] = verdict.overlaps;
    assert.deepEqual([overlap!.a.node, overlap!.b.node, overlap!.from - T0, overlap!.to - T0, overlap!.durationMs], ['n3', 'n2', 2800, 3000, 200]);
    const report = formatReport(verdict);
    assert.match(report, /^Safety: 1 VIOLATION\.$/m);
    assert.match(report, new RegExp(`OVERLAP: two coordinators at once for 200 ms, beyond the 50 ms clock allowance: n3 and n2 both led from ${iso(2800)} to ${iso(3000)}`));
    assert.match(report, /n3 term 1: elected \(cold-start\) at .* \(n3\.log:2\), to .* \(n3\.log:3\): demoted \(lease-expired\); 2500 ms/);
    assert.match(report, /failover: n3 → n2, term 2, elected at .*, 200 ms before n3's lease ended/);
  });

  it('an overlap within the clock allowance: reported as such, not a violation', () => {
    const verdict = check(failoverAt(2980));
    assert.equal(violationCount(verdict), 0);
    assert.equal(verdict.withinAllowance.length, 1);
    assert.equal(verdict.withinAllowance[0]!.durationMs, 20);
    assert.match(formatReport(verdict), /Within the clock allowance, not a violation:\n {2}20 ms of overlap, no more than the clocks may differ: n3 and n2 both led/);
    assert.equal(violationCount(check(failoverAt(2980), 10)), 1, 'with a 10 ms allowance it is one');
  });

  it('a stall that let the lease run out: the lease ends when the line says, not at the demotion', () => {
    const [n1, n2, n3] = coldStart();
    n3.at(4000, 'stalled', { term: 1, role: 'leader', leader: 3 }, { durationMs: 2500, wasLeader: true, leaseLost: true, leaseEndedAt: T0 + 2400 }).demoted(4001, 1);
    n2.elected(3500, 2, 'failover');
    n1.follows(3520, 2, 2);
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 0);
    assert.deepEqual([verdict.leases[0]!.to - T0, verdict.leases[0]!.ending], [2400, 'lease-ended']);
  });

  it('a term that went back within a run', () => {
    const [n1, n2, n3] = coldStart();
    n1.at(1000, 'term', { term: 3 }, { previous: 1 }).at(1200, 'leader', { term: 2, leader: 3 }, { previous: null });
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 1);
    const [regression] = verdict.termRegressions;
    assert.deepEqual([regression!.node, regression!.kind, regression!.fromTerm, regression!.toTerm, regression!.after.at.line], ['n1', 'within-run', 3, 2, 5]);
    assert.match(formatReport(verdict), /TERM WENT BACK: n1 went from term 3 \(n1\.log:4\) to term 2 \(n1\.log:5\)/);
  });

  it('a term that went back across a restart: the disk read a lower term than the run before reached', () => {
    const [n1, n2, n3] = coldStart();
    n1.at(1000, 'term', { term: 4 }, { previous: 1 }).started(2000, 2).follows(2100, 4, 3);
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 1);
    assert.deepEqual(verdict.termRegressions.map((r) => [r.node, r.kind, r.fromTerm, r.toTerm]), [['n1', 'restart', 4, 2]]);
    assert.match(formatReport(verdict), /TERM WENT BACK: n1 restarted with term 2 from its disk \(n1\.log:5\), but its earlier run had reached term 4/);
  });

  it('a ZooKeeper node\'s term is its last claim\'s zxid: back to 0 without a claim is no regression', () => {
    const zk = new EventLog(1)
      .at(0, 'started', { term: 0 }, { backend: 'zookeeper://127.0.0.1:2181/conclave?mode=bully', cluster: 'lab' })
      .elected(100, 4294967301)
      .at(900, 'demoted', { term: 4294967301 }, { reason: 'session-expired', leaseTerm: 4294967301, leaseEndedAt: T0 + 800 })
      .at(1000, 'registered', { term: 0 }, { znode: 'c-0000000007' });
    const verdict = check([zk]);
    assert.equal(violationCount(verdict), 0);
    assert.deepEqual([verdict.leases[0]!.to - T0, verdict.leases[0]!.ending], [800, 'lease-ended']);
  });

  it('a vote given twice in a term, across a restart; pre-votes and refusals do not count', () => {
    const [n1, n2, n3] = coldStart();
    n1.vote(600, 1, 2, 2, true, true).vote(700, 1, 3, 2).vote(800, 1, 2, 2, false);
    n1.started(1000, 2).vote(1100, 2, 2, 2);
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 1);
    const [double] = verdict.doubleVotes;
    assert.deepEqual([double!.node, double!.forTerm, double!.first.candidate, double!.second.candidate, double!.acrossRestart], ['n1', 2, 3, 2, true]);
    assert.match(formatReport(verdict), /DOUBLE VOTE: n1 voted in term 2 for n3 at .* \(n1\.log:5\) and for n2 at .* \(n1\.log:8\), after a restart/);
  });

  it('a log that ends while leading: the lease ends at its last line, and the report says so', () => {
    const [n1, n2, n3] = coldStart();
    n3.at(900, 'peer-dead', { term: 1, role: 'leader', leader: 3 }, { peer: 9 });
    n2.elected(2500, 2, 'failover').demoted(4000, 2, 'stopping');
    const verdict = check([n1, n2, n3]);
    assert.equal(violationCount(verdict), 0);
    assert.deepEqual(verdict.cutShort.map((l) => [l.node, l.to - T0]), [['n3', 900]]);
    assert.match(formatReport(verdict), /n3's log ends while it leads \(n3\.log:3, .*\): its lease is taken to end at that last line/);
  });

  it('two processes with one ID at once are two histories; one file may hold several nodes', () => {
    const [n1, n2, n3] = coldStart();
    const twin = new EventLog(3).started(100, 0).at(400, 'alarm', { term: 0 }, { alarm: 'duplicate-id', raised: true });
    const verdict = checkLogTexts([{ name: 'all.log', text: n1.text + n2.text + n3.text }, { name: 'twin.log', text: twin.text }], { maxClockOffsetMs: ALLOWANCE_MS });
    assert.deepEqual(verdict.histories.map((h) => h.label), ['n1', 'n2', 'n3', 'n3#2']);
    assert.equal(violationCount(verdict), 0);
  });

  it('the largest apparent clock offset: a vote logged later than the election it made', () => {
    const [n1, n2, n3] = coldStart();
    n3.demoted(2000, 1);
    n1.vote(3080, 1, 2, 2).follows(3100, 2, 2).at(5000, 'stopped', { term: 2 });
    n2.vote(2990, 1, 2, 2).elected(3000, 2, 'failover', [1, 2]).demoted(5000, 2, 'stopping');
    const verdict = check([n1, n2, n3]);
    assert.equal(verdict.apparentOffset?.offsetMs, 80);
    assert.match(formatReport(verdict), /n1's clock leads n2's by at least 80 ms \(its vote for n2 in term 2, n1\.log:4, is later than the election, n2\.log:5\)\.\n {2}WARNING: that is more than the allowance/);
    assert.equal(violationCount(verdict), 0, 'a warning, not a violation');
  });

  it('a line it cannot read: the file and line, and why', () => {
    const read = (text: string) => () => checkLogTexts([{ name: 'n1.log', text }], { maxClockOffsetMs: ALLOWANCE_MS });
    assert.throws(read(`${new EventLog(1).started(0, 0).text}n1 follower term 1\n`), (e: unknown) => e instanceof LogReadError && /^n1\.log:2: not a JSON line \(was the node run with --json\?\)/.test(e.message));
    assert.throws(read('{"ts":1,"event":"vote","id":1,"role":"follower","term":1,"leader":null}\n'), { message: 'n1.log:1: a "vote" line needs "candidate" (number), found none' });
    assert.throws(read('{"ts":"now","event":"leader","id":1}\n'), { message: 'n1.log:1: an event line needs "ts" (number), found "now"' });
  });
});
