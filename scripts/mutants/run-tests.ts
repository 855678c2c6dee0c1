import { spawn, type ChildProcess } from 'node:child_process';

export interface TestRun {
  passed: boolean;
  timedOut: boolean;
  ms: number;
  /** The run's output, for a baseline that fails. */
  output: string;
  /** The names of the tests (and suites) that failed, as the dot reporter lists them. */
  failed: string[];
}

const FAILED_LINE = /^✖ (.*) \([\d.]+m?s\)$/gm;

/** Test runs in flight, so that Ctrl-C can end them (each with the test files it started). */
const running = new Set<ChildProcess>();

/**
 * Runs test files with node's test runner in `cwd`, in a process group of its own so that a
 * timeout ends the runner and the test processes it started.
 */
export function runTests(cwd: string, files: readonly string[], namePattern: string | undefined, timeoutMs: number): Promise<TestRun> {
  const args = ['--import', 'tsx', '--test', '--test-reporter=dot'];
  if (namePattern !== undefined) args.push(`--test-name-pattern=${namePattern}`);
  const startMs = performance.now();
  const child = spawn(process.execPath, [...args, ...files], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    endGroup(child);
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      const failed = [...new Set([...output.matchAll(FAILED_LINE)].map((match) => match[1]!))];
      resolve({ passed: code === 0 && !timedOut, timedOut, ms: performance.now() - startMs, output, failed });
    });
  });
}

/** Ends every test run this process started. */
export function endAllRuns(): void {
  for (const child of running) endGroup(child);
}

function endGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
