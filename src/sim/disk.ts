import type { PersistentState } from '../core/index.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * How a simulated disk misbehaves (VOPR's storage faults): `slow` fsyncs take up to 300 ms;
 * `failing` saves fail half the time (EIO); `full` saves all fail (ENOSPC); `torn` saves are slow
 * and the process dies before the rename, so the file keeps its old content.
 */
export const DiskMode = { Slow: 'slow', Failing: 'failing', Full: 'full', Torn: 'torn' } as const;
export type DiskMode = (typeof DiskMode)[keyof typeof DiskMode];

/** The longest a faulty save takes to settle. */
export const MAX_SAVE_DELAY_MS = 300;

/** A save in flight, settled by the scheduler in virtual time (a promise would settle only after the run). */
class PendingSave implements PromiseLike<void> {
  private settled: { error: Error | null } | null = null;
  private readonly callbacks: Array<{ ok?: (() => unknown) | null; fail?: ((error: unknown) => unknown) | null }> = [];

  then<R1 = void, R2 = never>(
    ok?: ((value: void) => R1 | PromiseLike<R1>) | null,
    fail?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    if (this.settled === null) this.callbacks.push({ ok: ok as () => unknown, fail });
    else this.run({ ok: ok as () => unknown, fail }, this.settled.error);
    return this as unknown as PromiseLike<R1 | R2>; // the driver never chains
  }

  settle(error: Error | null): void {
    if (this.settled !== null) return;
    this.settled = { error };
    for (const callback of this.callbacks.splice(0)) this.run(callback, error);
  }

  private run(callback: (typeof this.callbacks)[number], error: Error | null): void {
    if (error === null) callback.ok?.();
    else callback.fail?.(error);
  }
}

/** Runs a save's completion as the process that asked would: not while stalled, not if it died. */
export type Completion = (action: () => void) => void;

export interface SimDiskOptions {
  scheduler: Scheduler;
  random: SimRandom;
  /** The write became durable. */
  onDurable: (previous: PersistentState | null, next: PersistentState) => void;
}

/** The persisted state of one host, kept across crashes like a file, with injectable faults. */
export class SimDisk {
  state: PersistentState | null = null;
  private mode: DiskMode | null = null;
  private untilMs = 0;
  private readonly options: SimDiskOptions;

  constructor(options: SimDiskOptions) {
    this.options = options;
  }

  /** Misbehaves in `mode` for `durationMs` of real time. */
  fail(mode: DiskMode, durationMs: number): void {
    this.mode = mode;
    this.untilMs = this.options.scheduler.nowMs + durationMs;
  }

  get faulty(): boolean {
    return this.mode !== null && this.options.scheduler.nowMs < this.untilMs;
  }

  save(next: PersistentState, complete: Completion): void | PromiseLike<void> {
    const mode = this.faulty ? this.mode : null;
    const { random } = this.options;
    const later = (delayMs: number, finish: () => Error | void): PendingSave => this.later(delayMs, complete, finish);
    switch (mode) {
      case null:
        this.write(next);
        return;
      case DiskMode.Slow:
        return later(random.between(1, MAX_SAVE_DELAY_MS), () => this.write(next));
      case DiskMode.Failing:
        if (random.chance(0.5)) {
          this.write(next);
          return;
        }
        return later(random.between(0, 20), () => new Error('EIO: i/o error, fsync'));
      case DiskMode.Full:
        return later(0, () => new Error('ENOSPC: no space left on device, write'));
      case DiskMode.Torn:
        return later(random.between(1, 100), () => new Error('the process died between write and rename'));
    }
  }

  private write(next: PersistentState): void {
    this.options.onDurable(this.state, next);
    this.state = { ...next };
  }

  /** Settles a save after `delayMs`: `finish` writes (returns nothing) or returns the error. */
  private later(delayMs: number, complete: Completion, finish: () => Error | void): PendingSave {
    const pending = new PendingSave();
    const { scheduler } = this.options;
    scheduler.at(scheduler.nowMs + delayMs, () => complete(() => pending.settle(finish() ?? null)));
    return pending;
  }
}
