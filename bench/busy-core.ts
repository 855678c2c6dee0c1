/** Another process that keeps one core busy, as a loaded machine has (bench:storm --busy, bench:flood --busy). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** The busy loop's own bound: it ends by itself even if nothing kills it. */
const BUSY_LIMIT_MS = 3_600_000;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a busy loop, pinned to core `cpu` when given (and taskset is there), and kills it by its
 * PID when this process exits. taskset execs the loop, so the PID is the loop's own.
 */
export function startBusyCore(cpu?: number): ChildProcess {
  const loop = [process.execPath, '-e', `const end = Date.now() + ${BUSY_LIMIT_MS}; while (Date.now() < end);`];
  const [command, ...args] = cpu !== undefined && hasTaskset() ? ['taskset', '-c', String(cpu), ...loop] : loop;
  const busy = spawn(command!, args, { stdio: 'ignore' });
  process.on('exit', () => busy.kill('SIGKILL'));
  return busy;
}
