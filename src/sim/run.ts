import { quorumSize, silenceLimitMs, type ElectionConfig, type ElectionConfigInput, type NodeId } from '../core/index.ts';
import { LivenessChecker, type Violation } from './checkers.ts';
import { SimCluster, type Watcher } from './cluster.ts';
import { planDiskFaults, planFaults, type Fault } from './faults.ts';
import type { CoreFactory } from './host.ts';
import type { NetworkStats } from './network.ts';
import { SimRandom } from './prng.ts';

/** Slow rates a run may draw: 100 ms is one rate for all, as protocol version 1 had. */
const MEMBER_BEATS_MS = [100, 500, 1000, 1000, 2000] as const;
const MEMBER_BEAT_STREAM = 0x6d656d62;

export interface RunOptions {
  seed: number;
  /** Cluster size; by default drawn from the seed, 3 to 9. */
  nodes?: number;
  /** Builds each node's core; tests pass a deliberately broken one. */
  createCore?: CoreFactory;
  /** Overrides the configuration drawn from the seed (validated). */
  config?: Partial<ElectionConfigInput>;
  /** Sees every core event, fault and phase change as it happens (the demo narrates them). */
  watch?: Watcher;
  /** Storage faults (./disk.ts) on top of the network's and processes'; default true. */
  diskFaults?: boolean;
}

export interface RunResult {
  seed: number;
  nodes: number;
  config: Pick<ElectionConfig, 'voters' | 'preempt' | 'dampingMs' | 'timeoutMs' | 'leaseMs' | 'memberBeatMs'>;
  faults: number;
  violations: Violation[];
  /** The readable trace leading to the first violation, or null. */
  trace: string | null;
  simulatedMs: number;
  steps: number;
  /** From the end of the faults to an agreed coordinator. */
  convergenceMs: number | null;
  boundMs: number;
  network: NetworkStats;
}

/**
 * One randomized run, entirely determined by its seed: staggered boots, a phase of faults, then
 * calm (at most a minority kept down), in which the rest must agree on a coordinator within a
 * bound and keep it (L1, L2). Safety (S1–S3) is checked after every input throughout.
 */
export function runSimulation(options: RunOptions): RunResult {
  const scenario = new SimRandom(options.seed);
  const faultRandom = scenario.fork();
  const size = options.nodes ?? scenario.int(3, 9);
  const voters = scenario.chance(0.25) ? sparseIds(scenario, size) : Array.from({ length: size }, (_, i) => i + 1);
  const sim = new SimCluster({
    voters,
    seed: scenario.int(0, 2 ** 31),
    createCore: options.createCore,
    config: {
      preempt: scenario.chance(0.8),
      dampingMs: scenario.pick([0, 1000, 3000]),
      // A stream of its own, so that seeds found before two rates existed meet the same faults.
      memberBeatMs: new SimRandom(options.seed ^ MEMBER_BEAT_STREAM).pick(MEMBER_BEATS_MS),
      ...options.config,
    },
  });
  const { config } = sim;
  if (options.watch !== undefined) sim.watch(options.watch);

  // Phase 1: staggered boots, then faults until calmFromMs.
  const bootWindowMs = scenario.between(0, 1500);
  let lastBootMs = 0;
  for (const id of voters) {
    const atMs = scenario.between(0, bootWindowMs);
    lastBootMs = Math.max(lastBootMs, atMs);
    sim.scheduler.at(atMs, () => sim.boot(id));
  }
  const quiet = scenario.chance(0.15);
  const calmFromMs = quiet ? lastBootMs : Math.max(lastBootMs, scenario.between(5000, 15000));
  const faults = planFaults(faultRandom, voters, lastBootMs, calmFromMs, config.timeoutMs);
  for (const { atMs, fault } of faults) {
    sim.scheduler.at(atMs, () => {
      sim.note(`fault: ${describeFault(fault)}`, 'node' in fault ? fault.node : 0);
      applyFault(sim, fault, calmFromMs);
    });
  }

  // Phase 2: calm. At most a minority stays crashed or cut off.
  const spare = size - quorumSize(size);
  const keptDown = new Set(
    spare > 0 && scenario.chance(0.3) ? scenario.shuffle(voters).slice(0, scenario.int(1, spare)) : [],
  );
  const connected = new Set(voters.filter((id) => !keptDown.has(id)));
  const crashKept = voters.map(() => scenario.chance(0.5));
  // Storage faults come from a stream of their own, forked after every other draw, so that a
  // seed found before they existed still meets the same network and process faults.
  const diskRandom = scenario.fork();
  if (options.diskFaults !== false) {
    for (const { atMs, fault } of planDiskFaults(diskRandom, voters, lastBootMs, calmFromMs, config.timeoutMs)) {
      sim.scheduler.at(atMs, () => {
        sim.note(`fault: ${describeFault(fault)}`, fault.node);
        sim.host(fault.node).failDisk(fault.mode, fault.durationMs);
      });
    }
  }
  // A supervisor restarts a node whose save failed, as it does a crashed one; also one whose
  // last faulty save failed just after the calm began (unless it is to stay down).
  sim.onFatal((id) => {
    const restartAtMs = sim.nowMs + diskRandom.between(100, config.timeoutMs);
    sim.scheduler.at(restartAtMs, () => {
      if (sim.nowMs < calmFromMs || !keptDown.has(id)) sim.boot(id);
    });
  });
  // docs/protocol.md, "L1": a follower's view of a dead slow-beating peer lasts its silence limit.
  const memberSilenceMs = silenceLimitMs(config.timeoutMs, config.memberBeatMs);
  const boundMs = config.dampingMs + 3 * config.timeoutMs + memberSilenceMs;
  const liveness = new LivenessChecker({
    fromMs: calmFromMs,
    boundMs,
    // Until then, nodes may still count the ones kept down as alive.
    settleMs: memberSilenceMs,
    connected,
    expectHighest: config.preempt,
    now: () => sim.nowMs,
    safety: sim.safety,
  });
  sim.scheduler.at(calmFromMs, () => {
    sim.note(`calm: network healed, crashed nodes restarted${keptDown.size > 0 ? `, [${[...keptDown]}] kept down` : ''}`);
    sim.heal();
    const isolated: NodeId[][] = [];
    voters.forEach((id, i) => {
      if (!keptDown.has(id)) sim.boot(id);
      else if (crashKept[i] || !sim.host(id).up) sim.crash(id);
      else isolated.push([id]);
    });
    if (isolated.length > 0) sim.partition([...connected], ...isolated);
    sim.onInput(() => liveness.afterInput(sim.hosts));
    sim.watch((_atMs, node, item) => {
      if (typeof item !== 'string') liveness.onEvent(sim.host(node), item);
    });
  });
  const endMs = calmFromMs + boundMs + 3 * config.timeoutMs;
  sim.scheduler.runUntil(endMs);
  liveness.finish();

  const violations = sim.safety.violations;
  return {
    seed: options.seed,
    nodes: size,
    config: {
      voters: config.voters,
      preempt: config.preempt,
      dampingMs: config.dampingMs,
      timeoutMs: config.timeoutMs,
      leaseMs: config.leaseMs,
      memberBeatMs: config.memberBeatMs,
    },
    faults: faults.length,
    violations,
    trace: violations.length > 0 ? sim.violationTrace : null,
    simulatedMs: endMs,
    steps: sim.scheduler.steps,
    convergenceMs: liveness.convergenceMs,
    boundMs,
    network: sim.network.stats,
  };
}

