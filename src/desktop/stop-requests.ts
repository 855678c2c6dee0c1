/**
 * Stop requests to `npm start` (SIGINT, SIGTERM, SIGHUP; on Windows a console Ctrl-C) become one
 * quit line to the running child (on its stdin, or the desktop app's quit pipe), and a kill if it
 * has not exited in time.
 */
import type { ChildProcess } from 'node:child_process';
import { QUIT_COMMAND } from './launch-channel.ts';

export interface StopRequests {
  /** The first stop signal the launcher got, if any. */
  signal(): NodeJS.Signals | null;
  /**
   * The child that now gets the quit line: at once, if a stop was asked for before it ran.
   * `sendQuit`: how it is told; default a quit line on its stdin, which is then closed.
   */
  watch(child: ChildProcess, name: string, sendQuit?: () => void): void;
  unwatch(): void;
  dispose(): void;
}

/**
 * SIGINT, SIGTERM, SIGHUP to the launcher become one quit line to the child, and a kill if it
 * has not exited `quitTimeoutMs` later. A terminal's Ctrl-C also reaches the child itself (one
 * process group); the child takes the two for one stop. Later signals add nothing: the bound
 * already runs.
 */
export function watchStopRequests(quitTimeoutMs: number): StopRequests {
  let requested: NodeJS.Signals | null = null;
  let child: { process: ChildProcess; name: string; sendQuit: () => void } | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const askToQuit = (): void => {
    if (child === null || killTimer !== undefined) return;
    const { process: running, name, sendQuit } = child;
    sendQuit();
    killTimer = setTimeout(() => {
      process.stderr.write(`conclave: ${name} did not stop within ${quitTimeoutMs / 1000} s of being asked to; killing it\n`);
      running.kill('SIGKILL');
    }, quitTimeoutMs);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested !== null) return;
    requested = signal;
    askToQuit();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  return {
    signal: () => requested,
    watch(running, name, sendQuit = () => void running.stdin?.end(`${QUIT_COMMAND}\n`)) {
      child = { process: running, name, sendQuit };
      if (requested !== null) askToQuit();
    },
    unwatch() {
      clearTimeout(killTimer);
      killTimer = undefined;
      child = null;
    },
    dispose() {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
