import { silenceLimitMs, type NodeId } from '../core/index.ts';
import type { AvailabilityMeter } from './availability.ts';
import type { SimCluster } from './cluster.ts';
import { streamOf, type SimRandom } from './prng.ts';

/** Its own stream, so that every other draw of a seed stays as it was. */
const IMPOSTOR_STREAM = 0x696d7073;
/** Share of random runs in which a second process claims a voter's ID while the faults run. */
export const IMPOSTOR_SHARE = 0.15;
/** Share of impostors that start with the cluster; the rest at any time while the faults run. */
const WITH_THE_CLUSTER_SHARE = 0.5;
/** Share of impostors that start from a copy of their twin's state file; the rest from an empty disk. */
const COPIED_DISK_SHARE = 0.3;

/**
 * A misconfigured machine: a second process started with a voter's `--id` (same key, same
 * cluster) on another machine of its subnet, from an empty disk or a copy of the voter's state
 * file, which an operator stops a while later. It is on its twin's side of every partition (the
 * same switch), so the two hear each other but for loss, as the duplicate-ID alarm assumes
 * (docs/protocol.md, "Restarts, duplicates, leaving"); each peer takes one of the two for that ID
 * and drops the other's datagrams (src/wire/senders.ts). Without the alarm's rule that a node
 * votes for nobody, the two could cast two votes of one ID in one term, each counted by another
 * candidate: two coordinators of one term (S1).
 *
 * A peer that took the impostor (a later boot) for that ID drops the twin's older boot as
 * replayed until the twin restarts, so the operator restarts the twin when the impostor stops.
 */
export interface ImpostorPlan {
  twin: NodeId;
  startMs: number;
  stopMs: number;
  /** Its state file: `empty` (term 0, no vote) or `copy` of the twin's when it starts. */
  disk: 'empty' | 'copy';
  /** Its own stream, for the impostor's host. */
  random: SimRandom;
}

/**
 * In IMPOSTOR_SHARE of the seeds, an impostor of one of `twins`: in half of them it starts with
 * the cluster (within the boots, which end at `bootsEndMs`), as a deployment with one `--id`
 * twice would, otherwise while the faults run; it runs at least a timeout and stops by `untilMs`.
 * Null otherwise, or when the faults leave less than a timeout before `untilMs`.
 */
export function drawImpostor(seed: number, twins: readonly NodeId[], bootsEndMs: number, untilMs: number, timeoutMs: number): ImpostorPlan | null {
  const random = streamOf(seed, IMPOSTOR_STREAM);
  if (!random.chance(IMPOSTOR_SHARE) || twins.length === 0 || untilMs - bootsEndMs < timeoutMs) return null;
  const twin = random.pick(twins);
  const startMs = random.chance(WITH_THE_CLUSTER_SHARE) ? random.between(0, bootsEndMs) : random.between(bootsEndMs, untilMs - timeoutMs);
  const durationMs = random.between(timeoutMs, untilMs - startMs);
  const disk = random.chance(COPIED_DISK_SHARE) ? 'copy' : 'empty';
  return { twin, startMs, stopMs: startMs + durationMs, disk, random };
}

/**
 * The voters an impostor may claim: not `absent` ones (a node at the last term, a newcomer).
 * Where multicast does not reach its twin (unicast only), the two hear each other only through
 * the peers that take one and drop the other's datagrams (heartbeat `twins`); until they are told
 * they are the twins' gap (./twins.ts).
 */
export function impostorTwins(sim: SimCluster, absent: ReadonlyArray<NodeId | null>): NodeId[] {
  return sim.config.voters.filter((id) => !absent.includes(id));
}

/**
 * How long before the calm an impostor must stop: a peer that took it for its twin drops the
 * restarted twin's datagrams (another address) until it has not heard the impostor for the
 * silence limit, and the twin's alarm lasts a timeout more, as its restart's quarantine does.
 */
export function impostorMarginMs(sim: SimCluster): number {
  const configs = [...sim.configs.values()];
  return Math.max(...configs.map((c) => silenceLimitMs(c.timeoutMs, c.memberBeatMs) + 2 * c.timeoutMs));
}

/** Starts the impostor and stops it as planned; the world is disturbed (A1) until its twin is heard again. */
export function scheduleImpostor(sim: SimCluster, plan: ImpostorPlan, meter: AvailabilityMeter): void {
  const { twin } = plan;
  sim.scheduler.at(plan.startMs, () => {
    const copy = sim.host(twin).disk;
    const disk = plan.disk === 'copy' && copy !== null ? { ...copy } : null;
    sim.note(`fault: a second process claims n${twin}'s ID (n${twin}'), from ${disk === null ? 'an empty disk' : `a copy of its state file (term ${disk.term})`}, for ${(plan.stopMs - plan.startMs).toFixed(0)} ms`, twin);
    meter.disturb(plan.stopMs + impostorMarginMs(sim));
    const impostor = sim.startImpostor(twin, disk, plan.random);
    sim.scheduler.at(plan.stopMs, () => {
      sim.stopImpostor(impostor);
      const host = sim.host(twin);
      const restart = host.up;
      sim.note(`fault: n${twin}' stops${restart ? `; n${twin} restarts, so that every peer hears it again` : ''}`, twin);
      if (!restart) return;
      sim.crash(twin);
      sim.boot(twin);
    });
  });
}
