import type { SimCpu } from './cpu.ts';
import type { SimMachine } from './machine.ts';
import type { SimRandom } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

export interface SimInboxOptions {
  scheduler: Scheduler;
  machine: SimMachine;
  cpu: SimCpu;
  random: SimRandom;
  /** CPU time of one input before jitter (half to one and a half times this). */
  inputCpuUs: number;
  /** The socket's receive buffer, in datagrams. */
  datagramsMax: number;
  /** The most CPU time the process keeps a core for, in ms, once it has one (SCHED_SLICE_MS). */
  sliceMs: number;
  /** A datagram found the buffer full and was dropped. */
  onOverflow: () => void;
}

type Input = { datagram: boolean; run: () => void };

/**
 * How long a process that got a core keeps it while it has inputs queued: Linux's minimum
 * granularity (EEVDF's base slice), 0.75 ms scaled by 1 + log2(cores) (kernel/sched/fair.c,
 * SCHED_TUNABLESCALING_LOG). A woken process runs until its slice is used, and Node reads every
 * datagram its socket holds in one poll (libuv's recvmmsg loop): a busy coordinator handles a
 * slice of acknowledgements per turn, not one. One input per turn starved the one process with
 * the most to read behind 99 that each had one (100 nodes, seed 30000249: the new coordinator read
 * its acknowledgements 800 ms late on two cores a settled cluster keeps 80 % busy, and lost its lease).
 */
export function schedulerSliceMs(cores: number): number {
  return 0.75 * (1 + Math.floor(Math.log2(Math.max(1, cores))));
}

/**
 * What waits for one host's process: datagrams in its socket's bounded receive buffer, and its
 * timers. The process takes its inputs in order, each costing CPU time on the shared cores, a slice at a turn; the
 * datagrams that arrive while the buffer is full are dropped, as the kernel drops them (counted as
 * receive-buffer errors). A stalled process reads nothing: its buffer fills.
 */
export class SimInbox {
  /** Datagrams dropped because the receive buffer was full. */
  overflows = 0;
  private items: Input[] = [];
  private head = 0;
  private datagrams = 0;
  private busy = false;
  /** Bumped when the process dies: work it had in flight is forgotten. */
  private epoch = 0;
  private readonly options: SimInboxOptions;

  constructor(options: SimInboxOptions) {
    this.options = options;
  }

  /** Inputs waiting for the process now (datagrams and fired timers). */
  get queued(): number {
    return this.items.length - this.head;
  }

  datagram(run: () => void): void {
    if (this.datagrams >= this.options.datagramsMax) {
      this.overflows++;
      this.options.onOverflow();
      return;
    }
    this.datagrams++;
    this.items.push({ datagram: true, run });
    this.pump();
  }

  /** A timer fired: the process sees it once a core is free and the inputs before it are done. */
  timer(run: () => void): void {
    this.items.push({ datagram: false, run });
    this.pump();
  }

  /** The process died: what it had not read dies with it. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.datagrams = 0;
    this.busy = false;
    this.epoch++;
  }

  private pump(): void {
    if (this.busy || this.head >= this.items.length) return;
    const { scheduler, machine, cpu, random, inputCpuUs } = this.options;
    const epoch = this.epoch;
    this.busy = true;
    if (machine.stalled) {
      scheduler.at(machine.stalledUntilMs, () => this.resume(epoch));
      return;
    }
    // The inputs queued now that fit one slice (at least one), run back to back on one core.
    const costsMs: number[] = [];
    let sliceUsedMs = 0;
    for (let i = this.head; i < this.items.length; i++) {
      const costMs = (inputCpuUs * random.between(0.5, 1.5)) / 1000;
      if (costsMs.length > 0 && sliceUsedMs + costMs > this.options.sliceMs) break;
      costsMs.push(costMs);
      sliceUsedMs += costMs;
    }
    let atMs = cpu.claim(scheduler.nowMs, sliceUsedMs) - sliceUsedMs;
    costsMs.forEach((costMs, index) => {
      atMs += costMs;
      const last = index === costsMs.length - 1;
      scheduler.at(atMs, () => {
        if (epoch !== this.epoch) return;
        const input = this.items[this.head++]!;
        if (input.datagram) this.datagrams--;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        if (last) this.busy = false;
        machine.run(input.run);
        if (last) this.pump();
      });
    });
  }

  private resume(epoch: number): void {
    if (epoch !== this.epoch) return;
    this.busy = false;
    this.pump();
  }
}
