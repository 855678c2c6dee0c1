/**
 * Runs the test suite (`npm run test:run`, or the files given) N times in a row while another
 * process keeps one core busy, and says which runs failed and which tests failed in them
 * (issue 23: "the suite passes 10 times in a row while another process keeps one core busy").
 *
 *   node --import tsx scripts/under-load.ts [--runs N] [--log-dir DIR] [test files…]
 *
 * The busy process is this script's own child, stopped by its PID at the end, also on failure or
 * Ctrl-C. Each run's TAP output is kept in the log directory, for the failures' details.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = new URL('../', import.meta.url).pathname;

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, 'log-dir': { type: 'string' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
  console.error(`--runs must be an integer from 1 to 100, not ${values.runs}`);
  process.exit(2);
}
const logDir = values['log-dir'] ?? mkdtempSync(join(tmpdir(), 'conclave-under-load-'));
mkdirSync(logDir, { recursive: true });
/** Every `*.test.ts` one folder below test/, as npm's shell expands `test:run`'s glob (Node 20's runner takes none). */
function suiteFiles(): string[] {
  const testDir = join(ROOT, 'test');
  return readdirSync(testDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(join(testDir, dir.name)).filter((name) => name.endsWith('.test.ts')).map((name) => `test/${dir.name}/${name}`))
    .sort();
}
const files = positionals.length > 0 ? positionals : suiteFiles();

// One core kept busy: a loop that never yields, in a child of its own.
const busy: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
/** The test run in progress, stopped with the busy loop if this script is stopped. */
let running: ChildProcess | null = null;
const stopBusy = (): void => {
  if (busy.exitCode === null && busy.signalCode === null) busy.kill('SIGKILL');
};
process.on('exit', () => {
  stopBusy();
  // The runner stops its test files, and they their labs (each test's own cleanup).
  if (running !== null && running.exitCode === null) running.kill('SIGTERM');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** One run of the test runner, its output kept whole (TAP); the runner's own child, awaited. */
function runTests(testFiles: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...testFiles], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (status) => resolve({ status, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

const results: Array<{ run: number; ok: boolean; seconds: number; failed: string[]; load: string }> = [];
for (let run = 1; run <= runs; run++) {
  const startedMs = Date.now();
  const result = await runTests(files);
  const seconds = (Date.now() - startedMs) / 1000;
  const tap = result.output;
  writeFileSync(join(logDir, `run-${run}.tap`), tap);
  // The failed leaves: "not ok N - name" lines that are not todo and not a suite's summary of them.
  const failed = tap
    .split('\n')
    .filter((line) => /^\s*not ok \d+ - /.test(line) && !/# TODO/.test(line))
    .map((line) => line.trim().replace(/^not ok \d+ - /, ''));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  results.push({ run, ok: result.status === 0, seconds, failed, load });
  console.log(`run ${run}/${runs}: ${result.status === 0 ? 'pass' : `FAIL (exit ${result.status})`} in ${seconds.toFixed(0)} s, load ${load}${failed.length > 0 ? `\n  failed: ${failed.join('\n  failed: ')}` : ''}`);
}
stopBusy();
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} of ${runs} runs passed beside a busy core; logs in ${logDir}`);
process.exit(passed === runs ? 0 : 1);
