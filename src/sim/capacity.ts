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
 * second; the lower draws are a machine also busy with 50 processes.
 */
const BACKLOG_PACKETS_PER_MS = [20, 50, 100, 300] as const;
const CORES = [1, 2, 2, 4] as const;

/** A capacity model for one run, from its own stream: how much of a real machine it has. */
export function drawCapacity(random: SimRandom): CapacityPlan {
  return {
    receiveQueueDatagramsMax: random.pick(RECEIVE_QUEUES_DATAGRAMS),
    backlogPacketsMax: BACKLOG_PACKETS_MAX,
    backlogPacketsPerMs: random.pick(BACKLOG_PACKETS_PER_MS),
    cores: random.pick(CORES),
    inputCpuUs: random.between(20, 200),
    bootCpuMs: random.between(50, 400),
  };
}

/** A boot storm's machine: few cores, inputs on the costly side, slow process starts. */
export function drawStormCapacity(random: SimRandom): CapacityPlan {
  return { ...drawCapacity(random), cores: random.pick([1, 2] as const), inputCpuUs: random.between(50, 200) };
}

export function describeCapacity(plan: CapacityPlan | null): string {
  if (plan === null) return 'unlimited capacity';
  return (
    `${plan.cores} core(s), ${plan.inputCpuUs.toFixed(0)} µs an input, boot ${plan.bootCpuMs.toFixed(0)} ms of CPU, ` +
    `receive queue ${plan.receiveQueueDatagramsMax} datagrams, backlog ${plan.backlogPacketsMax} packets at ${plan.backlogPacketsPerMs}/ms`
  );
}
