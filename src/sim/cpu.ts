/**
 * Cores that the simulated hosts' processes share. Work is placed, in the order it is asked for,
 * on the core that frees up first: a host's input waits while the others keep every core busy,
 * and so do its timers, which then fire late, as on a starved machine. Deterministic: no draws.
 */
export class SimCpu {
  /** Real time at which each core is free again. */
  private readonly freeAtMs: number[];
  /** CPU time used so far, in ms, over all cores. */
  busyMs = 0;

  constructor(cores: number) {
    this.freeAtMs = Array.from({ length: Math.max(1, cores) }, () => 0);
  }

  /** Runs `costMs` of work that may start at `readyMs`; returns when it is done. */
  claim(readyMs: number, costMs: number): number {
    let core = 0;
    for (let i = 1; i < this.freeAtMs.length; i++) if (this.freeAtMs[i]! < this.freeAtMs[core]!) core = i;
    const doneMs = Math.max(readyMs, this.freeAtMs[core]!) + costMs;
    this.freeAtMs[core] = doneMs;
    this.busyMs += costMs;
    return doneMs;
  }

  /** How long work ready now would wait for a core. */
  waitMs(nowMs: number): number {
    return Math.max(0, Math.min(...this.freeAtMs) - nowMs);
  }
}
