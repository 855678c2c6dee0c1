import { quorumSize, silenceLimitMs, type NodeId } from '../core/index.ts';
import { Cause } from './bounds.ts';
import type { SimCluster } from './cluster.ts';
import { streamOf, type SimRandom } from './prng.ts';

/**
 * Acts: once a random run's cluster has agreed after its faults, what an operator or a single
 * failure then does to it, one at a time, each starting a calm phase whose cause is known, so that
 * L1 can hold it to that cause's bound (./bounds.ts) instead of the general one.
 */
export const Act = {
  /** The coordinator's process dies and stays down. */
  CrashLeader: 'crash-leader',
  /** The coordinator stops cleanly (SIGTERM: resign naming a successor, Leave) and stays down. */
  StopLeader: 'stop-leader',
  /** The coordinator is asked to resign (`conclave resign`). */
  Resign: 'resign',
  /** A minority, chosen at random, is cut off long enough to be counted dead, then the partition heals. */
  IsolateAndHeal: 'isolate-and-heal',
  /** A node that is down (crashed or stopped) starts again on the same disk. */
  Restart: 'restart',
  /** A voter that never ran (./newcomer.ts) starts for the first time, with an empty disk. */
  Join: 'join',
  /**
   * The two highest nodes, each on a side short of a quorum, are cut off from each other and from
   * the rest; then the rest, a bridge, reaches both sides again while the sides still cannot reach
   * each other (a partial partition), and at last everything heals. One beat of the bridge lifts
   * both highest to a quorum at once: two candidates ask the same voters for the same term.
   */
  Bridge: 'bridge',
} as const;
export type Act = (typeof Act)[keyof typeof Act];

const ACTS_STREAM = 0x61637473;
/** Share of random runs that act after their first agreement. */
export const ACTS_SHARE = 0.5;
/**
 * Share of the other runs that build a bridge once agreed. Drawn after the rest, so that every
 * run drawn before the bridge came runs as it did up to its first agreement and acts as it did.
 */
export const BRIDGE_SHARE = 0.4;

/** The acts of a run: none, or one, sometimes followed by the restart of the node it took down. */
export function drawActs(seed: number): { acts: Act[]; random: SimRandom } {
  const random = streamOf(seed, ACTS_STREAM);
  if (!random.chance(ACTS_SHARE)) return { acts: random.chance(BRIDGE_SHARE) ? [Act.Bridge] : [], random };
  const first = random.pick([Act.CrashLeader, Act.StopLeader, Act.Resign, Act.IsolateAndHeal, Act.Restart]);
  const takesDown = first === Act.CrashLeader || first === Act.StopLeader;
  return { acts: takesDown && random.chance(0.6) ? [first, Act.Restart] : [first], random };
}

/** What the cluster is when an act begins, and becomes after it. */
export interface ActState {
  /** The nodes that must agree. */
  connected: Set<NodeId>;
  /** Nodes whose process is down (kept down at calm, or taken down by an act). */
  down: Set<NodeId>;
  /** Nodes that run but take no part (SimCluster.outsiders): never cut off, never expected to agree. */
  outside: ReadonlySet<NodeId>;
  /** A voter that has not started yet (./newcomer.ts); the `join` act starts it. */
  newcomer: NodeId | null;
}

/** The calm phase an act begins. */
export interface ActPhase {
  act: Act;
  cause: Cause;
  /** When the calm begins: at once, when the partition heals, or when the restarted process listens. */
  fromMs: number;
  description: string;
}

/**
 * Performs `act` on a cluster agreed on `leader`, runs the simulation as far as the act's calm
 * begins, and says which cause that calm has. Changes `state`. An act that cannot be done here
 * (taking the coordinator down would leave no quorum; nothing is down to restart) is replaced by
 * a resignation, which always can.
 */
