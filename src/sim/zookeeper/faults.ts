import type { NodeId } from '../../core/messages.ts';
import type { SimRandom } from '../prng.ts';

/** What can go wrong around a ZooKeeper-backed cluster. */
export type ZkFault =
  | { kind: 'crash'; node: NodeId; downMs: number }
  /** A clean stop (znodes released, session closed), then a restart. */
  | { kind: 'restart'; node: NodeId; downMs: number }
  /** The node's link to the ensemble is cut; it notices (a reset connection) or not (a silent server). */
  | { kind: 'cut'; node: NodeId; durationMs: number; noticed: boolean }
  /** The node's server is cut off from the ensemble: stale reads; writes refused or never answered. */
  | { kind: 'stale'; node: NodeId; durationMs: number; refusesWrites: boolean; endsByDrop: boolean }
  /** Replies to the node come slowly, some after the request's deadline. */
  | { kind: 'slow'; node: NodeId; durationMs: number; delayMaxMs: number }
  /** The whole ensemble is down. */
  | { kind: 'outage'; durationMs: number }
  | { kind: 'stall'; node: NodeId; durationMs: number }
  | { kind: 'pause'; node: NodeId; durationMs: number }
  | { kind: 'resign'; node: NodeId };

const KINDS = ['crash', 'restart', 'cut', 'cut', 'stale', 'stale', 'slow', 'outage', 'stall', 'pause', 'resign', 'resign'] as const;

/** The faults of one run, between `fromMs` and `untilMs`, drawn from `random`. */
export function planZkFaults(random: SimRandom, nodes: readonly NodeId[], fromMs: number, untilMs: number, sessionTimeoutMs: number): Array<{ atMs: number; fault: ZkFault }> {
  if (untilMs <= fromMs) return [];
  const count = random.int(1, 10);
  const t = sessionTimeoutMs;
  const plan: Array<{ atMs: number; fault: ZkFault }> = [];
  for (let i = 0; i < count; i++) {
    const atMs = random.between(fromMs, untilMs);
    const node = random.pick(nodes);
    const kind = random.pick(KINDS);
    const fault: ZkFault = (() => {
      switch (kind) {
        case 'crash':
          return { kind, node, downMs: random.between(100, 3 * t) };
        case 'restart':
          return { kind, node, downMs: random.between(50, 2 * t) };
        case 'cut':
          return { kind, node, durationMs: random.between(0.1 * t, 3 * t), noticed: random.chance(0.5) };
        case 'stale':
          return { kind, node, durationMs: random.between(0.2 * t, 3 * t), refusesWrites: random.chance(0.5), endsByDrop: random.chance(0.5) };
        case 'slow':
          return { kind, node, durationMs: random.between(0.2 * t, 3 * t), delayMaxMs: random.between(0.05 * t, 1.2 * t) };
        case 'outage':
          return { kind, durationMs: random.between(0.1 * t, 2 * t) };
        case 'stall':
          return { kind, node, durationMs: random.between(20, 1.5 * t) };
        case 'pause':
          return { kind, node, durationMs: random.between(50, 2 * t) };
        case 'resign':
          return { kind, node };
      }
    })();
    plan.push({ atMs, fault });
  }
  return plan.sort((a, b) => a.atMs - b.atMs);
}

export function describeZkFault(fault: ZkFault): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  switch (fault.kind) {
    case 'crash':
      return `n${fault.node} crashes for ${ms(fault.downMs)}`;
    case 'restart':
      return `n${fault.node} stops cleanly, restarts after ${ms(fault.downMs)}`;
    case 'cut':
      return `n${fault.node}'s link to the ensemble cut for ${ms(fault.durationMs)} (${fault.noticed ? 'noticed' : 'silent'})`;
    case 'stale':
      return `n${fault.node}'s server cut off from the ensemble for ${ms(fault.durationMs)} (writes ${fault.refusesWrites ? 'refused' : 'unanswered'}, ends by ${fault.endsByDrop ? 'dropping the connection' : 'catching up'})`;
    case 'slow':
      return `n${fault.node}'s replies take up to ${ms(fault.delayMaxMs)} for ${ms(fault.durationMs)}`;
    case 'outage':
      return `the ensemble is down for ${ms(fault.durationMs)}`;
    case 'stall':
      return `n${fault.node} stalls for ${ms(fault.durationMs)}`;
    case 'pause':
      return `n${fault.node} is paused for ${ms(fault.durationMs)}`;
    case 'resign':
      return `n${fault.node} is asked to resign`;
  }
}
