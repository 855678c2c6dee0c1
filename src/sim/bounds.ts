import { silenceLimitMs, type ElectionConfig } from '../core/index.ts';
import { GOSSIP_INTERVAL_MS, MAX_PROBES_PER_INTERVAL, PROBE_INTERVAL_MS } from '../net/peer-directory.ts';
import type { NetworkLayout } from './layout.ts';

/**
 * What a calm phase begins with, when the run knows it (docs/protocol.md, "L1", the table of
 * causes). `general` is a calm after random faults, whose state nobody can name.
 */
export const Cause = {
  General: 'general',
  /** Every node starts with no state (a quiet run): a cold start. */
  ColdStart: 'cold-start',
  /**
   * A cold start whose highest node began to listen once a lower node's campaign was under way:
   * with preemption on it joins a cluster that elects without it, then takes over (seed 39001199;
   * seed 47009960, where it was still spending its start-up CPU when the campaign began).
   */
  ColdStartLateHighest: 'cold-start-late-highest',
  /**
   * A cold start in which a node above every live one ran before the calm and is kept down: with
   * preemption on, the coordinator waits for the highest, and the phantom is the highest until its
   * silence limit runs out (seed 46018370).
   */
  ColdStartPhantom: 'cold-start-phantom',
  /**
   * A cold start whose machine dropped datagrams (a full receive queue or backlog) before the
   * cluster agreed: not calm, so judged as a boot storm (seed 44 of 100 nodes).
   */
  ColdStartCongested: 'cold-start-congested',
  /** A boot storm: the last of many processes started together on few cores listens. */
  BootStorm: 'boot-storm',
  /** The settled coordinator's process dies. */
  CrashFailover: 'crash-failover',
  /** The settled coordinator stops cleanly (leave) or resigns with preemption off: it names a successor. */
  Handover: 'handover',
  /** The settled coordinator, the highest ID, resigns with preemption on: handover, then it takes back over. */
  ResignRetake: 'resign-retake',
  /** A node higher than the coordinator comes back (restart, or a partition heals) with preemption on. */
  Preemption: 'preemption',
  /** A node that will not lead comes back (restart, or a partition heals): it only has to follow. */
  Rejoin: 'rejoin',
  /** A node that never ran before (an empty disk) joins a settled cluster it will not lead: the coordinator greets it. */
  Newcomer: 'newcomer',
} as const;
export type Cause = (typeof Cause)[keyof typeof Cause];

/**
 * The timers a bound depends on: for a cluster whose nodes differ, the largest of each; and how
 * long finding a peer may take where not every node is on one multicast group (`discoveryMs`).
 */
export type BoundTimers = Pick<ElectionConfig, 'timeoutMs' | 'heartbeatMs' | 'answerTimeoutMs' | 'dampingMs' | 'memberBeatMs' | 'maxClockDriftPpm' | 'preempt'> & {
  discoveryMs: number;
  /**
   * Whether the run has a capacity model: inputs wait for the CPU (a hop up to HOP_MS, not
   * UNLIMITED_HOP_MS), and a coordinator whose replies came back late (a process start just used
   * the CPU: seed 1756) leaves a greeting to its regular beat.
   */
  capacity: boolean;
};

/**
 * How long a node may take to find every peer in `layout`: nothing on one multicast group (the
 * plain transport is one too); through seeds and gossip, until a seed's heartbeat tells where
 * the others are (gossip rides on heartbeats: at most every GOSSIP_INTERVAL_MS, and a node
 * before any coordinator beats only every `memberBeatMs`), then probes, at most
 * MAX_PROBES_PER_INTERVAL a probe interval.
 */
export function discoveryMs(layout: NetworkLayout | null, voters: number, memberBeatMs: number): number {
  if (layout === null || layout.kind === 'one-group') return 0;
  return Math.max(GOSSIP_INTERVAL_MS, memberBeatMs) + PROBE_INTERVAL_MS * Math.ceil((voters - 1) / MAX_PROBES_PER_INTERVAL);
}

/**
 * What one message hop may take once calm: the network's 1 ms, plus the wait for a shared core
 * when 100 nodes each answer one multicast (100 inputs at the capped 200 µs each is 20 ms).
 */
export const HOP_MS = 25;

/** What one hop may take once calm on a machine without a capacity model: inputs cost no time, the network 1 ms at most. */
export const UNLIMITED_HOP_MS = 2;

/** Hops an election costs: pre-vote and its grants, vote and its grants, Coordinator and the acknowledgements. */
const ELECTION_HOPS = 6;

/** The largest of each timer over the nodes' configurations. */
export function boundTimers(configs: readonly ElectionConfig[], discovery = 0, capacity = true): BoundTimers {
  const max = (key: Exclude<keyof BoundTimers, 'discoveryMs' | 'capacity' | 'preempt'>): number => Math.max(...configs.map((c) => c[key]));
  return {
    timeoutMs: max('timeoutMs'),
    heartbeatMs: max('heartbeatMs'),
    answerTimeoutMs: max('answerTimeoutMs'),
    dampingMs: max('dampingMs'),
    memberBeatMs: max('memberBeatMs'),
    maxClockDriftPpm: max('maxClockDriftPpm'),
    // Preemption is the cluster's policy (src/sim/mixed-timers.ts keeps it cluster-wide).
    preempt: configs.some((c) => c.preempt),
    discoveryMs: discovery,
    capacity,
  };
}

/**
 * How long after the calm begins every live node must agree on the right coordinator, by cause
 * (docs/protocol.md, "L1"). Each is the sum of the waits the protocol's rules impose, plus
 * HOP_MS per message hop, stretched by the drift bound (every wait is measured by a clock that
 * may run slow).
 */
