/** A process's CPU time as the kernel counts it (/proc/<pid>/stat), for the benchmarks. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User and system time of `pid` so far, in clock ticks: fields 14 and 15 of its stat (after the command name). */
export function cpuTicks(pid: number): { userTicks: number; systemTicks: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { userTicks: Number(fields[11]), systemTicks: Number(fields[12]) };
}
