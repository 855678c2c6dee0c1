/**
 * How `npm start` (src/cli/start.ts) talks with the desktop app it launched. Portable on purpose:
 * Electron is a GUI program on Windows, where signals do not exist and Node's IPC channel is not
 * reliably set up for it, so the channel is the child's own standard streams.
 *
 *   launcher → app: lines on the headless node's stdin, or on the desktop app's quit pipe
 *                   (quit-pipe.ts: Electron on Windows has no stdin). `quit` asks for a graceful
 *                   stop (the coordinator resigns, says goodbye); end of input means the
 *                   launcher is gone: the same.
 *   app → launcher: report lines on the app's stderr, which the launcher reads and never shows.
 *                   `started`: the node runs, from here on the app's exit status is the answer.
 *                   `exiting`: the app itself decided to exit before starting (a bad flag, the
 *                   state lock held): no fallback, the launcher exits with the same status.
 *
 * The launcher sets LAUNCH_CHANNEL_VARIABLE in the app's environment; without it (an app started
 * by hand) the app neither reads stdin nor writes report lines.
 */
import type { Readable } from 'node:stream';

export const LAUNCH_CHANNEL_VARIABLE = 'CONCLAVE_LAUNCH_CHANNEL';
export const QUIT_COMMAND = 'quit';

export type LaunchReport = { type: 'started' } | { type: 'exiting'; code: number };

const REPORT_PREFIX = 'conclave-launch: ';

export function reportLine(report: LaunchReport): string {
  return `${REPORT_PREFIX}${JSON.stringify(report)}\n`;
}

/** The report a stderr line carries, or null for any other line (which the launcher shows). */
export function parseReportLine(line: string): LaunchReport | null {
  if (!line.startsWith(REPORT_PREFIX)) return null;
  try {
    const report = JSON.parse(line.slice(REPORT_PREFIX.length)) as Partial<LaunchReport> | null;
    if (report?.type === 'started') return { type: 'started' };
    if (report?.type === 'exiting' && Number.isInteger(report.code)) return { type: 'exiting', code: report.code as number };
  } catch {
    // Not a report after all: shown as it is.
  }
  return null;
}

/** True when this process was started by the launcher and should use the channel. */
export function launchedByLauncher(env: NodeJS.ProcessEnv): boolean {
  return env[LAUNCH_CHANNEL_VARIABLE] === '1';
}

/**
 * launchedByLauncher, and takes the variable out of `env`: the node's hooks inherit the
 * environment, and a `conclave run` started by a hook must not take its stdin for the channel.
 */
export function takeLaunchChannel(env: NodeJS.ProcessEnv): boolean {
  const launched = launchedByLauncher(env);
  delete env[LAUNCH_CHANNEL_VARIABLE];
  return launched;
}

/**
 * Calls `onQuit` once: on a `quit` line, or when the input ends (the launcher died or closed it).
 * Other lines are ignored, so that later commands can be added without breaking older apps.
 */
export function watchQuitCommands(input: Readable, onQuit: () => void): void {
  let buffered = '';
  let done = false;
  const quit = (): void => {
    if (done) return;
    done = true;
    onQuit();
  };
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line === QUIT_COMMAND) quit();
    }
    // A launcher only ever sends short lines; anything longer is not one.
    if (buffered.length > 1024) buffered = '';
  });
  input.on('end', quit);
  input.on('error', quit);
}
