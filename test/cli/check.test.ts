/**
 * `conclave check` as a process (dist/): its report on stdout, and the exit status a CI reads:
 * 0 clean, 1 a safety violation, 2 a bad flag or a file it cannot read (named, one line).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EventLog } from '../helpers/event-log.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function check(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, input });
}

/** Writes n1..n3's logs of a cold start and of n2 elected at `n2ElectedMs` after n3's lease ended at 3000. */
function writeLogs(name: string, n2ElectedMs: number): string[] {
  const logs = [
    new EventLog(1).started(0, 0).follows(520, 1, 3).follows(n2ElectedMs + 20, 2, 2).at(5000, 'stopped', { term: 2 }),
    new EventLog(2).started(0, 0).follows(515, 1, 3).elected(n2ElectedMs, 2, 'failover').demoted(5000, 2, 'stopping'),
    new EventLog(3).started(0, 0).elected(500, 1).demoted(3000, 1),
  ];
  return logs.map((log) => {
    const file = `${name}-n${log.id}.jsonl`;
    writeFileSync(join(dir, file), log.text);
    return file; // relative to the check's working directory, as a user would name it
  });
}

function assertOneLine(stderr: string, expected: RegExp, hint: boolean): void {
  assert.match(stderr, expected);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.equal(stderr.trim().split('\n').length, hint ? 2 : 1, stderr);
  if (hint) assert.match(stderr, /see 'conclave check --help'/);
}

describe('conclave check', () => {
  it('a clean log: the report, exit 0', () => {
    const { status, stdout, stderr } = check(writeLogs('clean', 3100));
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^3 nodes \(n1, n2, n3\), 3 runs, 11 lines/);
    assert.match(stdout, /^Safety: no violation\.$/m);
    assert.match(stdout, /failover: n3 → n2, term 2, elected at .*, 100 ms after n3's lease ended/);
  });

  it('an overlap: exit 1; within a larger clock allowance, exit 0', () => {
    const files = writeLogs('overlap', 2900);
    const strict = check(files);
    assert.equal(strict.status, 1, strict.stderr);
    assert.match(strict.stdout, /n3 term 1: elected \(cold-start\) at \S+ \(overlap-n3\.jsonl:2\)/);
    assert.match(strict.stdout, /OVERLAP: two coordinators at once for 100 ms, beyond the 50 ms clock allowance: n3 and n2 both led/);
    const lenient = check(['--max-clock-offset-ms', '150', ...files]);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.match(lenient.stdout, /Within the clock allowance, not a violation/);
  });

  it('reads a log that Windows PowerShell wrote (UTF-16 with a byte-order mark), and one in UTF-8 with a mark', () => {
    const text = new EventLog(1).started(0, 0).elected(10, 1).demoted(900, 1, 'stopping').text;
    writeFileSync(join(dir, 'powershell.jsonl'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    writeFileSync(join(dir, 'notepad.jsonl'), `\uFEFF${text}`);
    for (const file of ['powershell.jsonl', 'notepad.jsonl']) {
      const { status, stdout, stderr } = check([file]);
      assert.equal(status, 0, stderr);
      assert.match(stdout, /^1 node \(n1\), 1 run, 3 lines/);
    }
  });

  it('reads standard input as -', () => {
    const log = new EventLog(1).started(0, 0).elected(10, 1).demoted(900, 1, 'stopping');
    const { status, stdout } = check(['-'], log.text);
    assert.equal(status, 0);
    assert.match(stdout, /n1 term 1: elected \(cold-start\) at .* \(\(stdin\):2\)/);
  });

  it('a file it cannot read or parse: exit 2, naming the file (and line)', () => {
    const missing = check([join(dir, 'nowhere.jsonl')]);
    assert.equal(missing.status, 2);
    assertOneLine(missing.stderr, /^conclave: check: .*nowhere\.jsonl: cannot read it \(ENOENT\)$/m, false);
    const garbled = join(dir, 'garbled.jsonl');
    writeFileSync(garbled, `${new EventLog(1).started(0, 0).text}n1 is the leader\n`);
    const bad = check([garbled]);
    assert.equal(bad.status, 2);
    assertOneLine(bad.stderr, /^conclave: check: .*garbled\.jsonl:2: not a JSON line \(was the node run with --json\?\): n1 is the leader$/m, false);
  });

  it('a bad flag or no file: exit 2, naming it', () => {
    const bad = check(['--max-clock-offset-ms', 'soon', 'x.jsonl']);
    assert.equal(bad.status, 2);
    assertOneLine(bad.stderr, /^conclave: check: --max-clock-offset-ms must be an integer from 0 to 60000 \(ms\), not "soon"$/m, true);
    const unknown = check(['--frobnicate', 'x.jsonl']);
    assert.equal(unknown.status, 2);
    assertOneLine(unknown.stderr, /^conclave: check: Unknown option '--frobnicate'/m, true);
    const none = check([]);
    assert.equal(none.status, 2);
    assertOneLine(none.stderr, /^conclave: check: no log files given$/m, true);
    const help = check(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: conclave check <file…>/);
  });
});
