import type { ElectionConfigInput, NodeId } from '../core/index.ts';
import { streamOf } from './prng.ts';

/** Its own stream, so that every other draw of a seed stays as it was. */
const MIXED_TIMERS_STREAM = 0x6d697874;
/** Share of random runs whose nodes do not all run the same timers. */
export const MIXED_TIMERS_SHARE = 0.3;

/**
 * Timers that may differ from node to node: only what `config_id` does not hash (src/core/config.ts
 * `configId` hashes the voters, timeoutMs, leaseMs, the drift bound and memberBeatMs; a node with
 * another of those drops every datagram of the others as `config-mismatch`). So: the heartbeat,
 * the answer timeout, damping and the suspicion threshold, as operators may tune one machine.
 * Preemption stays cluster-wide: it is the cluster's policy, and L1's notion of the right
 * coordinator depends on it. Null when the run's nodes all share the timers.
 */
export function drawMixedTimers(
  seed: number,
  ids: readonly NodeId[],
  memberBeatMs: number,
): ((id: NodeId) => Partial<ElectionConfigInput>) | null {
  const random = streamOf(seed, MIXED_TIMERS_STREAM);
  if (!random.chance(MIXED_TIMERS_SHARE)) return null;
  const timers = new Map<NodeId, Partial<ElectionConfigInput>>();
  for (const id of ids) {
    // A heartbeat at most the member beat (validated), and below half the default timeout.
    const heartbeatMs = random.pick([50, 100, 100, 200].filter((h) => h <= memberBeatMs));
    timers.set(id, {
      heartbeatMs,
      answerTimeoutMs: random.pick([100, 200, 300]),
      dampingMs: random.pick([0, 1000, 3000]),
      suspectPhi: random.pick([4, 8, 12]),
    });
  }
  return (id) => timers.get(id) ?? {};
}
