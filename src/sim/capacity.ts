import type { ElectionConfig } from '../core/index.ts';
import type { SimRandom } from './prng.ts';

/**
 * What a real machine limits, drawn per seed (TigerBeetle's VOPR: the fault mix comes from the
 * seed; "put a limit on everything"). On a 2-core machine 50 node processes share both cores and
 * the kernel's per-CPU receive backlog (netdev_max_backlog, 1000 packets); a multicast over a
 * bridge becomes N − 1 packets in that backlog, each socket holds about 208 KiB, and when the
 * backlog is full senders get ENOBUFS while receivers drop silently. A world without these limits
 * hides what a traffic storm costs.
 */
export interface CapacityPlan {
  /** Datagrams a host's socket holds while its process is busy; beyond this they are dropped. */
  receiveQueueDatagramsMax: number;
  /** Packets the shared backlog holds (every copy of a multicast is one). */
  backlogPacketsMax: number;
  /** Packets the kernel moves out of the backlog per millisecond. */
  backlogPacketsPerMs: number;
  /** Cores the hosts' processes share. */
  cores: number;
  /** CPU time one input (a datagram: decode, MAC, core step; or a timer) costs, before jitter. */
  inputCpuUs: number;
  /** CPU time a process takes to start (Node.js loading the runtime) before its first input. */
  bootCpuMs: number;
}

/** 208 KiB of socket buffer at roughly 800 bytes of kernel memory per small datagram. */
const RECEIVE_QUEUES_DATAGRAMS = [64, 256, 1024] as const;
/** Linux's default net.core.netdev_max_backlog. */
const BACKLOG_PACKETS_MAX = 1000;
/**
 * Bridge forwarding on a shared 2-core machine moves some hundred thousand small packets a
 * second; the lower draws are a machine also busy with 50 processes. Raised if need be, like the
 * CPU is capped: a settled cluster uses at most SETTLED_LOAD_MAX of it.
 */
const BACKLOG_PACKETS_PER_MS = [20, 50, 100, 300] as const;
const CORES = [1, 2, 2, 4] as const;

/**
 * The most of its cores a settled cluster may need on a drawn machine. A machine that cannot
 * carry a settled cluster at all never has a calm CPU, and its runs would say nothing about the
 * protocol's liveness: the input cost drawn is capped so that the settled load leaves a fifth of
 * the cores free. What a settled node costs is measured by `npm run bench`, not here.
 */
export const SETTLED_LOAD_MAX = 0.8;

/**
 * Inputs a settled cluster hands its processes per second (docs/protocol.md, "Rates"): every
 * node's membership beat reaches every other, the coordinator's rounds reach every follower and
 * each follower's acknowledgement reaches the coordinator; plus about one timer per node per round.
 */
export function settledInputsPerSecond(config: Pick<ElectionConfig, 'voters' | 'heartbeatMs' | 'memberBeatMs'>): number {
  const n = config.voters.length;
  const rounds = 1000 / config.heartbeatMs;
  return (n * (n - 1) * 1000) / config.memberBeatMs + 2 * (n - 1) * rounds + n * rounds;
}

/** The share of its cores a settled cluster keeps busy on `plan`. */
export function settledLoad(plan: CapacityPlan, inputsPerSecond: number): number {
  return (inputsPerSecond * plan.inputCpuUs) / 1e6 / plan.cores;
}

/**
 * The fewest datagrams a socket must queue for a settled cluster of `voters`: a coordinator reads
 * one acknowledgement from every follower after each round, all sent the moment the round
 * arrived, and as many datagrams again may come meanwhile (member beats, requests). A smaller
 * queue drops a share of every round's acknowledgements, settled or not: at 100 voters a queue of
 * 64 lost a third of them, the coordinator lost its lease with nothing failing (seed 55 of 100
 * nodes), and beyond the group a follower whose only acknowledgement was lost fell out of the
 * coordinator's copies (seeds 1 and 59). Real systems queue more: Conclave asks for 4 MiB, and
 * Linux's default cap gives 416 KiB, some 400 small datagrams (docs/protocol.md, "Under load").
 */
export function receiveQueueFloor(voters: number): number {
  return 2 * (voters - 1);
}

/**
 * A capacity model for one run, from its own stream: how much of a real machine it has. The
 * input cost is capped (SETTLED_LOAD_MAX) by what a settled cluster of this size hands it, and
 * the receive queue is at least what it needs (receiveQueueFloor).
 */
export function drawCapacity(random: SimRandom, settledPerSecond: number, voters: number, minInputCpuUs = 20, coreChoices: readonly number[] = CORES): CapacityPlan {
  const receiveQueueDatagramsMax = Math.max(random.pick(RECEIVE_QUEUES_DATAGRAMS), receiveQueueFloor(voters));
  const drawnPacketsPerMs = random.pick(BACKLOG_PACKETS_PER_MS);
  const cores = random.pick(coreChoices);
  const drawnUs = random.between(minInputCpuUs, 200);
  const bootCpuMs = random.between(50, 400);
  const capUs = (SETTLED_LOAD_MAX * cores * 1e6) / settledPerSecond;
  // Nearly every input is a packet that crossed the backlog (timers are the rest).
  const floorPacketsPerMs = settledPerSecond / 1000 / SETTLED_LOAD_MAX;
  return {
    receiveQueueDatagramsMax,
    backlogPacketsMax: BACKLOG_PACKETS_MAX,
    backlogPacketsPerMs: Math.max(drawnPacketsPerMs, floorPacketsPerMs),
    cores,
    inputCpuUs: Math.min(drawnUs, capUs),
    bootCpuMs,
  };
}

/** A boot storm's machine: one or two cores, inputs on the costly side (within the cap), slow process starts. */
export function drawStormCapacity(random: SimRandom, settledPerSecond: number, voters: number): CapacityPlan {
  return drawCapacity(random, settledPerSecond, voters, 50, [1, 2]);
}

export function describeCapacity(plan: CapacityPlan | null): string {
  if (plan === null) return 'unlimited capacity';
  return (
    `${plan.cores} core(s), ${plan.inputCpuUs.toFixed(0)} µs an input, boot ${plan.bootCpuMs.toFixed(0)} ms of CPU, ` +
    `receive queue ${plan.receiveQueueDatagramsMax} datagrams, backlog ${plan.backlogPacketsMax} packets at ${plan.backlogPacketsPerMs.toFixed(0)}/ms`
  );
}
