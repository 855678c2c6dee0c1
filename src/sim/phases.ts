import type { NodeId } from '../core/index.ts';
import { convergenceBoundMs, type BoundTimers, type Cause } from './bounds.ts';
import { LivenessChecker } from './checkers.ts';
import type { SimCluster } from './cluster.ts';

/** A calm phase as the run saw it: its checker and what began it. */
export interface Phase {
  liveness: LivenessChecker;
  what: string;
  /** When the phase was closed (the next act began, or the run ended). */
  closedAtMs: number | null;
}

/**
 * The run's calm phases, one at a time: L1 and L2 for the current one (./checkers.ts), each with
 * its cause's bound (./bounds.ts). One listener per run forwards inputs and events to whichever
 * phase is current.
 */
export class PhaseWatch {
  readonly phases: Phase[] = [];
  private readonly sim: SimCluster;
  private readonly expectHighest: boolean;
  private readonly timers: BoundTimers;

  constructor(sim: SimCluster, expectHighest: boolean, timers: BoundTimers) {
    this.sim = sim;
    this.expectHighest = expectHighest;
    this.timers = timers;
    sim.onInput(() => this.current?.liveness.afterInput(sim.hosts));
    sim.onSend((host, outgoing) => this.current?.liveness.onSend(host, outgoing));
    // An impostor (./impostor.ts) is gone before any calm phase begins: its key is no voter's.
    sim.watch((_atMs, key, item) => {
      if (typeof item !== 'string' && key > 0) this.current?.liveness.onEvent(sim.host(key), item);
    });
  }

  get current(): Phase | undefined {
    return this.phases.at(-1);
  }

  /** A calm phase begins at `fromMs`; the nodes of `connected` must agree within the cause's bound. */
  begin(cause: Cause, fromMs: number, connected: ReadonlySet<NodeId>, what: string, machineCalm?: () => boolean): LivenessChecker {
    const liveness = new LivenessChecker({
      fromMs,
      boundMs: convergenceBoundMs(cause, this.timers),
      cause,
      connected: new Set(connected),
      expectHighest: this.expectHighest,
      freshLeaseMs: this.sim.config.leaseMs / (1 + this.sim.config.maxClockDriftPpm / 1e6),
      now: () => this.sim.nowMs,
      safety: this.sim.safety,
      congestion: () => this.sim.congestionDrops,
      boundOf: (other) => convergenceBoundMs(other, this.timers),
      machineCalm,
    });
    this.phases.push({ liveness, what, closedAtMs: null });
    return liveness;
  }

  /** Runs until the current phase agrees or its bound passes; the instant of agreement, or null. */
  runToAgreement(): number | null {
    const liveness = this.current!.liveness;
    // A bound may grow on the way (a cold start that meets a congested machine).
    let untilMs = -Infinity;
    while (liveness.convergedAtMs === null && untilMs < liveness.fromMs + liveness.boundMs) {
      untilMs = liveness.fromMs + liveness.boundMs;
      this.sim.scheduler.runUntil(untilMs, () => liveness.convergedAtMs !== null);
    }
    return liveness.convergedAtMs;
  }

  /** Runs to the end of the current phase's bound, then `afterMs` more of L2; returns the end. */
  runToEnd(afterMs: number): number {
    const liveness = this.current!.liveness;
    this.runToAgreement();
    const endMs = Math.max(liveness.fromMs + liveness.boundMs, liveness.convergedAtMs ?? 0) + afterMs;
    this.sim.scheduler.runUntil(endMs);
    return endMs;
  }

  /** The current phase ends: L1 is judged, L2 stops. */
  close(): void {
    const phase = this.current;
    if (phase === undefined || phase.closedAtMs !== null) return;
    phase.liveness.close();
    phase.closedAtMs = this.sim.nowMs;
  }

  /** Spans in which the cluster was settled: from each agreement to the end of its phase. */
  settledSpans(endMs: number): Array<[number, number]> {
    return this.phases
      .filter((p) => p.liveness.convergedAtMs !== null)
      .map((p) => [p.liveness.convergedAtMs!, p.closedAtMs ?? endMs]);
  }
}
