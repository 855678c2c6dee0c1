/**
 * The benchmark's scenarios, each on a fresh lab of network namespaces: failover after kill -9 or
 * unplugging the leader (and Conclave's graceful handover), cold start, load per node, and a
 * 2|3 partition with the leader on the small side. Every trial starts from a settled cluster and
 * leaves one behind.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { CLOCK_TICKS_PER_SECOND, cpuTicks as processCpuTicks } from '../process-cpu.ts';
import { agreementAt, dualLeaderMs } from './measure.ts';
import type { FailoverKind, System } from './systems.ts';

export const BENCH_PREFIX = 'cvbnch';
const SETTLE_TIMEOUT_MS = 90_000;
const LOAD_SETTLE_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createLab(system: System, size: number): NetnsLab {
  return NetnsLab.create(size, size, {
    prefix: BENCH_PREFIX,
    retainEvents: true,
    mode: system.mode ?? 'netns',
    ...(system.command === undefined ? {} : { command: system.command }),
    ...(system.program === undefined ? {} : { program: system.program }),
  });
}

/**
 * Waits until every running node names one leader that says it leads (for Conclave, the highest
 * running ID, once preemption is done), and no node's view has changed for the system's quiet
 * time. Returns the leader.
 */
export async function settle(lab: NetnsLab, system: System, timeoutMs = SETTLE_TIMEOUT_MS): Promise<number> {
  const started = Date.now();
  let signature = '';
  let since = Date.now();
  for (;;) {
    const running = lab.running();
    const views = running.map((id) => `${lab.latest(id)?.role}/${lab.latest(id)?.leader}`).join(',');
    if (views !== signature) {
      signature = views;
      since = Date.now();
    }
    const leader = lab.agreed(running);
    const settled = leader !== null && lab.latest(leader)?.role === 'leader' && (!system.highestLeads || leader === Math.max(...running));
    if (settled && Date.now() - since >= system.quietMs) return leader;
    if (Date.now() - started > timeoutMs) throw new Error(`${system.name}: not settled after ${timeoutMs} ms\n${lab.describe()}`);
    await sleep(20);
  }
}

export type { FailoverKind };

export interface Trial {
  /** From the action to the survivors agreeing on a new leader that says it leads. */
  failoverMs: number;
  /** Time with two leaders, from the action until settled again (the old one back included). */
  dualLeaderMs: number;
}

/** One failover: the leader killed, unplugged or stopped gracefully; then restored, and settled. */
export async function failover(lab: NetnsLab, system: System, kind: FailoverKind): Promise<Trial> {
  const leader = await settle(lab, system);
  const survivors = lab.nodes.filter((node) => node.process !== null && node.id !== leader);
  // A crash comes at any point of the heartbeat cycle: act at a random phase of it, not at a
  // moment that polling happens to line up with the heartbeats.
  await sleep(Math.random() * system.heartbeatMs);
  const startedMs = Date.now();
  let exited: Promise<number | null> | null = null;
  if (kind === 'unplug') lab.unplug(leader);
  else exited = lab.signal(leader, kind === 'kill' ? 'SIGKILL' : 'SIGTERM');
  await lab.waitFor(`${kind} failover`, () => agreementAt(survivors, startedMs, leader) !== null, SETTLE_TIMEOUT_MS);
  const agreedMs = agreementAt(survivors, startedMs, leader)!;
  if (exited !== null) {
    await exited;
    lab.start(leader);
  } else {
    lab.replug(leader);
  }
  await settle(lab, system);
  return { failoverMs: agreedMs - startedMs, dualLeaderMs: dualLeaderMs(lab.nodes, startedMs, Date.now()) };
}

/** From starting every process to the first leader all of them agree on. */
export interface ColdStart {
  /** From spawning every process to the first leader all of them agree on. */
  totalMs: number;
  /** From spawning every process to the last one's first event line: process start-up alone. */
  startupMs: number;
}

export async function coldStart(system: System, size: number): Promise<ColdStart> {
  const lab = createLab(system, size);
  try {
    const startedMs = Date.now();
    lab.startAll();
    await lab.waitFor('cold start', () => agreementAt(lab.nodes, startedMs) !== null, SETTLE_TIMEOUT_MS);
    const lastUpMs = Math.max(...lab.nodes.map((node) => node.events.find((event) => event.ts >= startedMs)?.ts ?? startedMs));
    return { totalMs: agreementAt(lab.nodes, startedMs)! - startedMs, startupMs: lastUpMs - startedMs };
  } finally {
    lab.destroy();
  }
}

export interface Load {
  /** False when the cluster did not settle (an overloaded machine): measured anyway, as it was. */
  settled: boolean;
  datagramsSentPerS: number;
  datagramsReceivedPerS: number;
  bytesSentPerS: number;
  bytesReceivedPerS: number;
  cpuPercent: number;
  /** The busiest node's CPU. */
  cpuPercentMax: number;
  rssMiB: number;
  /** How long after settling the window began (older results: 2 s). */
  warmupS?: number;
}

