import type { CoreEvent, LanCore, Message, NodeId, Outgoing, Ready, ResignReason } from '../core/index.ts';
import type { Route } from '../contract/status.ts';
import type { DropReason, ForeignConfig, Inbound, Wire } from '../wire/wire.ts';
import type { Cancel, Clock, StateStore, Transport } from '../contract/ports.ts';

export type { DropReason };

/** Inputs that may wait while a save is in flight. */
const MAX_QUEUED_INPUTS = 4096;

export interface DriverOptions {
  core: LanCore;
  clock: Clock;
  transport: Transport;
  store: StateStore;
  /** Encoding, authentication and the checks every datagram passes on its way in. */
  wire: Wire;
  onEvent?: (event: CoreEvent) => void;
  /** `from`: the node ID it claimed, once decoded; `source`: where it came from ("ip:port"), if known. */
  onDrop?: (reason: DropReason, detail: string, from: NodeId | null, source: string | null, foreign?: ForeignConfig) => void;
  /** A datagram already taken (same sender, boot and sequence) came again, over `route`. */
  onDuplicate?: (from: NodeId, address: string, route: Route) => void;
  /**
   * Called for every datagram that passed the wire's checks, before the core takes it. `port`:
   * the sender's socket, if known (a node sends everything from its unicast socket).
   */
  onReceive?: (inbound: Extract<Inbound, { ok: true }>, address: string, route: Route, port: number | undefined) => void;
  /**
   * Called as the core takes a message that passed the wire's checks: after any input queued
   * ahead of it, and so after the saves they wait for. What the core has read, not what arrived.
   */
  onStep?: (message: Message) => void;
  /** Called for every message as it leaves, after its state was persisted. */
  onSend?: (outgoing: Outgoing) => void;
  /** Called after each input's outputs were handled; the simulator checks invariants here. */
  afterInput?: () => void;
  /** Saving the state failed: the driver has halted, since it may not send what it decided. */
  onFatal?: (error: unknown) => void;
  /** A message could not be encoded (it is skipped). */
  onSendError?: (outgoing: Outgoing, error: Error) => void;
}

/**
 * Runs the pure core in a world: feeds it datagrams and timer ticks one at a time, and carries
 * out each Ready in order: persist, then send, then report. One input at a time: while a save is
 * in flight, later inputs wait, so nothing is sent before the state it depends on is durable.
 */
export class Driver {
  readonly core: LanCore;
  private readonly options: DriverOptions;
  private seq = 0;
  private saving = false;
  private draining = false;
  /** Inputs waiting their turn; `done` runs once the input was carried out, or dropped by a halt. */
  private readonly queue: Array<{ apply: () => void; done: (() => void) | undefined }> = [];
  private cancelTimer: Cancel | null = null;
  private armedAtMs = 0;
  private halted = false;

  constructor(options: DriverOptions) {
    this.options = options;
    this.core = options.core;
  }

  start(): void {
    this.input(() => this.core.tick(this.options.clock.nowMs()));
  }

  /**
   * A datagram arrived from `address` (and `port`, if known), over `route`. Bad ones are dropped
   * and reported with where they came from, never thrown.
   */
  receive(bytes: Uint8Array, address: string, route: Route = 'group', port?: number): void {
    if (this.halted) return;
    if (this.queue.length >= MAX_QUEUED_INPUTS) {
      // A save that hangs must not turn into unbounded memory: shed datagrams, not timers.
      this.options.onDrop?.('overloaded', `${this.queue.length} inputs wait for a save to finish`, null, sourceOf(address, port));
      return;
    }
    const inbound = this.options.wire.decode(bytes, address, this.options.clock.nowMs());
    if (!inbound.ok) {
      if (inbound.reason === 'duplicate' && inbound.from !== null) this.options.onDuplicate?.(inbound.from, address, route);
      this.options.onDrop?.(inbound.reason, inbound.detail, inbound.from, sourceOf(address, port), inbound.foreign);
      // A second live process with a known ID: the core tells both in its heartbeats (`twins`).
      if (inbound.reason === 'impostor' && inbound.from !== null) {
        const impostor = { type: 'impostor', from: inbound.from } as const;
        this.input(() => this.core.step(impostor, this.options.clock.nowMs()));
      }
      return;
    }
    const { message } = inbound;
    const input = { type: 'message', message } as const;
    if (!this.core.accepts(input)) {
      // The core would ignore it too (it checks again when the input is taken); here it is counted.
      const ours = this.core.view(this.options.clock.nowMs()).term;
      this.options.onDrop?.('term-out-of-range', `term ${message.term} from node ${message.from}, ours ${ours}`, message.from, sourceOf(address, port));
      return;
    }
    this.options.onReceive?.(inbound, address, route, port);
    this.input(() => {
      this.options.onStep?.(message);
      this.core.step(input, this.options.clock.nowMs());
    });
  }