export function performAct(
  sim: SimCluster,
  act: Act,
  leader: NodeId,
  state: ActState,
  random: SimRandom,
  waitForProcesses: (ids: NodeId[]) => number,
): ActPhase {
  const { config } = sim;
  const quorum = quorumSize(config.voters.length);
  const canLoseOne = state.connected.size - 1 >= quorum;
  if ((act === Act.CrashLeader || act === Act.StopLeader) && !canLoseOne) act = Act.Resign;
  if (act === Act.Restart && state.down.size === 0) act = Act.Resign;
  if (act === Act.Join && state.newcomer === null) act = Act.Resign;
  if ((act === Act.IsolateAndHeal || act === Act.Bridge) && !canLoseOne) act = Act.Resign;
  switch (act) {
    case Act.CrashLeader:
    case Act.StopLeader: {
      state.connected.delete(leader);
      state.down.add(leader);
      if (act === Act.CrashLeader) sim.crash(leader);
      else sim.leave(leader);
      const cause = act === Act.CrashLeader ? Cause.CrashFailover : Cause.Handover;
      return { act, cause, fromMs: sim.nowMs, description: `n${leader} (the coordinator) ${act === Act.CrashLeader ? 'crashes' : 'stops cleanly'} and stays down` };
    }
    case Act.Resign: {
      sim.resign(leader, 'requested');
      // With preemption on, the coordinator was the highest: it takes over again after its hold-off.
      const cause = config.preempt ? Cause.ResignRetake : Cause.Handover;
      return { act, cause, fromMs: sim.nowMs, description: `n${leader} (the coordinator) is asked to resign` };
    }
    case Act.Restart: {
      const id = random.pick([...state.down].sort((a, b) => a - b));
      const before = Math.max(...state.connected);
      state.down.delete(id);
      state.connected.add(id);
      // The calm cut the nodes kept down off from the rest: this one is back on the LAN.
      healExceptKeptDown(sim, state);
      sim.boot(id);
      const fromMs = waitForProcesses([id]);
      const cause = config.preempt && id > before ? Cause.Preemption : Cause.Rejoin;
      return { act, cause, fromMs, description: `n${id} starts again on the same disk` };
    }
    case Act.Join: {
      const id = state.newcomer!;
      const before = Math.max(...state.connected);
      state.newcomer = null;
      state.connected.add(id);
      sim.boot(id);
      const fromMs = waitForProcesses([id]);
      const cause = config.preempt && id > before ? Cause.Preemption : Cause.Newcomer;
      return { act, cause, fromMs, description: `n${id} starts for the first time` };
    }
    case Act.IsolateAndHeal: {
      const others = random.shuffle([...state.connected]);
      const size = random.int(1, state.connected.size - quorum);
      const cut = others.slice(0, size);
      const rest = [...sim.config.voters].filter((id) => !cut.includes(id));
      const highestBefore = Math.max(...state.connected);
      sim.partition(cut, rest);
      sim.note(`act: [${cut}] cut off`);
      // Long enough that both sides count each other dead and the rest elects if it must.
      sim.runFor(silenceLimitMs(config.timeoutMs, config.memberBeatMs) + 2 * config.timeoutMs);
      healExceptKeptDown(sim, state);
      const cause = config.preempt && cut.includes(highestBefore) ? Cause.Preemption : Cause.Rejoin;
      return { act, cause, fromMs: sim.nowMs, description: `[${cut}] cut off, then the partition heals` };
    }
    case Act.Bridge: {
      const [first, second, ...rest] = [...state.connected].sort((a, b) => b - a) as [NodeId, NodeId, ...NodeId[]];
      // Each side plus the bridge is a quorum; neither side alone, nor the bridge alone, is one.
      const sideSize = state.connected.size - quorum;
      const others = random.shuffle(rest);
      const sideA = [first, ...others.splice(0, sideSize - 1)];
      const sideB = [second, ...others.splice(0, sideSize - 1)];
      const isolated = isolatedAtCalm(sim, state);
      // The nodes down, outside or not started yet stay with the bridge: none of them counts.
      const bridge = sim.config.voters.filter((id) => !sideA.includes(id) && !sideB.includes(id) && !isolated.includes(id));
      const holdMs = silenceLimitMs(config.timeoutMs, config.memberBeatMs) + 2 * config.timeoutMs;
      sim.partition(sideA, sideB, bridge, ...isolated.map((id) => [id]));
      sim.note(`act: [${sideA}] | [${sideB}] | [${bridge}] cut off from each other`);
      sim.runFor(holdMs);
      healExceptKeptDown(sim, state);
      for (const a of sideA) {
        for (const b of sideB) {
          sim.network.cutOneWay(a, b);
          sim.network.cutOneWay(b, a);
        }
      }
      sim.note(`act: [${bridge}] reaches both sides again; [${sideA}] and [${sideB}] still cannot reach each other`);
      sim.runFor(holdMs);
      healExceptKeptDown(sim, state);
      // Whichever side won the bridge leads; with preemption on, the highest takes over at the heal.
      const cause = config.preempt ? Cause.Preemption : Cause.Rejoin;
      return { act, cause, fromMs: sim.nowMs, description: `[${sideA}] and [${sideB}] reached each other only through [${bridge}], then the partition heals` };
    }
  }
}

/** Nodes the calm isolated (kept down, still running): cut off from everyone until the end. */
function isolatedAtCalm(sim: SimCluster, state: ActState): NodeId[] {
  return sim.config.voters.filter((id) => !state.connected.has(id) && !state.down.has(id) && !state.outside.has(id) && id !== state.newcomer);
}

/** The partition heals, except around the nodes the calm isolated (kept down, still running): they stay cut off. */
function healExceptKeptDown(sim: SimCluster, state: ActState): void {
  sim.network.heal();
  const isolated = isolatedAtCalm(sim, state);
  if (isolated.length > 0) sim.partition([...state.connected, ...state.down], ...isolated.map((id) => [id]));
}
