/**
 * A failing user test leaves nothing behind: its process, with the cluster closed by t.after(),
 * ends on its own (no socket, timer or held input keeps Node's event loop alive, and no
 * process.exit is called), and the state directories are gone. The control forgets close():
 * then the process stays, which shows that the check can fail.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const FIXTURE = new URL('./fixtures/failing-user-test.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
/** Loading tsx, starting three nodes and electing: a few seconds on a loaded machine. */
const EXIT_WITHIN_MS = 20_000;
/** The control must still run this long after its test failed (the cleaned-up run ends in milliseconds then). */
const CONTROL_STAYS_MS = 3000;
const FAILED = /the user assertion failed/;

interface Run {
  code: number | null;
  output: string;
  ms: number;
  leftovers: string[];
}

/**
 * Runs the fixture with a private TMPDIR; stops it (by its PID) if it outlives `limitMs`, or
 * outlives its test's failure by `afterFailureMs`.
 */
function runFixture(env: Record<string, string>, limitMs: number, afterFailureMs = limitMs): Promise<Run> {
  const temp = mkdtempSync(join(tmpdir(), 'conclave-cleanup-'));
  const startedMs = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, env: { ...process.env, ...env, TMPDIR: temp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let afterFailure: NodeJS.Timeout | undefined;
  const take = (chunk: string): void => {
    output += chunk;
    if (afterFailure === undefined && FAILED.test(output)) afterFailure = setTimeout(() => child.kill('SIGKILL'), afterFailureMs);
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(limit);
      clearTimeout(afterFailure);
      // tsx keeps its cache in TMPDIR too: only the kit's directories count.
      const leftovers = readdirSync(temp).filter((name) => name.startsWith('conclave-'));
      rmSync(temp, { recursive: true, force: true });
      resolve({ code, output, ms: performance.now() - startedMs, leftovers });
    });
  });
}

describe('a failing user test', () => {
  it('ends by itself once t.after() closed its cluster, leaving no state directory', async () => {
    const run = await runFixture({}, EXIT_WITHIN_MS);
    console.log(`the failing test's process ended by itself after ${run.ms.toFixed(0)} ms`);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, FAILED);
    assert.deepEqual(run.leftovers, []);
  });

  it('control: without close() the process does not end by itself', async () => {
    const run = await runFixture({ FORGET_CLOSE: '1' }, EXIT_WITHIN_MS, CONTROL_STAYS_MS);
    assert.equal(run.code, null, `it ended with ${run.code}: ${run.output}`);
    assert.match(run.output, FAILED);
  });
});
