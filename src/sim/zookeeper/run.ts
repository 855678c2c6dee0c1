/**
 * One randomized run of a ZooKeeper-backed cluster, determined by its seed: staggered boots, a
 * phase of faults (crashes, clean restarts, cut links noticed or not, servers cut off from the
 * ensemble, slow replies, ensemble outages, stalls, pauses, resignations), then calm, in which
 * the live nodes must agree on a leader within a bound (Z3). Z1 and Z2 hold throughout.
 */
import type { NodeId } from '../../core/messages.ts';
import type { ElectionMode } from '../../contract/zookeeper-status.ts';
import { createZkCore } from '../../zookeeper/election/zk-core.ts';
import { SimRandom } from '../prng.ts';
import { Scheduler } from '../scheduler.ts';
import { ZkLivenessChecker, ZkSafetyChecker, type ZkViolation } from './checkers.ts';
import { calmLink } from './client.ts';
import { SimEnsemble } from './ensemble.ts';
import { describeZkFault, planZkFaults, type ZkFault } from './faults.ts';
import { SimZkHost, type ZkCoreFactory } from './host.ts';

const PATH = '/conclave/sim';
const TRACE_LINES = 60;

export interface ZkRunOptions {
  seed: number;
  /** Cluster size; by default drawn from the seed, 2 to 7. */
  nodes?: number;
  /** Builds each node's election; tests pass a deliberately broken one. */
  createCore?: ZkCoreFactory;
}

export interface ZkRunResult {
  seed: number;
  nodes: number;
  config: { mode: ElectionMode; preempt: boolean; dampingMs: number; sessionTimeoutMs: number };
  faults: number;
  violations: ZkViolation[];
  /** The last lines of the story before the first violation, or null. */
  trace: string | null;
  simulatedMs: number;
  steps: number;
  convergenceMs: number | null;
  boundMs: number;
}

