/**
 * `conclave watch --replay`: a hand-made recording played into the page ends on the recording's
 * last state (cards and verdict), both as the pure Replay and as the command's page, read through
 * the snapshot API as test/watch/watch-page.test.ts reads it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ObserverSnapshot } from '../../src/watch/observer.ts';
import { parseReplayFlags } from '../../src/watch/replay-command.ts';
import { Replay } from '../../src/watch/replay.ts';
import { REC_T0, cleanFailover } from '../helpers/watch-recording.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;

/** At the recording's end: n1 silent (killed), n3 leads term 3, n2 follows it. */
function assertRecordingEnd(snapshot: ObserverSnapshot): void {
  assert.equal(snapshot.nowMs, REC_T0 + 6000);
  assert.deepEqual(snapshot.cards.map((c) => [c.id, c.heard, c.role, c.term, c.leader]), [
    [1, 'silent', 'leader', 1, 1],
    [2, 'live', 'follower', 3, 3],
    [3, 'live', 'leader', 3, 3],
  ]);
  assert.deepEqual(snapshot.view.sides, [{ members: [2, 3], canElect: true, leader: 3, agreed: true }]);
  assert.equal(snapshot.datagrams, 0);
}

describe('conclave watch --replay', () => {
  it('plays each line at its own time and ends on the recording\'s last state', () => {
    const replay = new Replay(cleanFailover().lines, 'watch.jsonl', 1);
    replay.advance(REC_T0 + 3050);
    const midway = replay.snapshot();
    assert.deepEqual(midway.cards.map((c) => c.heard), ['silent', 'live', 'live']);
    assert.deepEqual(midway.view.sides.map((s) => s.leader), [null], 'between n1\'s silence and n2\'s first leader beat');
    replay.advance(REC_T0 + 60_000);
    assert.equal(replay.finished, true);
    assertRecordingEnd(replay.snapshot());
    assert.ok(replay.snapshot().timeline.some((e) => e.kind === 'settled'), 'the failover is timed');
  });

  it('takes only its own flags', () => {
    assert.deepEqual(parseReplayFlags(['--replay', 'a.jsonl', '--speed', '20']), { file: 'a.jsonl', speed: 20, page: { host: '127.0.0.1', port: 0 } });
    assert.throws(() => parseReplayFlags(['--replay', 'a.jsonl', '--speed', '0']), /--speed must be/);
    assert.throws(() => parseReplayFlags(['--replay', 'a.jsonl', '--cluster-size', '3']), /a replay takes only/);
    assert.equal(parseReplayFlags(['--replay', 'a.jsonl', '--help']), null);
  });

  it('as a command: a file it cannot read is exit 2, named', () => {
    const result = spawnSync(process.execPath, [CLI, 'watch', '--replay', '/nonexistent/watch.jsonl'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /conclave: watch: --replay .*ENOENT/);
  });

  it('as a command: serves the page of the recording, faster, and its snapshot ends as the recording does', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conclave-replay-'));
    const file = join(dir, 'watch.jsonl');
    writeFileSync(file, cleanFailover().text);
    const child = spawn(process.execPath, [CLI, 'watch', '--replay', file, '--speed', '20'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      let stderr = '';
      const ended = new Promise<string>((resolve, reject) => {
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          if (stderr.includes('has ended')) resolve(/page: (\S+)/.exec(stderr)![1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const url = await ended;
      const snapshot = (await (await fetch(`${url}api/watch/snapshot`)).json()) as ObserverSnapshot;
      assertRecordingEnd(snapshot);
      assert.match(snapshot.listening, /replay of .*watch\.jsonl \(11 lines\) at 20×, ended/);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
