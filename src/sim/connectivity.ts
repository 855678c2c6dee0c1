import { quorumSize, type NodeId } from '../core/index.ts';
import type { SimCluster } from './cluster.ts';
import { CALM_LAN } from './network.ts';

/**
 * Whether a quorum of nodes could elect now as L1 assumes: each running (listening, not stalled,
 * its disk sound), every pair linked both ways, on a LAN without loss or duplication. Found
 * greedily (the best-connected first), so it may miss a quorum that exists: that only makes A1
 * judge fewer stretches, never a stretch it should not.
 */
export function hasConnectedQuorum(sim: SimCluster): boolean {
  const { network } = sim;
  const { lossRate, duplicateRate, delayMaxMs } = network.conditions;
  if (lossRate > 0 || duplicateRate > 0 || delayMaxMs > CALM_LAN.delayMaxMs * 10) return false;
  // An impostor (./impostor.ts) is no voter of its own: its twin counts, once.
  const healthy = sim.hosts.filter((h) => h.up && !h.stalled && !h.storage.faulty && !h.impostor && !sim.outsiders.has(h.id)).map((h) => h.id);
  const needed = quorumSize(sim.config.voters.length);
  if (healthy.length < needed) return false;
  const linked = (a: NodeId, b: NodeId): boolean => network.canReach(a, b) && network.canReach(b, a);
  const degree = new Map(healthy.map((a) => [a, healthy.filter((b) => b !== a && linked(a, b)).length]));
  const clique: NodeId[] = [];
  for (const id of [...healthy].sort((a, b) => degree.get(b)! - degree.get(a)!)) {
    if (clique.every((other) => linked(id, other))) clique.push(id);
  }
  return clique.length >= needed;
}
