/** A process's CPU time as the kernel counts it (/proc/<pid>/stat), for the benchmarks. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User and system time of `pid` so far, in clock ticks: fields 14 and 15 of its stat (after the command name). */
export function cpuTicks(pid: number): { userTicks: number; systemTicks: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { userTicks: Number(fields[11]), systemTicks: Number(fields[12]) };
}

/**
 * User + system ticks of each of `pid`'s threads, summed by thread name (`node` is the main
 * thread; V8's helpers are `V8 DefaultWorke`, libuv's pool `libuv-worker`): CPU a profile of the
 * main thread cannot show, such as garbage collection and compilation on V8's own threads.
 */
export function ticksByThread(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
  }
  return byName;
}
