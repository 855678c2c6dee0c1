/**
 * The check of an observer's recording (`conclave watch --record`) on hand-made recordings: two
 * nodes heard leading one term is a violation; a failover, and a handover whose two leaders'
 * beats overlap by less than a member beat, are clean, with their durations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../src/cli/check-command.ts';
import { isRecordingText, parseRecordingText } from '../../src/check/recording-lines.ts';
import { checkRecording, recordingViolations } from '../../src/check/recording-verdict.ts';
import { EventLog } from '../helpers/event-log.ts';
import { REC_T0, cleanFailover, twoLeadersInOneTerm } from '../helpers/watch-recording.ts';

const check = (text: string) => checkRecording(parseRecordingText(text, 'watch.jsonl'), 'watch.jsonl');
const iso = (ms: number): string => new Date(REC_T0 + ms).toISOString();

describe('conclave check on an observer\'s recording', () => {
  it('tells a recording from a node\'s log by its first line', () => {
    assert.equal(isRecordingText(`\n${cleanFailover().text}`), true);
    assert.equal(isRecordingText(new EventLog(1).started(0, 0).text), false);
  });

  it('a clean failover and handover: no violation, each change timed, the gaps without a coordinator', () => {
    const verdict = check(cleanFailover().text);
    assert.equal(recordingViolations(verdict), 0);
    assert.equal(verdict.memberBeatMs, 1000);
    assert.deepEqual(verdict.leads.map((l) => [l.node, l.term, l.from - REC_T0, l.to - REC_T0, l.ending]), [
      [1, 1, 0, 2000, 'silent'],
      [2, 2, 3100, 5400, 'stepped-down'],
      [3, 3, 5000, 6000, 'recording-ended'],
    ]);
    assert.deepEqual(verdict.withinAllowance.map((o) => [o.a.node, o.b.node, o.durationMs]), [[2, 3, 400]]);
    assert.deepEqual(verdict.changes.map((c) => [c.previous?.node ?? null, c.next.node, c.afterMs]), [[null, 1, 0], [1, 2, 1100], [2, 3, -400]]);
    assert.deepEqual(verdict.leaderless.map((s) => [s.from - REC_T0, s.to - REC_T0]), [[2000, 3100]]);
    const { output, code } = runCheck(['watch.jsonl'], () => cleanFailover().text);
    assert.equal(code, 0);
    assert.match(output, /Safety: no violation heard\./);
    assert.match(output, /The observer's view/);
    assert.match(output, new RegExp(`failover: n1 → n2, term 2, first leader beat at ${iso(3100)}, 1100 ms after n1's last leader beat`));
    assert.match(output, /Without a coordinator heard: 1100 ms in 1 stretch/);
  });

  it('two nodes heard leading one term: a violation (exit 1), whatever the allowance', () => {
    const verdict = check(twoLeadersInOneTerm().text);
    assert.equal(recordingViolations(verdict), 1);
    assert.deepEqual(verdict.sameTerm.map((o) => [o.a.node, o.b.node, o.a.term, o.durationMs]), [[2, 1, 2, 300]]);
    const { output, code } = runCheck(['watch.jsonl'], () => twoLeadersInOneTerm().text);
    assert.equal(code, 1);
    assert.match(output, /ONE TERM, TWO COORDINATORS: n2 and n1 both sent leader beats for term 2, at once for 300 ms/);
  });

  it('a record line without a field the check reads stops it, naming the file and line', () => {
    const text = cleanFailover().text.replace('"term":2,', '');
    assert.throws(() => runCheck(['watch.jsonl'], () => text), /watch\.jsonl:7: a record line needs "term" \(number\), found none/);
  });

  it('a recording and nodes\' logs together: each is reported, the exit status is the worse', () => {
    const log = new EventLog(1).started(0, 0).elected(500, 1).demoted(900, 1, 'stopping');
    const texts: Record<string, string> = { 'n1.log': log.text, 'watch.jsonl': twoLeadersInOneTerm().text };
    const { output, code } = runCheck(['n1.log', 'watch.jsonl'], (path) => texts[path]!);
    assert.equal(code, 1);
    assert.match(output, /^1 node \(n1\)/);
    assert.match(output, /Observer's recording watch\.jsonl/);
  });
});
