import { spawn } from 'node:child_process';

export interface HookResult {
  hook: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  error: string | null;
}

/**
 * Runs a shell command with the given environment, without waiting on anything else: a hook
 * that hangs is killed (its whole process group) after `timeoutMs`. Its output goes to stderr, so
 * that stdout stays one JSON object per line.
 */
export function runHook(hook: string, command: string, env: Record<string, string>, timeoutMs: number): Promise<HookResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', process.stderr, process.stderr],
      detached: true, // its own process group, so that a timeout kills what it started too
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    const finish = (exitCode: number | null, signal: string | null, error: string | null): void => {
      clearTimeout(timer);
      resolve({ hook, exitCode, signal, durationMs: Math.round(performance.now() - started), timedOut, error });
    };
    child.once('error', (error) => finish(null, null, error.message));
    child.once('exit', (code, signal) => finish(code, signal, null));
  });
}