export function runZkSimulation(options: ZkRunOptions): ZkRunResult {
  const scenario = new SimRandom(options.seed);
  const faultRandom = scenario.fork();
  const worldRandom = scenario.fork();
  const size = options.nodes ?? scenario.int(2, 7);
  const ids: NodeId[] = Array.from({ length: size }, (_, i) => i + 1);
  const mode: ElectionMode = scenario.chance(0.5) ? 'bully' : 'fair';
  const preempt = scenario.chance(0.8);
  const dampingMs = scenario.pick([0, 1000, 3000]);
  const sessionTimeoutMs = scenario.pick([1000, 2000, 4000]);
  const scheduler = new Scheduler();
  const ensemble = new SimEnsemble(scheduler);
  const safety = new ZkSafetyChecker(() => scheduler.nowMs);
  const trace: string[] = [];
  let traceAtViolation: string | null = null;
  const note = (line: string) => {
    trace.push(`${(scheduler.nowMs / 1000).toFixed(4)}s ${line}`);
    if (trace.length > TRACE_LINES) trace.shift();
    if (traceAtViolation === null && safety.violations.length > 0) traceAtViolation = trace.join('\n');
  };
  let liveness: ZkLivenessChecker | null = null;
  const hosts: SimZkHost[] = ids.map(
    (id) =>
      new SimZkHost({
        id,
        path: PATH,
        mode,
        sessionTimeoutMs,
        dampingMs,
        preempt,
        scheduler,
        ensemble,
        random: worldRandom.fork(),
        createCore: options.createCore ?? createZkCore,
        observer: {
          onEvent: (host, event) => {
            safety.onEvent(host, event);
            const { type, ...rest } = event;
            note(`n${host.id} ${type} ${JSON.stringify(rest)}`);
          },
          afterInput: (host) => {
            safety.afterInput(host, hosts);
            liveness?.afterInput(hosts);
            if (traceAtViolation === null && safety.violations.length > 0) note(`violation: ${safety.violations[0]!.message}`);
          },
        },
      }),
  );
  const host = (id: NodeId) => hosts[id - 1]!;

  const lastBootMs = scenario.between(0, 1500);
  for (const h of hosts) scheduler.at(scenario.between(0, lastBootMs), () => h.boot());
  const quiet = scenario.chance(0.1);
  const calmFromMs = quiet ? lastBootMs : lastBootMs + scenario.between(3, 10) * sessionTimeoutMs;
  const faults = planZkFaults(faultRandom, ids, lastBootMs, calmFromMs, sessionTimeoutMs);
  for (const { atMs, fault } of faults) {
    scheduler.at(atMs, () => {
      note(`fault: ${describeZkFault(fault)}`);
      apply(fault);
    });
  }
  const restartLater = (h: SimZkHost, afterMs: number) =>
    scheduler.at(scheduler.nowMs + afterMs, () => {
      if (scheduler.nowMs >= calmFromMs) return;
      h.crash(); // what is left of a clean stop
      h.boot();
    });

  function apply(fault: ZkFault): void {
    switch (fault.kind) {
      case 'crash':
        safety.endLease(host(fault.node));
        host(fault.node).crash();
        restartLater(host(fault.node), fault.downMs);
        return;
      case 'restart':
        host(fault.node).stop();
        restartLater(host(fault.node), fault.downMs);
        return;
      case 'cut': {
        const h = host(fault.node);
        h.link.mode = 'cut';
        h.linkChanged(fault.noticed);
        scheduler.at(scheduler.nowMs + fault.durationMs, () => {
          if (h.link.mode === 'cut') h.link.mode = 'up';
        });
        return;
      }
      case 'stale': {
        const h = host(fault.node);
        if (h.link.mode !== 'up') return;
        h.link.mode = 'stale';
        h.link.stale = { tree: ensemble.snapshot(), refusesWrites: fault.refusesWrites };
        scheduler.at(scheduler.nowMs + fault.durationMs, () => {
          if (h.link.mode !== 'stale') return;
          h.link.mode = 'up';
          h.link.stale = null;
          h.linkChanged(fault.endsByDrop);
        });
        return;
      }
      case 'slow': {
        const h = host(fault.node);
        h.link.delayMaxMs = fault.delayMaxMs;
        scheduler.at(scheduler.nowMs + fault.durationMs, () => (h.link.delayMaxMs = calmLink().delayMaxMs));
        return;
      }
      case 'outage':
        ensemble.fail();
        for (const h of hosts) h.ensembleDown();
        scheduler.at(scheduler.nowMs + fault.durationMs, () => {
          if (!ensemble.up) ensemble.recover();
        });
        return;
      case 'stall':
        host(fault.node).stall(fault.durationMs);
        return;
      case 'pause': {
        const h = host(fault.node);
        h.command((driver) => driver.pause());
        scheduler.at(scheduler.nowMs + fault.durationMs, () => h.command((driver) => driver.resume()));
        return;
      }
      case 'resign':
        host(fault.node).command((driver) => driver.resign('requested'));
        return;
    }
  }

  // Calm: the ensemble and every link healed; at most all but one node kept down.
  const keptDown = new Set(size > 1 && scenario.chance(0.3) ? scenario.shuffle(ids).slice(0, scenario.int(1, size - 1)) : []);
  const live = ids.filter((id) => !keptDown.has(id));
  // A resignation or preemption may wait out the damping twice; a dead session takes a timeout
  // to expire, a silent client another to notice, a new candidate half a timeout of grace.
  const boundMs = 2 * dampingMs + 4 * sessionTimeoutMs + 1000;
  scheduler.at(calmFromMs, () => {
    note(`calm: ensemble up, links healed${keptDown.size > 0 ? `, [${[...keptDown]}] kept down` : ''}`);
    if (!ensemble.up) ensemble.recover();
    for (const h of hosts) {
      Object.assign(h.link, calmLink());
      h.linkChanged(false);
      if (keptDown.has(h.id)) {
        safety.endLease(h);
        h.crash();
        continue;
      }
      if (h.stopped || !h.up) {
        h.crash();
        h.boot();
      } else {
        h.command((driver) => driver.resume());
      }
    }
    liveness = new ZkLivenessChecker({ fromMs: calmFromMs, boundMs, expectHighest: mode === 'bully' && preempt, live, now: () => scheduler.nowMs, safety });
  });
  const endMs = calmFromMs + boundMs + 2 * sessionTimeoutMs;
  scheduler.runUntil(endMs);
  (liveness as ZkLivenessChecker | null)?.finish(hosts);

  const violations = safety.violations;
  if (violations.length > 0 && traceAtViolation === null) traceAtViolation = trace.join('\n');
  return {
    seed: options.seed,
    nodes: size,
    config: { mode, preempt, dampingMs, sessionTimeoutMs },
    faults: faults.length,
    violations,
    trace: traceAtViolation,
    simulatedMs: endMs,
    steps: scheduler.steps,
    convergenceMs: (liveness as ZkLivenessChecker | null)?.convergenceMs ?? null,
    boundMs,
  };
}
