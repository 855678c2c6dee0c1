/**
 * The desktop app's life, apart from Electron: its flags, start-up errors, crashes, suspend and
 * resume, App Nap, and quitting when asked. electron/main.ts adapts Electron's `app` to a
 * DesktopShell and calls runDesktopApp; the tests give it a shell of their own, so every exit
 * path is ours to test although Electron's binary cannot run here.
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ResignReason } from '../core/index.ts';
import { eventPrinter, type TextSink } from '../session/output.ts';
import { RUN_USAGE, parseRunFlags, type RunSettings } from '../session/run-command.ts';
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { clusterFileLine } from '../session/cluster-file-flags.ts';
import { startSession, type Session } from '../session/session.ts';
import { startupFailure, usageFailure, type StartupFailure } from '../session/startup-failure.ts';
import { DEFAULT_CLUSTER } from '../runtime/options.ts';
import { splitDesktopSwitches } from './desktop-switches.ts';
import { reportLine, takeLaunchChannel, watchQuitCommands, type LaunchReport } from './launch-channel.ts';
import { gracefulQuit, type QuitPhase, type QuitSignal } from './graceful-quit.ts';
import { takeQuitPipe, watchQuitPipe } from './quit-pipe.ts';

/** After a second stop signal, how long the resignation may still take beyond the hooks' timeout. */
export const SECOND_SIGNAL_GRACE_MS = 2_000;

export const APP_NAME = 'Conclave';

type PowerEvent = 'suspend' | 'resume' | 'shutdown';
interface Preventable {
  preventDefault(): void;
}

/** The parts of Electron the app's life depends on (electron/main.ts maps each to Electron's). */
export interface DesktopShell {
  readonly platform: NodeJS.Platform;
  /** app.getPath('appData'): where each app keeps its folder. */
  appDataDir(): string;
  /** Before ready: app.setName and app.setPath('userData'), so windows of two IDs never share one. */
  setIdentity(name: string, userDataDir: string): void;
  whenReady(): Promise<void>;
  /** The window over the node; called once, after ready. */
  openWindow(session: Session): void;
  /** app.exit: closes the windows and exits without before-quit, but only schedules it and returns. */
  exit(code: number): void;
  /** app.quit: emits before-quit, which may put the quit off. */
  quit(): void;
  onBeforeQuit(listener: (event: Preventable) => void): void;
  onWindowAllClosed(listener: () => void): void;
  /** powerMonitor's events; `shutdown` (Linux, macOS) may be put off with preventDefault. */
  onPower(event: PowerEvent, listener: (event: Preventable) => void): void;
  /** powerSaveBlocker.start('prevent-app-suspension'); returns its stop. */
  preventAppSuspension(): () => void;
}

