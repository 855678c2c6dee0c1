/**
 * Quitting the desktop app, from wherever it is asked: the launcher's quit channel, a signal,
 * Electron's own quit (its menu, the window closed, the system). Where a node runs, the quit is
 * put off until it has resigned and stopped; before Electron is ready it reports itself and exits
 * 1, so that a quit nobody meant (Electron's ended stdin on Windows was one) is never a silent 0.
 *
 * Signals, where Electron delivers them. On Linux and macOS Electron installs its own SIGINT,
 * SIGTERM and SIGHUP handlers once the main script has run (electron/electron
 * shell/browser/electron_browser_main_parts.cc, PostCreateMainMessageLoop →
 * InstallShutdownSignalHandlers), replacing the handler libuv installed for our `process.on`:
 * ours never fires. Electron's handler calls Browser::Quit, which is `app.quit()`: before-quit
 * fires, and that is where the first signal arrives. It also resets the signal to its default
 * action ("We had one shot at graceful shutdown", electron_browser_main_parts_posix.cc,
 * GracefulShutdownHandler), so a second Ctrl-C would kill the node in the middle of its
 * resignation. So when a quit starts, our listeners are removed and added again: libuv installs
 * its handler again when a signal's first listener is added (src/unix/signal.c,
 * uv__signal_start), and the second signal reaches us. It is then answered with a line and a
 * bounded wait, not a kill. Under plain Node (the tests' stand-ins, Windows' console Ctrl-C) the
 * listeners simply fire.
 */
import type { Session } from '../session/session.ts';
import type { TextSink } from '../session/output.ts';

export const QUIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type QuitSignal = (typeof QUIT_SIGNALS)[number];

/** Who asked, when nobody of ours did: Electron's app.quit() has many callers. */
export const ELECTRON_QUIT = "Electron's quit (its menu, the system, or a signal Electron handled)";

interface Preventable {
  preventDefault(): void;
}

export interface QuitShell {
  exit(code: number): void;
  quit(): void;
  onBeforeQuit(listener: (event: Preventable) => void): void;
  onWindowAllClosed(listener: () => void): void;
}

export interface SignalSource {
  on(event: QuitSignal, listener: () => void): unknown;
  off(event: QuitSignal, listener: () => void): unknown;
}

export type QuitPhase = 'before-ready' | 'starting-node' | 'running';

export interface QuitOptions {
  shell: QuitShell;
  signals: SignalSource;
  stderr: TextSink;
  phase(): QuitPhase;
  session(): Session | null;
  /** A quit before Electron was ready: say who asked and exit (1). */
  quitBeforeReady(askedBy: string): void;
  /** How long a second signal waits for the resignation before the app exits anyway. */
  secondSignalWaitMs: number;
}

export interface GracefulQuit {
  /** Asks to quit: `source` names who asked (a signal, the launcher). */
  ask(source: string): void;
  /** Who asked first, or null if nobody has. */
  askedBy(): string | null;
}

export function gracefulQuit(options: QuitOptions): GracefulQuit {
  const { shell, signals, stderr } = options;
  let askedBy: string | null = null;
  let stopping: Promise<void> | null = null;
  let stopped = false;
  let waitTimer: NodeJS.Timeout | undefined;
  const listeners = new Map<QuitSignal, () => void>();

  const ask = (source: string): void => {
    askedBy ??= source;
    shell.quit();
  };
  /** Our listeners back in front of whatever Electron left (its default action after one shot). */
  const rearmSignals = (): void => {
    for (const [signal, listener] of listeners) {
      signals.off(signal, listener);
      signals.on(signal, listener);
    }
  };
  const onSignal = (signal: QuitSignal): void => {
    if (stopping === null) return ask(signal);
    if (stopped || waitTimer !== undefined) return;
    const seconds = options.secondSignalWaitMs / 1000;
    stderr.write(`conclave: ${signal} again: the node is still resigning (a coordinator hands over first); waiting for it, at most ${seconds} s\n`);
    waitTimer = setTimeout(() => {
      stderr.write(`conclave: the node did not stop within ${seconds} s of the second ${signal}; exiting without it\n`);
      shell.exit(1);
    }, options.secondSignalWaitMs);
  };
  for (const signal of QUIT_SIGNALS) {
    const listener = (): void => onSignal(signal);
    listeners.set(signal, listener);
    signals.on(signal, listener);
  }

  shell.onBeforeQuit((event) => {
    askedBy ??= ELECTRON_QUIT;
    if (stopped) return;
    const phase = options.phase();
    if (phase === 'before-ready') {
      event.preventDefault();
      return options.quitBeforeReady(askedBy);
    }
    // Starting: put off, and carried out once the node can resign (runDesktopApp asks again).
    event.preventDefault();
    const session = options.session();
    if (phase === 'starting-node' || session === null) return;
    if (stopping !== null) return;
    rearmSignals();
    stopping = session
      .stop()
      .catch((error: unknown) => {
        stderr.write(`conclave: stopping failed: ${(error as Error).message}\n`);
      })
      .finally(() => {
        stopped = true;
        clearTimeout(waitTimer);
        shell.quit();
      });
  });
  shell.onWindowAllClosed(() => ask('the window was closed'));
  return { ask, askedBy: () => askedBy };
}