function applyFault(sim: SimCluster, fault: Fault, calmFromMs: number): void {
  switch (fault.kind) {
    case 'crash':
      sim.crash(fault.node);
      sim.scheduler.at(sim.nowMs + fault.downMs, () => {
        if (sim.nowMs < calmFromMs) sim.boot(fault.node);
      });
      return;
    case 'stall':
      sim.stall(fault.node, fault.durationMs);
      return;
    case 'partition':
      sim.partition(...fault.groups);
      return;
    case 'one-way':
      sim.network.cutOneWay(fault.from, fault.to);
      return;
    case 'cut-link':
      sim.network.cutOneWay(fault.a, fault.b);
      sim.network.cutOneWay(fault.b, fault.a);
      return;
    case 'heal':
      sim.network.heal();
      return;
    case 'conditions':
      sim.network.conditions = fault.conditions;
      return;
    case 'disk':
      sim.host(fault.node).failDisk(fault.mode, fault.durationMs);
      return;
  }
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'crash':
      return `n${fault.node} crashes for ${fault.downMs.toFixed(0)} ms`;
    case 'stall':
      return `n${fault.node} stalls for ${fault.durationMs.toFixed(0)} ms`;
    case 'partition':
      return `partition ${fault.groups.map((g) => `[${g}]`).join(' | ')}`;
    case 'one-way':
      return `n${fault.from} → n${fault.to} cut one way`;
    case 'cut-link':
      return `link n${fault.a} ↔ n${fault.b} cut`;
    case 'heal':
      return 'network healed';
    case 'disk':
      return `n${fault.node}'s disk ${fault.mode} for ${fault.durationMs.toFixed(0)} ms`;
    case 'conditions': {
      const c = fault.conditions;
      return `LAN now ${(c.lossRate * 100).toFixed(0)}% loss, ${(c.duplicateRate * 100).toFixed(0)}% duplicates, ${c.delayMinMs.toFixed(1)}–${c.delayMaxMs.toFixed(1)} ms delay`;
    }
  }
}

function sparseIds(random: SimRandom, count: number): NodeId[] {
  const ids = new Set<NodeId>();
  while (ids.size < count) ids.add(random.int(1, 1000));
  return [...ids].sort((a, b) => a - b);
}

