import type { InputGate } from '../runtime/input-gate.ts';

/**
 * A node's input gate (runtime/input-gate.ts) that can hold its inputs: while held, every timer
 * that fires and every datagram that arrives waits in order; on release they all run, late. In
 * one process one node's event loop cannot be frozen alone, so this is how the kit stalls a node:
 * it is what a stalled process sees when it wakes (its stall detector reports the late timer).
 */
export class HoldingGate implements InputGate {
  private held: Array<() => void> | null = null;
  private releaseTimer: NodeJS.Timeout | null = null;

  pass(input: () => void): void {
    if (this.held === null) input();
    else this.held.push(input);
  }

  get holding(): boolean {
    return this.held !== null;
  }

  /** Holds inputs for `ms` from now (a hold already running is extended to end then). */
  holdFor(ms: number): void {
    this.held ??= [];
    if (this.releaseTimer !== null) clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => this.release(), ms);
  }

  /** Lets the held inputs through, in order, and stops holding. */
  release(): void {
    this.clearTimer();
    const held = this.held ?? [];
    this.held = null;
    for (const input of held) input();
  }

  /** Forgets the held inputs (the node is stopping or dead): nothing is left to run later. */
  drop(): void {
    this.clearTimer();
    this.held = null;
  }

  private clearTimer(): void {
    if (this.releaseTimer !== null) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
  }
}