interface Sample {
  atMs: number;
  cpuTicks: Map<number, number>;
  link: Map<number, { rxBytes: number; rxPackets: number; txBytes: number; txPackets: number }>;
}

/**
 * A settled cluster's traffic, CPU and memory per node over `windowMs`, from `warmupMs` after it
 * settled. Node's code runs in its slower tiers for the first minutes at these rates (a Conclave
 * follower's CPU fell by about a fifth between 30 s and 2 min): a long warm-up measures what a
 * room that runs all day sees, for every system alike.
 */
export async function load(system: System, size: number, windowMs: number, warmupMs = 2000): Promise<Load> {
  const lab = createLab(system, size);
  try {
    lab.startAll();
    const settled = await settle(lab, system, LOAD_SETTLE_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    await sleep(warmupMs);
    const first = sample(lab);
    await sleep(windowMs);
    const last = sample(lab);
    const seconds = (last.atMs - first.atMs) / 1000;
    const ids = lab.nodes.map((n) => n.id);
    const mean = (f: (id: number) => number): number => ids.reduce((sum, id) => sum + f(id), 0) / ids.length;
    const delta = (id: number, key: 'rxBytes' | 'rxPackets' | 'txBytes' | 'txPackets'): number => last.link.get(id)![key] - first.link.get(id)![key];
    const cpu = (id: number): number => ((last.cpuTicks.get(id)! - first.cpuTicks.get(id)!) / CLOCK_TICKS_PER_SECOND / seconds) * 100;
    return {
      settled,
      // The switch port's receive is the node's send, and the other way round.
      datagramsSentPerS: mean((id) => delta(id, 'rxPackets')) / seconds,
      datagramsReceivedPerS: mean((id) => delta(id, 'txPackets')) / seconds,
      bytesSentPerS: mean((id) => delta(id, 'rxBytes')) / seconds,
      bytesReceivedPerS: mean((id) => delta(id, 'txBytes')) / seconds,
      cpuPercent: mean(cpu),
      cpuPercentMax: Math.max(...ids.map(cpu)),
      rssMiB: mean((id) => rssKiB(lab.node(id).process!.pid!) / 1024),
      warmupS: warmupMs / 1000,
    };
  } finally {
    lab.destroy();
  }
}

function sample(lab: NetnsLab): Sample {
  const atMs = Date.now();
  const cpuTicks = new Map<number, number>();
  for (const node of lab.nodes) {
    const { userTicks, systemTicks } = processCpuTicks(node.process!.pid!);
    cpuTicks.set(node.id, userTicks + systemTicks);
  }
  const ports = JSON.parse(execFileSync('ip', ['-n', lab.switchNs, '-s', '-j', 'link', 'show'], { encoding: 'utf8' })) as Array<{
    ifname: string;
    stats64: { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } };
  }>;
  const link = new Map<number, Sample['link'] extends Map<number, infer V> ? V : never>();
  for (const port of ports) {
    const id = Number(/p(\d+)$/.exec(port.ifname)?.[1]);
    if (!Number.isInteger(id) || port.ifname === 'br0') continue;
    link.set(id, { rxBytes: port.stats64.rx.bytes, rxPackets: port.stats64.rx.packets, txBytes: port.stats64.tx.bytes, txPackets: port.stats64.tx.packets });
  }
  return { atMs, cpuTicks, link };
}

function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

export interface SplitBrain {
  /** With the leader and one other on the small side, for `holdMs`. */
  duringMs: number;
  /** From healing until settled. */
  afterHealMs: number;
  /** Whether the small side had a leader of its own at the end of the partition. */
  minorityLed: boolean;
  majorityFailoverMs: number | null;
}

/** A 2|3 partition of five with the leader on the 2 side, held for `holdMs`, then healed. */
export async function splitBrain(system: System, holdMs: number): Promise<SplitBrain> {
  const lab = createLab(system, 5);
  try {
    lab.startAll();
    const leader = await settle(lab, system);
    const small = [leader, lab.nodes.map((n) => n.id).find((id) => id !== leader)!];
    const large = lab.nodes.map((n) => n.id).filter((id) => !small.includes(id));
    const startedMs = Date.now();
    lab.partition([small, large]);
    await sleep(holdMs);
    const minorityLed = small.some((id) => lab.latest(id)?.role === 'leader');
    const healedMs = Date.now();
    lab.heal();
    await settle(lab, system);
    const majority = agreementAt(large.map((id) => lab.node(id)), startedMs, leader);
    return {
      duringMs: dualLeaderMs(lab.nodes, startedMs, healedMs),
      afterHealMs: dualLeaderMs(lab.nodes, healedMs, Date.now()),
      minorityLed,
      majorityFailoverMs: majority === null || majority > healedMs ? null : majority - startedMs,
    };
  } finally {
    lab.destroy();
  }
}
