/**
 * A child process's end as `npm start` and the lab see it: its stderr read to the last line,
 * its status, and the exit status that stands for it.
 */
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

/** A line longer than this without its end is passed on in pieces. */
const LINE_MAX_CHARS = 64 * 1024;
/** A grandchild (a hook, a GPU process) may keep the child's stderr open after the child exits. */
const DRAIN_MS = 1000;

export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the child could not be started at all. */
  spawnError: NodeJS.ErrnoException | null;
}

/** Calls `onLine` for each line of the stream, the last one even without its end; resolves at the end. */
export function readLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let partial = '';
    const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) emit(line);
      if (partial.length > LINE_MAX_CHARS) {
        emit(partial);
        partial = '';
      }
    });
    const finish = (): void => {
      if (partial !== '') emit(partial);
      partial = '';
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}

/** Resolves once the child has exited and its stderr is read (or DRAIN_MS after the exit). */
export function waitForExit(child: ChildProcess, stderrRead: Promise<void>): Promise<ChildEnd> {
  return new Promise((resolve) => {
    child.on('error', (error) => {
      // A started child's errors (a failed kill) are not its end.
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
    child.once('exit', (code, signal) => {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((done) => (timer = setTimeout(done, DRAIN_MS)));
      void Promise.race([stderrRead, drained]).then(() => {
        clearTimeout(timer);
        resolve({ code, signal, spawnError: null });
      });
    });
  });
}

export function exitStatus(end: ChildEnd): number {
  if (end.code !== null) return end.code;
  return end.signal === null ? 1 : signalStatus(end.signal);
}

export function signalStatus(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 1);
}
