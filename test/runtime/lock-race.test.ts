/**
 * The data directory's lock under a race: processes that start together on a directory whose
 * lock was left by a dead holder must agree on exactly one winner, every time. Real processes,
 * started at one wall-clock moment, many rounds.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';

const RACER = new URL('./lock-racer.ts', import.meta.url).pathname;
const RACERS = 3;
const ROUNDS = 200;

interface Racer {
  child: ChildProcessByStdio<Writable, Readable, null>;
  next(): Promise<string>;
}

function startRacer(): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exited ${code ?? signal}`)));
  return {
    child,
    next: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      const answer = new Promise<string>((resolve) => waiting.push(resolve));
      return Promise.race([answer, exited, timeout(30_000, 'no answer from a racer within 30 s')]);
    },
  };
}

function timeout(ms: number, why: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(why)), ms).unref());
}

describe('data directory lock', () => {
  it(`has exactly one winner when ${RACERS} processes take over a dead holder's lock together (${ROUNDS} rounds)`, async () => {
    const base = mkdtempSync(join(tmpdir(), 'conclave-lock-race-'));
    const racers: Racer[] = [];
    try {
      for (let i = 0; i < RACERS; i++) racers.push(startRacer());
      for (const racer of racers) assert.equal(await racer.next(), 'ready');

      // The lock a crashed node leaves: one racer takes the directory and is killed holding it.
      const crashed = join(base, 'crashed');
      const victim = racers.pop()!;
      victim.child.stdin.write(`go ${crashed} ${Date.now()}\n`);
      assert.equal(await victim.next(), 'won');
      victim.child.kill('SIGKILL');
      await new Promise((resolve) => victim.child.once('exit', resolve));
      racers.push(startRacer());
      assert.equal(await racers.at(-1)!.next(), 'ready');
      // And one an older version left: a file naming a dead PID.
      const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

      for (let round = 0; round < ROUNDS; round++) {
        const dir = join(base, `round-${round}`);
        if (round % 2 === 0) cpSync(crashed, dir, { recursive: true });
        else {
          mkdirSync(dir);
          writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: dead, started: 1, machineBoot: null }));
        }
        const at = Date.now() + 50;
        for (const racer of racers) racer.child.stdin.write(`go ${dir} ${at}\n`);
        const answers = await Promise.all(racers.map((racer) => racer.next()));
        const winners = answers.filter((answer) => answer === 'won').length;
        assert.equal(winners, 1, `round ${round}: ${winners} winners: ${answers.join(' | ')}`);
        for (const answer of answers.filter((a) => a !== 'won')) {
          assert.match(answer, /^lost .*is in use by another conclave process \(PID \d+\)/, `round ${round}`);
        }
        for (const racer of racers) racer.child.stdin.write('release\n');
        for (const racer of racers) assert.equal(await racer.next(), 'released');
      }
    } finally {
      for (const racer of racers) racer.child.kill('SIGKILL');
      rmSync(base, { recursive: true, force: true });
    }
  });
});