export function convergenceBoundMs(cause: Cause, t: BoundTimers): number {
  const rho = t.maxClockDriftPpm / 1e6;
  return Math.ceil((convergenceWaitMs(cause, t) * (1 + rho)) / (1 - rho));
}

/** The waits of `convergenceBoundMs`, on a perfect clock. */
function convergenceWaitMs(cause: Cause, t: BoundTimers): number {
  const { timeoutMs: T, heartbeatMs: H, answerTimeoutMs: A, dampingMs: D, memberBeatMs: M } = t;
  const S = silenceLimitMs(t.timeoutMs, t.memberBeatMs);
  /** A named successor's real vote, the Coordinator and its acknowledgements; one resend. */
  const handover = A + 2 * H + ELECTION_HOPS * HOP_MS;
  /** Preemption: quarantine (a restart) and damping run together, once the peers are found again; the news, then one handover. */
  const preemptionMs = t.discoveryMs + Math.max(D, T) + M + 2 * H + handover;
  let waitMs: number;
  switch (cause) {
    case Cause.General:
    case Cause.BootStorm:
    case Cause.ColdStartCongested:
      // As protocol version 1 argued it, the last timeout stretched to the slow silence limit.
      // Beyond one multicast group, plus finding the peers again: a node cut off longer than a
      // timeout has heard nobody lately and probes them at the directory's budget (seed 60 of
      // 100 nodes on two subnets: 100 processes booting on two cores for 6 s after the faults,
      // then found across the subnets at 8 probes a second, 13.3 s against 12.0 s).
      waitMs = D + 3 * T + S + t.discoveryMs;
      break;
    case Cause.ColdStart:
      // Finding the peers, the cold-start wait (a timeout after the last newcomer), a phantom's challenge, a resend.
      // Only a coordinator beats fast, and early beats are at most two between regular ones: the
      // news that the highest can lead and hears the others may wait a member beat (M).
      waitMs = t.discoveryMs + T + M + 2 * A + 3 * H + 2 * ELECTION_HOPS * HOP_MS;
      // Beyond one multicast group, a peer is found only by its probe of a seed, at most once a
      // probe interval and only with a beat: one whose first probe went out before the seeds
      // listened may be found after the others' cold-start wait, once a lower node leads. With
      // preemption on it then takes over as after a restart (seed 31018715: found 1.3 s after
      // the calm, led after its 3-s damping).
      if (t.preempt && t.discoveryMs > 0) waitMs = Math.max(waitMs, preemptionMs);
      break;
    case Cause.ColdStartLateHighest:
      // The cold-start wait of the nodes already up ended before the highest listened (0.2 ms
      // before, in seed 39001199): a lower node wins, and the highest preempts after its damping.
      waitMs = Math.max(convergenceWaitMs(Cause.ColdStart, t), t.preempt ? preemptionMs : 0);
      break;
    case Cause.ColdStartPhantom:
      // A lower node wins while the live highest cannot lead yet (early beats spent, its quorum is
      // heard a member beat later), and the coordinator hands over to the highest only once the
      // phantom above it is dead, a slow silence limit after the calm at most (seed 46018370:
      // n9 kept down, n8 could lead 1.6 s after the calm, n7 handed over to it at 6.0 s).
      waitMs = Math.max(convergenceWaitMs(Cause.ColdStartLateHighest, t), t.preempt ? Math.max(S, t.discoveryMs + M + D) + 2 * H + handover : 0);
      break;
    case Cause.CrashFailover:
      // The promises run out (the dead coordinator beat fast: it is dead then too), a challenge of it, the election.
      waitMs = T + A + 2 * H + 2 * ELECTION_HOPS * HOP_MS;
      break;
    case Cause.Handover:
      waitMs = handover;
      break;
    case Cause.ResignRetake:
      // Its hold-off, the news that it can lead again (at once, within a heartbeat), two handovers.
      // A saturated node (its datagrams come back later than a heartbeat) sends no news beat: on
      // a machine with a capacity model the news may wait for its regular beat, a member beat
      // away (seed 11 of 100 nodes: 1276 ms on two cores kept 80 % busy, unicast only).
      waitMs = D + (t.capacity ? Math.max(H, M) : H) + 2 * handover;
      break;
    case Cause.Preemption:
      // The news that it can lead again may wait a member beat (early beats spent on greetings).
      waitMs = preemptionMs;
      break;
    case Cause.Newcomer:
      // Found (beyond one group); its first heartbeat, the coordinator's greeting round at once, the acknowledgements.
      // Without the greeting it waits for the next regular round, up to a heartbeat. A coordinator
      // whose own datagrams lately came back later than a heartbeat greets nobody (docs/protocol.md,
      // "Under load"), and not only where the CPU is short: the slow links of the faults just
      // before the calm do the same on an unlimited machine (seeds 26001351, 26004113, 26008978,
      // 26010076: the newcomer followed after 98 to 102 ms, one regular round at 100 ms).
      // On a machine with a capacity model a first start is a rejoin's: its queue of first
      // datagrams drains on a shared core (seed 26012212: 523 ms on one core kept 72 % busy).
      waitMs = t.capacity ? t.discoveryMs + A + 2 * H + ELECTION_HOPS * HOP_MS : t.discoveryMs + H + 3 * UNLIMITED_HOP_MS;
      break;
    case Cause.Rejoin:
      // Found again (beyond one group), the coordinator sends a lease round on hearing a newcomer; boot grace, a resend.
      waitMs = t.discoveryMs + A + 2 * H + ELECTION_HOPS * HOP_MS;
      break;
  }
  return waitMs;
}
