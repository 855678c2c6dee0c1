import type { NodeId } from '../core/index.ts';
import { DiskMode, MAX_SAVE_DELAY_MS } from './disk.ts';
import type { NetworkLayout } from './layout.ts';
import type { LinkConditions } from './network.ts';
import type { SimRandom } from './prng.ts';

export type Fault =
  | { kind: 'crash'; node: NodeId; downMs: number }
  | { kind: 'stall'; node: NodeId; durationMs: number }
  | { kind: 'partition'; groups: NodeId[][] }
  | { kind: 'one-way'; from: NodeId; to: NodeId }
  /** Both directions of one link: a partition that is not transitive. */
  | { kind: 'cut-link'; a: NodeId; b: NodeId }
  /** Multicast from `from` stops reaching `to`, unicast does not (an IGMP-snooping switch that lost a join). */
  | { kind: 'group-filter'; from: NodeId; to: NodeId }
  | { kind: 'heal' }
  | { kind: 'conditions'; conditions: LinkConditions }
  | { kind: 'disk'; node: NodeId; mode: DiskMode; durationMs: number }
  /** Whoever leads then is asked to resign (`conclave resign`): it hands over to a successor. */
  | { kind: 'resign' }
  /** A clean stop (SIGTERM: resign if leading, Leave), then a new process on the same disk. */
  | { kind: 'stop'; node: NodeId; downMs: number };

export interface TimedFault {
  atMs: number;
  fault: Fault;
}

/**
 * The whole fault schedule of a run, drawn up front from its own PRNG stream, so that a replay
 * meets the same faults at the same instants whatever the nodes do.
 */
export function planFaults(
  random: SimRandom,
  ids: readonly NodeId[],
  fromMs: number,
  untilMs: number,
  timeoutMs: number,
): TimedFault[] {
  const faults: TimedFault[] = [];
  for (let atMs = fromMs + random.between(0, 1000); atMs < untilMs; atMs += random.between(100, 2500)) {
    // Every fault ends before the calm phase begins.
    const room = untilMs - atMs;
    const roll = random.float();
    let fault: Fault;
    if (roll < 0.2) {
      // Half the restarts are quick: within a lease, when a lost promise would matter.
      const downMs = random.chance(0.5) ? random.between(10, timeoutMs) : random.between(timeoutMs, 3 * timeoutMs);
      fault = { kind: 'crash', node: random.pick(ids), downMs: Math.min(room, downMs) };
    } else if (roll < 0.35) {
      fault = { kind: 'stall', node: random.pick(ids), durationMs: Math.min(room, random.between(10, 2.5 * timeoutMs)) };
    } else if (roll < 0.55) {
      fault = { kind: 'partition', groups: split(random, ids) };
    } else if (roll < 0.62) {
      const [from, to] = random.shuffle(ids);
      fault = { kind: 'one-way', from: from!, to: to! };
    } else if (roll < 0.7) {
      const [a, b] = random.shuffle(ids);
      fault = { kind: 'cut-link', a: a!, b: b! };
    } else if (roll < 0.82) {
      fault = { kind: 'heal' };
    } else {
      fault = { kind: 'conditions', conditions: roughLan(random) };
    }
    faults.push({ atMs, fault });
  }
  return faults;
}

/**
 * Storage faults (VOPR's): up to three spells of a slow, failing, full or torn disk, each over
 * before the calm phase.
 */
export function planDiskFaults(
  random: SimRandom,
  ids: readonly NodeId[],
  fromMs: number,
  untilMs: number,
  timeoutMs: number,
): Array<{ atMs: number; fault: Extract<Fault, { kind: 'disk' }> }> {
  const modes = Object.values(DiskMode);
  const faults: Array<{ atMs: number; fault: Extract<Fault, { kind: 'disk' }> }> = [];
  // A save begun in a spell settles up to MAX_SAVE_DELAY_MS later: that too is over before calm.
  const lastEndMs = untilMs - MAX_SAVE_DELAY_MS;
  if (lastEndMs <= fromMs) return faults;
  for (let count = random.int(0, 3); count > 0; count--) {
    const atMs = random.between(fromMs, lastEndMs);
    const durationMs = Math.min(lastEndMs - atMs, random.between(50, 3 * timeoutMs));
    faults.push({ atMs, fault: { kind: 'disk', node: random.pick(ids), mode: random.pick(modes), durationMs } });
  }
  return faults;
}

/**
 * Group filters for a run whose hosts route through directories: up to two, between hosts on one
 * multicast group, each lasting until the network heals. Drawn from the layout's stream, so that
 * every other fault of a seed stays as it was.
 */
export function planGroupFilters(
  random: SimRandom,
  layout: NetworkLayout,
  fromMs: number,
  untilMs: number,
): Array<{ atMs: number; fault: Extract<Fault, { kind: 'group-filter' }> }> {
  const onGroup = [...layout.places].filter(([, place]) => place.group === 0).map(([id]) => id);
  const faults: Array<{ atMs: number; fault: Extract<Fault, { kind: 'group-filter' }> }> = [];
  if (onGroup.length < 2 || untilMs <= fromMs) return faults;
  for (let count = random.int(0, 2); count > 0; count--) {
    const [from, to] = random.shuffle(onGroup);
    faults.push({ atMs: random.between(fromMs, untilMs), fault: { kind: 'group-filter', from: from!, to: to! } });
  }
  return faults;
}

/** Share of random runs that also resign and stop nodes cleanly while the faults run. */
export const OPERATIONS_SHARE = 0.5;

/**
 * What operators do while the world misbehaves (./run.ts draws it from a stream of its own, in
 * OPERATIONS_SHARE of the runs): up to four resignations of whoever leads, and clean stops
 * followed by a restart on the same disk, each over before the calm.
 */
export function planOperations(
  random: SimRandom,
  ids: readonly NodeId[],
  fromMs: number,
  untilMs: number,
  timeoutMs: number,
): TimedFault[] {
  const operations: TimedFault[] = [];
  if (untilMs <= fromMs || !random.chance(OPERATIONS_SHARE)) return operations;
  for (let count = random.int(1, 4); count > 0; count--) {
    const atMs = random.between(fromMs, untilMs);
    const fault: Fault = random.chance(0.5)
      ? { kind: 'resign' }
      : { kind: 'stop', node: random.pick(ids), downMs: Math.min(untilMs - atMs, random.between(10, 3 * timeoutMs)) };
    operations.push({ atMs, fault });
  }
  return operations.sort((a, b) => a.atMs - b.atMs);
}

/** Two or three non-empty groups. */
function split(random: SimRandom, ids: readonly NodeId[]): NodeId[][] {
  const shuffled = random.shuffle(ids);
  const groupCount = ids.length >= 3 && random.chance(0.3) ? 3 : 2;
  const groups: NodeId[][] = Array.from({ length: groupCount }, () => []);
  shuffled.forEach((id, i) => groups[i < groupCount ? i : random.int(0, groupCount - 1)]!.push(id));
  return groups;
}

/** The largest delay a rough LAN draws: its base (at most 3 ms) plus its spread (at most 150 ms). */
export const MAX_DELAY_MS = 3 + 150;

function roughLan(random: SimRandom): LinkConditions {
  const delayMinMs = random.between(0.05, 3);
  return {
    lossRate: random.pick([0, 0.05, 0.2, 0.4]),
    duplicateRate: random.pick([0, 0.05, 0.2]),
    delayMinMs,
    // A wide spread reorders datagrams, sometimes by more than a heartbeat.
    delayMaxMs: delayMinMs + random.pick([1, 10, 50, 150]),
  };
}
