/**
 * `npm start`: the desktop app where Electron can run, otherwise the same node headless with its
 * dashboard served to a browser; `--headless` asks for the latter. Either way the user ends up
 * with a working dashboard, and either way a stop request reaches the node as a quit line
 * (launch-channel.ts), since Windows has no signals to forward: on the headless node's stdin,
 * and on the desktop app's quit pipe (quit-pipe.ts), since Electron on Windows has no stdin.
 *
 * Electron is judged by what it reports on the channel, not by whether its binary exists: until
 * it reports, its stderr is held back; if it exits without a report it could not run here (its
 * sandbox, root, no display…), and one line says why and how to fix it before the fallback.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.ts';
import { RUN_USAGE, parseRunFlags, type RunSettings } from '../session/run-command.ts';
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { usageFailure } from '../session/startup-failure.ts';
import { splitDesktopSwitches } from './desktop-switches.ts';
import { explainElectronExit, explainSpawnFailure, troubleLine, type ElectronTrouble } from './electron-exit.ts';
import { exitStatus, readLines, signalStatus, waitForExit, type ChildEnd } from './child-end.ts';
import { LAUNCH_CHANNEL_VARIABLE, parseReportLine, type LaunchReport } from './launch-channel.ts';
import { watchStopRequests, type StopRequests } from './stop-requests.ts';
import { openQuitPipe, type QuitPipe } from './quit-pipe.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/conclave.js');
const ELECTRON_MAIN = join(ROOT, 'dist/electron/main.js');

/** How long a child may take to stop after the quit line, beyond its hooks' timeout (a coordinator resigns first). */
export const QUIT_TIMEOUT_MS = 5_000;
/** Chromium may say a lot before it dies; the end is what explains it. */
const HELD_LINES_MAX = 1000;

