import type { Clock } from '../contract/ports.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * What every simulated machine has, whichever backend it runs: a monotonic clock that drifts
 * from real time, and a process whose inputs wait in order while it stalls (a GC pause) and are
 * lost when it dies. Each process is one generation: what was meant for an earlier one is dropped.
 */
export class SimMachine {
  /** Rate of this machine's clock relative to real time, minus one. */
  readonly driftRatio: number;
  /** Real time until which the process is stalled, or 0. */
  stalledUntilMs = 0;
  /** The running process's generation: bumped at each start and each death. */
  generation = 0;
  private readonly offsetMs: number;
  private floorLocalMs = 0;
  private backlog: Array<() => void> = [];
  /**
   * Where a fired timer goes before the process sees it; by default straight to the process. A
   * host with a capacity model sends it through its inbox, so that timers wait for the CPU too.
   */
  timerInput: ((input: () => void) => void) | null = null;
  private readonly scheduler: Scheduler;

  constructor(scheduler: Scheduler, random: SimRandom, maxDriftRatio: number) {
    this.scheduler = scheduler;
    this.driftRatio = random.between(-maxDriftRatio, maxDriftRatio);
    this.offsetMs = random.between(0, 1e6);
  }

  get stalled(): boolean {
    return this.stalledUntilMs > this.scheduler.nowMs;
  }

  /** The machine's monotonic clock now. */
  localNowMs(): number {
    const local = this.offsetMs + this.scheduler.nowMs * (1 + this.driftRatio);
    this.floorLocalMs = Math.max(this.floorLocalMs, local);
    return this.floorLocalMs;
  }

  /** The real time at which this machine's clock reads `localMs`. */
  realAtMs(localMs: number): number {
    return (localMs - this.offsetMs) / (1 + this.driftRatio);
  }

  /** A new process starts; returns its generation. */
  start(): number {
    return ++this.generation;
  }

  /** The process dies: its pending inputs and its stall go with it. */
  kill(): void {
    this.generation++;
    this.backlog = [];
    this.stalledUntilMs = 0;
  }

  /** The clock the process of `generation` sees: its timers fire as inputs, not after it died. */
  clock(generation: number): Clock {
    return {
      nowMs: () => this.localNowMs(),
      schedule: (atMs, fire) => {
        let cancelled = false;
        this.scheduler.at(this.realAtMs(atMs), () => {
          if (cancelled || generation !== this.generation) return;
          const fireNow = (): void => {
            // Float rounding may put the real instant a hair before the local deadline.
            this.floorLocalMs = Math.max(this.floorLocalMs, atMs);
            fire();
          };
          if (this.timerInput === null) this.run(fireNow);
          // Waiting for a core, the timer may be cancelled or its process die.
          else this.timerInput(() => !cancelled && generation === this.generation && fireNow());
        });
        return () => {
          cancelled = true;
        };
      },
    };
  }

  /** The process stops working for `durationMs`; its inputs wait in order. */
  stall(durationMs: number): void {
    if (this.stalled) return;
    const generation = this.generation;
    this.stalledUntilMs = this.scheduler.nowMs + durationMs;
    this.scheduler.at(this.stalledUntilMs, () => {
      if (generation !== this.generation) return;
      this.stalledUntilMs = 0;
      const backlog = this.backlog;
      this.backlog = [];
      for (const input of backlog) input();
    });
  }

  /** An input to the process of `generation`: dropped if that process died, held while it stalls. */
  deliver(generation: number, input: () => void): void {
    if (generation === this.generation) this.run(input);
  }

  /** An input to the running process, held while it stalls. */
  run(input: () => void): void {
    if (this.stalled) this.backlog.push(input);
    else input();
  }
}
