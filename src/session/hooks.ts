import { spawn, type ChildProcess } from 'node:child_process';
import { hookSpawnOptions, stopTree } from './hook-process.ts';
import type { HookFields, HookName } from '../contract/event-fields.ts';

export type { HookName };

/** How a hook ended: the fields of its `hook` line. */
export type HookResult = HookFields;

interface Job {
  hook: HookName;
  command: string;
  term: number;
  env: Record<string, string>;
}

/**
 * Runs the hooks one at a time, in the order of the events, so that an on-demoted hook never
 * finishes before the on-elected hook it undoes. A demotion does not wait for a slow on-elected
 * hook: that one is killed (with everything it started) and on-demoted runs at once. A hook
 * that runs longer than the timeout is killed too. Hook output goes to stderr, so that stdout
 * stays one JSON object per line. How a hook is started and stopped on each platform:
 * ./hook-process.ts.
 */
export class HookRunner {
  private readonly timeoutMs: number;
  private readonly report: (result: HookResult) => void;
  private readonly queue: Job[] = [];
  private running: { job: Job; child: ChildProcess; superseded: boolean } | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly platform: NodeJS.Platform;

  /** `platform`: whose shell and process tree apply (tests pick it); default process.platform. */
  constructor(timeoutMs: number, report: (result: HookResult) => void, platform: NodeJS.Platform = process.platform) {
    this.timeoutMs = timeoutMs;
    this.report = report;
    this.platform = platform;
  }

  run(job: Job): void {
    if (job.hook === 'on-demoted') {
      // An on-elected hook that has not started yet has nothing to undo; one that runs is stopped.
      for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.hook === 'on-elected') this.queue.splice(i, 1);
      if (this.running?.job.hook === 'on-elected') {
        this.running.superseded = true;
        stopTree(this.running.child, this.platform);
      }
    }
    this.queue.push(job);
    this.next();
  }

  /** Resolves when no hook runs or waits. */
  idle(): Promise<void> {
    if (this.running === null && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    if (this.running !== null) return;
    const job = this.queue.shift();
    if (job === undefined) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const started = performance.now();
    const child = spawn(job.command, {
      ...hookSpawnOptions(this.platform),
      env: { ...process.env, ...job.env },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    const running = { job, child, superseded: false };
    this.running = running;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopTree(child, this.platform);
    }, this.timeoutMs);
    let finished = false;
    const finish = (exitCode: number | null, signal: string | null, error: string | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.running = null;
      this.report({
        hook: job.hook,
        leaseTerm: job.term,
        exitCode,
        signal,
        durationMs: Math.round(performance.now() - started),
        timedOut,
        superseded: running.superseded,
        error,
      });
      this.next();
    };
    child.once('error', (error) => finish(null, null, error.message));
    child.once('exit', (code, signal) => finish(code, signal, null));
  }
}
