/**
 * What a crashed demo lab leaves: network namespaces and a data directory named after its
 * process. A lab whose process is gone is a leftover; a live one belongs to another demo running
 * now.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO_PREFIX = 'cvdemo';

export interface Leftover {
  kind: 'namespace' | 'directory';
  /** The namespace's name, or the directory's path. */
  name: string;
}

function namespaces(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((line) => line.split(' ')[0]!)
      .filter((name) => name.startsWith(DEMO_PREFIX));
  } catch {
    return [];
  }
}

function directories(): string[] {
  try {
    return readdirSync(tmpdir())
      .filter((name) => name.startsWith(DEMO_PREFIX))
      .map((name) => join(tmpdir(), name));
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The name holds the PID modulo 100000: a live process with that number may be another one, so only a free number proves the lab is gone. */
function orphaned(name: string): boolean {
  const pid = Number(new RegExp(`^${DEMO_PREFIX}(\\d+)x`).exec(name)?.[1]);
  return !Number.isInteger(pid) || !alive(pid);
}

/** Demo namespaces and directories whose lab process is gone. */
export function findLeftovers(): Leftover[] {
  return [
    ...namespaces()
      .filter(orphaned)
      .map((name) => ({ kind: 'namespace' as const, name })),
    ...directories()
      .filter((path) => orphaned(path.slice(tmpdir().length + 1)))
      .map((name) => ({ kind: 'directory' as const, name })),
  ];
}

/** Deletes the leftovers; returns what it deleted. */
export function removeLeftovers(): Leftover[] {
  const removed: Leftover[] = [];
  for (const leftover of findLeftovers()) {
    try {
      if (leftover.kind === 'namespace') {
        // The crashed lab's nodes outlive it: stop them first (these PIDs are in its namespace).
        for (const pid of pidsIn(leftover.name)) tryKill(pid);
        execFileSync('ip', ['netns', 'del', leftover.name], { stdio: 'ignore' });
      }
      else rmSync(leftover.name, { recursive: true, force: true });
      removed.push(leftover);
    } catch {
      // already gone
    }
  }
  return removed;
}

function pidsIn(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return [];
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

export function describeLeftovers(leftovers: Leftover[]): string {
  const spaces = leftovers.filter((l) => l.kind === 'namespace').map((l) => l.name);
  const dirs = leftovers.filter((l) => l.kind === 'directory').map((l) => l.name);
  return [spaces.length > 0 ? `network namespaces ${spaces.join(', ')}` : '', dirs.length > 0 ? `directories ${dirs.join(', ')}` : ''].filter(Boolean).join(' and ');
}
