/**
 * Start-up of each form Conclave is installed in: from spawning `conclave run --json` to its
 * first line (the `started` event), one process at a time, and --together processes started at
 * once (until the last has printed its first line: a lab that boots at once). The forms take turns
 * (A B C A B C …), so that a machine whose load drifts weighs on each alike; medians are quoted.
 * Wall time on a shared machine follows its load: the CPU time a process had used by its first
 * line (user + system, from /proc, in 10-ms ticks) does much less.
 * One-node clusters on loopback without multicast; their only seed is a port nobody listens on;
 * each process is killed by its PID at its first line.
 *
 *   node --import tsx bench/first-line.ts                        # dist/ and the bundle on this node, the Linux executable if built
 *   node --import tsx bench/first-line.ts --form 'npm=node /tmp/p/bin/conclave' --runs 20 --together 25
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFlags, wholeNumber } from './flags.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const values = benchFlags('first-line', {
  form: { type: 'string', multiple: true },
  runs: { type: 'string', default: '15' },
  together: { type: 'string', default: '25' },
  'together-runs': { type: 'string', default: '3' },
});
const runs = wholeNumber('first-line', 'runs', values.runs, 1, 200);
const together = wholeNumber('first-line', 'together', values.together, 0, 50);
const togetherRuns = wholeNumber('first-line', 'together-runs', values['together-runs'], 1, 20);
const TICK_MS = 10;

/** Each form's command line before `run …`, by label. */
function forms(): Array<{ label: string; command: string[] }> {
  if (values.form !== undefined) {
    return values.form.map((form) => {
      const at = form.indexOf('=');
      return { label: form.slice(0, at), command: form.slice(at + 1).split(' ').filter(Boolean) };
    });
  }
  const chosen = [
    { label: `node ${process.version} dist/cli/main.js`, command: [process.execPath, join(ROOT, 'dist/cli/main.js')] },
    { label: `node ${process.version} bundle (release/.build/conclave.cjs)`, command: [process.execPath, join(ROOT, 'release/.build/conclave.cjs')] },
    { label: 'single executable (release/conclave-linux-x64)', command: [join(ROOT, 'release/conclave-linux-x64')] },
  ];
  return chosen.filter((form) => existsSync(form.command.at(-1)!));
}

const dir = mkdtempSync(join(tmpdir(), 'conclave-first-line-'));
let started = 0;

/** CPU time (user + system) process `pid` has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime: the 14th and 15th fields, the 12th and 13th after the command's name.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** From spawning `command run …` to its first line on stdout: wall and CPU milliseconds. */
function firstLine(command: string[]): Promise<{ wallMs: number; cpuMs: number }> {
  const flags = ['run', '--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0', '--data-dir', join(dir, `n${++started}`), '--json'];
  const t0 = performance.now();
  const child = spawn(command[0]!, [...command.slice(1), ...flags], { env: { ...process.env, CONCLAVE_KEY: '1:0123456789abcdef0123' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let first: { wallMs: number; cpuMs: number } | null = null;
    child.stdout.once('data', () => {
      first = { wallMs: performance.now() - t0, cpuMs: cpuMs(child.pid!) };
      child.kill('SIGKILL');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (first !== null) resolve(first);
      else reject(new Error(`${command.join(' ')} exited (${code}) before its first line: ${err.slice(-500)}`));
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (x: number): string => `${Math.round(x)} ms`;

try {
  const chosen = forms();
  // One start of each not counted: the files are in the page cache for every counted one.
  for (const form of chosen) await firstLine(form.command);
  const one = chosen.map(() => [] as Array<{ wallMs: number; cpuMs: number }>);
  for (let i = 0; i < runs; i++) {
    for (const [f, form] of chosen.entries()) one[f]!.push(await firstLine(form.command));
  }
  const last = chosen.map(() => [] as number[]);
  for (let i = 0; i < (together > 0 ? togetherRuns : 0); i++) {
    for (const [f, form] of chosen.entries()) {
      const all = await Promise.all(Array.from({ length: together }, () => firstLine(form.command)));
      last[f]!.push(Math.max(...all.map((r) => r.wallMs)));
    }
  }
  for (const [f, form] of chosen.entries()) {
    const wall = one[f]!.map((r) => r.wallMs);
    let line = `${form.label}: one at a time ${ms(median(wall))} (${ms(Math.min(...wall))}–${ms(Math.max(...wall))}), CPU ${ms(median(one[f]!.map((r) => r.cpuMs)))}, medians of ${runs}`;
    if (together > 0) line += `; ${together} together: the last after ${ms(median(last[f]!))} (median of ${togetherRuns}: ${last[f]!.map(ms).join(', ')})`;
    console.log(line);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