  resign(reason: ResignReason): void {
    this.input(() => this.core.step({ type: 'resign', reason }, this.options.clock.nowMs()));
  }

  /**
   * Resigns if leading, says goodbye, and stops; resolves once the goodbye was handed over, or
   * once the driver halted before it could be (a save failed): then without a goodbye.
   */
  leave(): Promise<void> {
    if (this.halted) return Promise.resolve();
    return new Promise((resolve) => {
      this.input(
        () => this.core.step({ type: 'leave' }, this.options.clock.nowMs()),
        () => {
          this.halt();
          resolve();
        },
      );
    });
  }

  get isHalted(): boolean {
    return this.halted;
  }

  /** Stops at once, like a crash: no goodbye, no further input. */
  halt(): void {
    this.halted = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    // Whoever waits on a dropped input (leave()) is answered, not left waiting forever.
    for (const { done } of this.queue.splice(0)) done?.();
  }

  private input(apply: () => void, done?: () => void): void {
    if (this.halted) return;
    this.queue.push({ apply, done });
    this.drain();
  }

  private drain(): void {
    if (this.draining) return; // an event handler gave input: it joins the queue
    this.draining = true;
    try {
      while (!this.saving && !this.halted && this.queue.length > 0) {
        const { apply, done } = this.queue.shift()!;
        apply();
        const ready = this.core.ready();
        const saved = ready?.persist == null ? undefined : this.options.store.save(ready.persist);
        if (saved !== undefined) {
          this.saving = true;
          saved.then(
            () => {
              this.saving = false;
              this.draining = true;
              try {
                this.deliver(ready);
              } finally {
                this.draining = false;
                done?.();
                this.drain(); // a callback that threw must not leave the inputs behind it stuck
              }
            },
            (error: unknown) => {
              // Sending votes or claims that are not durable would break the one-vote rule.
              this.halt();
              try {
                this.options.onFatal?.(error);
              } finally {
                done?.();
              }
            },
          );
          return;
        }
        try {
          this.deliver(ready);
        } finally {
          done?.();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Sends, reports, and sets the timer again. The callbacks must not throw (the node isolates its
   * users' listeners); if one does, the timer is still set, or the node would fall silent.
   */
  private deliver(ready: Ready | null): void {
    try {
      if (ready !== null) {
        // Taken before anything is carried out: an event handler may give input (it queues).
        this.core.advance();
        this.send(ready);
        for (const event of ready.events) this.options.onEvent?.(event);
      }
      this.options.afterInput?.();
    } finally {
      if (!this.halted) this.arm();
    }
  }

  private send(ready: Ready): void {
    const { transport, wire } = this.options;
    for (const outgoing of ready.messages) {
      let bytes: Uint8Array;
      try {
        bytes = wire.encode(outgoing.message, ++this.seq);
      } catch (error) {
        // Configuration checks make this unreachable; if it happens, it must not kill the node.
        this.options.onSendError?.(outgoing, error as Error);
        continue;
      }
      this.options.onSend?.(outgoing);
      transport.send(outgoing.to, bytes, outgoing.greets);
    }
  }

  /**
   * Sets the timer for the core's next deadline. A deadline that moved later (a lease round
   * pushed the promise on) keeps the timer set: it fires early, the core finds nothing due and the
   * timer is set again, once per deadline instead of once per datagram.
   */
  private arm(): void {
    const deadlineMs = this.core.wakeAtMs();
    if (deadlineMs === null) return; // the LAN core always has a next deadline while it runs
    if (this.cancelTimer !== null && deadlineMs >= this.armedAtMs) return;
    this.cancelTimer?.();
    const { clock } = this.options;
    this.armedAtMs = deadlineMs;
    this.cancelTimer = clock.schedule(deadlineMs, () => {
      this.cancelTimer = null;
      this.input(() => this.core.tick(clock.nowMs()));
    });
  }
}

/** Where a datagram came from, as an operator would look for it: "ip:port". */
function sourceOf(address: string, port: number | undefined): string {
  return port === undefined ? address : `${address}:${port}`;
}