/** The process the app runs in: Electron's main process, or a test's stand-in. */
export interface DesktopProcess {
  /** The arguments after the main script: the node's flags and Electron's switches. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdin: Readable;
  on(event: QuitSignal, listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: QuitSignal, listener: () => void): unknown;
}

/** This process as the app sees it (Electron's main process, or a stand-in for it): `args` after the script. */
export function thisProcess(args: readonly string[]): DesktopProcess {
  return {
    args,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    on: (event: string, listener: (...values: unknown[]) => void) => process.on(event, listener),
    off: (event: QuitSignal, listener: () => void) => process.off(event, listener),
  };
}

/** Chromium's profile (cache, local storage) per cluster and node ID, like the node's own state. */
export function userDataDir(appDataDir: string, settings: RunSettings): string {
  return join(appDataDir, APP_NAME, `${settings.node.cluster ?? DEFAULT_CLUSTER}-${settings.node.id}`);
}

/**
 * Runs the app until it has started its node (or decided to exit). Never continues past an exit:
 * Electron's exit only schedules it, so each exit path returns instead.
 */
export async function runDesktopApp(shell: DesktopShell, proc: DesktopProcess): Promise<void> {
  const launched = takeLaunchChannel(proc.env);
  const quitPipe = takeQuitPipe(proc.env);
  const report = (line: LaunchReport): void => {
    if (launched) proc.stderr.write(reportLine(line));
  };
  let session: Session | null = null;
  let exiting = false;
  /** Before the node runs: say why, tell the launcher this is no Electron failure, exit. */
  const exitEarly = (failure: StartupFailure | { code: 0 }): void => {
    if ('message' in failure) proc.stderr.write(`conclave: ${failure.message}\n`);
    report({ type: 'exiting', code: failure.code });
    exitNow(failure.code);
  };
  const exitNow = (code: number): void => {
    exiting = true;
    shell.exit(code);
  };

  // A crash stops the node at once, as under `conclave run`: Electron's own handler would show a
  // dialog and keep a broken node voting. Paused, it neither sends nor hears; exit closes it.
  const crash = (error: unknown): void => {
    proc.stderr.write(`conclave: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (exiting) return;
    session?.node.pause();
    if (session === null) report({ type: 'exiting', code: 1 });
    exitNow(1);
  };
  proc.on('uncaughtException', crash);
  proc.on('unhandledRejection', crash);

  const { flags } = splitDesktopSwitches(proc.args);
  let settings: RunSettings | null;
  try {
    settings = parseRunFlags(flags, proc.env);
  } catch (error) {
    if (!isConclaveError(error, ConclaveErrorCode.Usage)) throw error;
    return exitEarly(usageFailure(error));
  }
  if (settings === null) {
    proc.stdout.write(`${RUN_USAGE}\n`);
    return exitEarly({ code: 0 });
  }
  if (settings.clusterFile !== null) proc.stderr.write(`conclave: ${clusterFileLine(settings.clusterFile)}\n`);
  if (settings.keyWarning !== null) proc.stderr.write(`conclave: warning: ${settings.keyWarning}\n`);
  shell.setIdentity(APP_NAME, userDataDir(shell.appDataDir(), settings));

  let phase: QuitPhase = 'before-ready';
  const quitting = gracefulQuit({
    shell,
    signals: proc,
    stderr: proc.stderr,
    phase: () => phase,
    session: () => session,
    quitBeforeReady: (askedBy) => {
      if (exiting) return;
      exitEarly({ code: 1, message: `asked to quit before the node started, by ${askedBy}; exiting 1` });
    },
    secondSignalWaitMs: settings.hookTimeoutMs + SECOND_SIGNAL_GRACE_MS,
  });
  if (launched && quitPipe !== null) watchQuitPipe(quitPipe, (why) => quitting.ask(why));
  // Electron on Windows gives the app an ended stdin (./quit-pipe.ts): read, it would quit at once.
  else if (launched && shell.platform !== 'win32') watchQuitCommands(proc.stdin, () => quitting.ask('the launcher (on stdin)'));

  await shell.whenReady();
  if (exiting) return;
  phase = 'starting-node';
  const print = eventPrinter(settings.json, proc.stdout, proc.stderr);
  try {
    session = await startSession(settings, print, () => exitNow(1));
  } catch (error) {
    const failure = startupFailure(error, settings);
    if (failure === null) throw error;
    return exitEarly(failure);
  }
  if (exiting) return;
  phase = 'running';
  report({ type: 'started' });
  shell.openWindow(session);
  followPower(shell, session.node);
  // A quit asked for while the node was starting is carried out now that it can resign.
  if (quitting.askedBy() !== null) shell.quit();
}

/**
 * Suspend: resign, then pause. Electron lets the machine sleep as soon as the handler returns
 * (on Linux it holds the suspend-delay lock only that long), and a node left running would be
 * re-elected right away as the highest ID, then vanish mid-lease. Resume undoes only our pause.
 * On macOS, App Nap would throttle the main process's timers in a hidden window: heartbeats
 * late, a lease lost; the blocker keeps the app awake (not the display, not a lid-close sleep).
 */
function followPower(shell: DesktopShell, node: Session['node']): void {
  let pausedBySuspend = false;
  shell.onPower('suspend', () => {
    node.resign(ResignReason.Suspending);
    if (node.paused) return;
    node.pause();
    pausedBySuspend = true;
  });
  shell.onPower('resume', () => {
    if (!pausedBySuspend) return;
    pausedBySuspend = false;
    node.resume();
  });
  shell.onPower('shutdown', (event) => {
    event.preventDefault();
    shell.quit();
  });
  // Released with the process: a quitting app has nothing left to keep awake.
  if (shell.platform === 'darwin') shell.preventAppSuspension();
}