export interface LaunchOptions {
  /** npm start's arguments: the node's flags, Electron's switches, --headless. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  quitTimeoutMs?: number;
}

/** Resolves to the process's exit status: the child's, once it ran. */
export async function launch(options: LaunchOptions): Promise<number> {
  const { env } = options;
  if (options.argv.includes('--watch')) return watchInWindow(options.argv.filter((arg) => arg !== '--watch'), env);
  const headless = options.argv.includes('--headless');
  const { switches, flags } = splitDesktopSwitches(options.argv.filter((arg) => arg !== '--headless'));
  // A bad flag is named at once, before a window is tried for it.
  let settings: RunSettings | null;
  try {
    settings = parseRunFlags(flags, env);
  } catch (error) {
    if (!isConclaveError(error, ConclaveErrorCode.Usage)) throw error;
    process.stderr.write(`conclave: ${usageFailure(error).message}\n`);
    return 2;
  }
  if (settings === null) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  // A stopping coordinator waits for its demotion hook: the bound leaves it its whole timeout.
  const stop = watchStopRequests(options.quitTimeoutMs ?? QUIT_TIMEOUT_MS + settings.hookTimeoutMs);
  try {
    if (!headless) {
      const desktop = await runDesktop(flags, switches, env, stop);
      if ('status' in desktop) return desktop.status;
      process.stderr.write(troubleLine('conclave', desktop.trouble, 'Running headless: the dashboard URL follows.'));
    }
    if (stop.signal() !== null) return signalStatus(stop.signal()!);
    // Headless, the dashboard is the browser's: on a free port unless one is given.
    const dashboard = flags.some((f) => f === '--dashboard-port' || f.startsWith('--dashboard-port=')) ? [] : ['--dashboard-port', '0'];
    const node = await runOnChannel(process.execPath, [CLI, 'run', ...flags, ...dashboard], env, stop, { name: 'the node', holdUntilReport: false });
    if (node.end.spawnError !== null) {
      process.stderr.write(`conclave: cannot run ${process.execPath}: ${node.end.spawnError.message}\n`);
      return 1;
    }
    return exitStatus(node.end);
  } finally {
    stop.dispose();
  }
}

/** The app's exit status once it reported (or was stopped), else why it could not run. */
async function runDesktop(flags: string[], switches: string[], env: NodeJS.ProcessEnv, stop: StopRequests): Promise<{ status: number } | { trouble: ElectronTrouble }> {
  const electron = findElectron(env, { download: true });
  if (!('binary' in electron)) return { trouble: electron };
  if (stop.signal() !== null) return { status: signalStatus(stop.signal()!) };
  const { binary } = electron;
  // Not its stdin: Electron on Windows replaces it with an ended stream (./quit-pipe.ts).
  const quitPipe = await openQuitPipe();
  let app: ChannelRun;
  try {
    app = await runOnChannel(binary, [ELECTRON_MAIN, ...switches, ...flags], env, stop, { name: 'the desktop app', holdUntilReport: true, quitPipe });
  } finally {
    await quitPipe.close();
  }
  if (app.end.spawnError !== null) return { trouble: explainSpawnFailure(binary, app.end.spawnError) };
  // Stopped while starting: what the user asked for, not a failure to fall back from.
  if (app.report !== null || stop.signal() !== null) return { status: exitStatus(app.end) };
  const { code, signal } = app.end;
  return {
    trouble: explainElectronExit({
      code,
      signal,
      stderr: app.held.join('\n'),
      platform: process.platform,
      uid: process.getuid?.(),
      binary,
      script: 'dist/electron/main.js',
      noSandboxCommand: 'npm start -- --no-sandbox',
    }),
  };
}

interface ChannelRun {
  /** The first report the child made, or null when it made none. */
  report: LaunchReport | null;
  /** Its stderr lines before any report, when held back: shown only once it reports. */
  held: string[];
  end: ChildEnd;
}

async function runOnChannel(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stop: StopRequests,
  how: { name: string; holdUntilReport: boolean; quitPipe?: QuitPipe },
): Promise<ChannelRun> {
  const { quitPipe } = how;
  const child = spawn(command, args, { stdio: [quitPipe === undefined ? 'pipe' : 'ignore', 'inherit', 'pipe'], env: { ...env, ...quitPipe?.env, [LAUNCH_CHANNEL_VARIABLE]: '1' } });
  // It may exit before it reads what it was sent.
  child.stdin?.on('error', () => {});
  let report: LaunchReport | null = null;
  const held: string[] = [];
  let dropped = 0;
  const show = (line: string): void => void process.stderr.write(`${line}\n`);
  const read = readLines(child.stderr!, (line) => {
    const parsed = parseReportLine(line);
    if (parsed !== null) {
      if (report !== null) return;
      report = parsed;
      if (dropped > 0) show(`conclave: (${dropped} earlier lines of ${how.name}'s output were not kept)`);
      for (const kept of held.splice(0)) show(kept);
      return;
    }
    if (report !== null || !how.holdUntilReport) return show(line);
    held.push(line);
    if (held.length > HELD_LINES_MAX) {
      held.shift();
      dropped++;
    }
  });
  stop.watch(child, how.name, quitPipe === undefined ? undefined : () => quitPipe.quit());
  const end = await waitForExit(child, read);
  stop.unwatch();
  return { report, held, end };
}

/**
 * `npm start -- --watch <flags of conclave watch>`: the observer, its page in a desktop window
 * (or a browser), for the teacher's laptop. The observer sends nothing and keeps no state, so a
 * stop is a signal passed on, once: in a process group of its own (POSIX), a terminal's Ctrl-C
 * reaches only this process, since the observer takes a second signal for "exit at once". It
 * closes its window itself.
 */
async function watchInWindow(flags: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const window = flags.includes('--json') || flags.includes('--help') ? [] : ['--window'];
  const child = spawn(process.execPath, [CLI, 'watch', ...flags, ...window], { stdio: 'inherit', env, detached: process.platform !== 'win32' });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  const end = await waitForExit(child, Promise.resolve());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, forward);
  if (end.spawnError !== null) {
    process.stderr.write(`conclave: cannot run ${process.execPath}: ${end.spawnError.message}\n`);
    return 1;
  }
  return exitStatus(end);
}
