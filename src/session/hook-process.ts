/**
 * How a hook's shell is started and how it is stopped with everything it started, per platform.
 * The platform is a parameter, so that both plans are tested on any machine.
 *
 * - POSIX: `/bin/sh -c <command>` in a process group of its own (`detached`), stopped by SIGKILL to
 *   the group, which reaches every process the hook started that stayed in it.
 * - Windows: `cmd.exe /d /s /c "<command>"` (what Node's `shell: true` runs there: `%ComSpec%`,
 *   AutoRun commands off, the outer quotes stripped, so a command that quotes a path with spaces
 *   keeps its quotes); not detached, which on Windows would give it a console of its own;
 *   `windowsHide`, so that no console window flashes up under the desktop app. Windows has no
 *   process groups to signal, so it is stopped by `taskkill /pid <pid> /T /F`, which ends the
 *   process and its descendants, found by their parent process IDs (a descendant whose parent
 *   has already exited is not found: that is taskkill's limit).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Spawn options for a hook's command line, given as one string to the platform's shell. */
export function hookSpawnOptions(platform: NodeJS.Platform): SpawnOptions {
  // shell: true picks the shell from the running platform: /bin/sh -c, or cmd.exe /d /s /c.
  return platform === 'win32' ? { shell: true, windowsHide: true } : { shell: true, detached: true };
}

/** How to stop a hook's process tree. */
export type TreeStop =
  | { how: 'signal-group'; pid: number; signal: 'SIGKILL' }
  | { how: 'command'; file: string; args: string[] };

export function treeStop(platform: NodeJS.Platform, pid: number): TreeStop {
  if (platform === 'win32') return { how: 'command', file: 'taskkill', args: ['/pid', String(pid), '/T', '/F'] };
  return { how: 'signal-group', pid: -pid, signal: 'SIGKILL' };
}

/** Stops `child` and what it started. `run`: how the Windows command is started (tests give theirs). */
export function stopTree(child: ChildProcess, platform: NodeJS.Platform, run: typeof spawn = spawn): void {
  if (child.pid === undefined) return; // it never started: its 'error' reports that
  const stop = treeStop(platform, child.pid);
  if (stop.how === 'signal-group') {
    try {
      process.kill(stop.pid, stop.signal);
    } catch {
      // already gone
    }
    return;
  }
  const killer = run(stop.file, stop.args, { stdio: 'ignore', windowsHide: true });
  // Without taskkill (a stripped-down image), at least the shell itself is ended.
  killer.once('error', () => child.kill('SIGKILL'));
}
