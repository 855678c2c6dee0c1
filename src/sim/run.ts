import { quorumSize, resolveConfig, silenceLimitMs, type ElectionConfig, type ElectionConfigInput, type NodeId, type NodeSnapshot } from '../core/index.ts';
import { AvailabilityMeter } from './availability.ts';
import { drawCapacity, drawStormCapacity, settledInputsPerSecond, settledLoad, type CapacityPlan } from './capacity.ts';
import { Act, drawActs, performAct, type ActState } from './acts.ts';
import { boundTimers, Cause, convergenceBoundMs, discoveryMs, HOP_MS } from './bounds.ts';
import { Check, type Violation } from './checkers.ts';
import { hasConnectedQuorum } from './connectivity.ts';
import { MAX_SAVE_DELAY_MS } from './disk.ts';
import { drawLongestLease } from './longest-lease.ts';
import { drawMixedTimers } from './mixed-timers.ts';
import { drawNewcomer } from './newcomer.ts';
import { drawImpostor, impostorMarginMs, impostorTwins, scheduleImpostor, type ImpostorPlan } from './impostor.ts';
import { drawSpentTerm, SPENT_STATE } from './spent-term.ts';
import { PhaseWatch } from './phases.ts';
import { SimCluster, type CapacityStats, type Watcher } from './cluster.ts';
import { describeWindow, SEND_RATE_MULTIPLE_MAX, SEND_WINDOW_MS, settledSendsPerSecond, type SendWindow } from './send-rate.ts';
import { planDiskFaults, planFaults, planGroupFilters, planOperations, type Fault } from './faults.ts';
import { drawLayout, type LayoutKind, type NetworkLayout } from './layout.ts';
import { ONE_WAY_AFTER_MS } from '../net/peer-directory.ts';
import type { CoreFactory } from './host.ts';
import { CALM_LAN, type NetworkStats } from './network.ts';
import { mix32, SimRandom, streamOf } from './prng.ts';

/** Slow rates a run may draw: 100 ms is one rate for all, as protocol version 1 had. */
const MEMBER_BEATS_MS = [100, 500, 1000, 1000, 2000] as const;
const MEMBER_BEAT_STREAM = 0x6d656d62;
/** Operations while faults run (./faults.ts planOperations) draw from a stream of their own. */
const OPERATIONS_STREAM = 0x6f707320;
const LARGE_STREAM = 0x6c617267;
/** Share of random runs (without --nodes) drawn larger than 9 nodes, and the sizes they draw. */
export const LARGE_SHARE = 0.01;
const LARGE_SIZES = [12, 16, 25] as const;
/** The capacity model's own stream, so that every other draw of a seed stays as it was. */
const CAPACITY_STREAM = 0x63617061;
/** The network layout's own stream (./layout.ts), and its group filters'. */
const LAYOUT_STREAM = 0x6c61796f;
/** Share of runs on the plain transport (no directory), as every run was before the layout. */
const PLAIN_SHARE = 0.3;
/** What a boot storm may draw: it is issue 22's scenario, one LAN, where loss must make no copies. */
const STORM_LAYOUTS: readonly LayoutKind[] = ['one-group'];
/** Share of random runs on an unlimited machine, as every run was before the capacity model. */
const UNLIMITED_SHARE = 0.25;
/** Cluster sizes a boot storm draws when --nodes does not say. */
const STORM_SIZES = [25, 50, 100] as const;
/** A boot storm: every process is started within this long. */
const STORM_BOOT_WINDOW_MS = 1000;
/**
 * Loss on every link while a storm's processes start (issue 22: a boot storm with loss), healed
 * once the last listens, as a run's faults are at its calm. From a stream of its own: a storm
 * without loss runs as it did before loss was drawn.
 */
const STORM_LOSS_RATES = [0, 0, 0.05, 0.2] as const;
const STORM_LOSS_STREAM = 0x6c6f7373;
/** How long a boot storm may take for every process to be up before the run gives up (L1 fails). */
const STORM_START_MAX_MS = 120_000;
/** How long restarted processes may take to listen after the calm before L1 starts counting anyway. */
const CALM_START_MAX_MS = 60_000;

/**
 * The capacity of a run: `drawn` (default) draws it from the seed, an unlimited machine in a
 * quarter of the seeds; `off` is the unlimited machine the simulator had first; or a given plan.
 */
export type CapacityChoice = 'drawn' | 'off' | CapacityPlan;

/**
 * How hosts route a run's datagrams: `drawn` (default) draws a layout from the seed (./layout.ts;
 * the plain transport in 30 % of the seeds); `off` is the plain transport the simulator had first,
 * that delivers a message to everyone to every host and a direct one to its addressee, with no
 * directory; or a given layout.
 */
export type DirectoryChoice = 'drawn' | 'off' | NetworkLayout;

export interface RunOptions {
  seed: number;
  /** Cluster size; by default drawn from the seed, 3 to 9. */
  nodes?: number;
  /** Builds each node's core; tests pass a deliberately broken one. */
  createCore?: CoreFactory;
  /** Overrides the configuration drawn from the seed (validated). */
  config?: Partial<ElectionConfigInput>;
  /** Sees every core event, fault and phase change as it happens (the demo narrates them). */
  watch?: Watcher;
  /** Storage faults (./disk.ts) on top of the network's and processes'; default true. */
  diskFaults?: boolean;
  /** The machine's limits (./capacity.ts); default `drawn`. */
  capacity?: CapacityChoice;
  /** The network layout and the peer directories (./layout.ts); default `drawn`. */
  directory?: DirectoryChoice;
  /**
   * A boot storm instead of random faults: 25, 50 or 100 nodes (or `nodes`) all start within one
   * second on a machine with few cores; calm is the instant the last process listens.
   */
  bootStorm?: boolean;
  /**
   * The newer draws (./acts.ts, operations in ./faults.ts, ./mixed-timers.ts, larger clusters):
   * default true; false replays a seed as it ran before they existed.
   */
  operations?: boolean;
  /**
   * Whether a second process may claim a voter's ID (./impostor.ts, drawn with the newer draws);
   * default true. False for readers of one log per ID, as `conclave check` is.
   */
  impostor?: boolean;
  /** Checks in REPORTED_CHECKS (./checkers.ts) fail the run too; default false: they are findings. */
  strict?: boolean;
  /** Sees the cluster once it is built, before anything runs (diagnostics sample it over the run). */
  inspect?: (sim: SimCluster) => void;
}

/** One calm phase: what began it, how long agreement took, and the bound it had. */
export interface PhaseResult {
  cause: Cause;
  /** What the run did to begin it: the calm after the faults, or an act (./acts.ts). */
  what: string;
  convergenceMs: number | null;
  boundMs: number;
}

export interface RunResult {
  seed: number;
  nodes: number;
  config: Pick<ElectionConfig, 'voters' | 'preempt' | 'dampingMs' | 'timeoutMs' | 'leaseMs' | 'memberBeatMs'>;
  faults: number;
  violations: Violation[];
  /** Violations of checks today's core is known to break (REPORTED_CHECKS), unless the run was strict. */
  findings: Violation[];
  /** The readable trace leading to the first violation, or null. */
  trace: string | null;
  simulatedMs: number;
  steps: number;
  /** From the end of the faults to an agreed coordinator. */
  convergenceMs: number | null;
  boundMs: number;
  network: NetworkStats;
  scenario: 'random' | 'boot-storm';
  /** The run's capacity model, or null for an unlimited machine. */
  capacityPlan: CapacityPlan | null;
  capacity: CapacityStats;
  /** The share of the cores a settled cluster keeps busy on this machine, or null if unlimited. */
  settledLoad: number | null;
  /** The busiest 10-s window of any node before the cluster settled (R1 judges the windows after). */
  sendPeak: SendWindow | null;
  /**
   * From the first coordinator to the calm: time without a valid lease anywhere, elections, and
   * the longest leaderless time within a quiet stretch of the fault phase (A1 bounds it).
   */
  availability: { leaderlessMs: number; elections: number; quietLeaderlessMsMax: number };
  /** Every calm phase: the calm after the faults, then one per act. */
  phases: PhaseResult[];
  /** Names of coordinators whose lease had ended (./named-leader.ts): the longest, and how often. */
  namedLeader: { staleMsMax: number; staleSamples: number; earlySamples: number; supersededSamples: number; supersededMsMax: number; firstSuperseded: string | null };
  /** Whether the nodes ran different timers (./mixed-timers.ts). */
  mixedTimers: boolean;
  /** The voter a second process claimed while the faults ran, and that process's disk (./impostor.ts); null: none. */
  impostor: { twin: NodeId; disk: ImpostorPlan['disk']; gaps: number; firstGap: string | null } | null;
  /** The run's network layout, or null for the plain transport. */
  layout: NetworkLayout | null;
  /** The most unicast copies of messages to everyone any node sent in a 10-s window once settled (0 without a directory). */
  copiesPer10sMax: number;
}

/**
 * One randomized run, entirely determined by its seed: staggered boots, a phase of faults, then
 * calm (at most a minority kept down), in which the rest must agree on a coordinator within a
 * bound and keep it (L1, L2). Safety (S1–S3) is checked after every input throughout.
 */
export function runSimulation(options: RunOptions): RunResult {
  if (options.bootStorm === true) return runBootStorm(options);
  const scenario = new SimRandom(options.seed);
  const faultRandom = scenario.fork();
  const newer = options.operations !== false;
  const drawnSize = scenario.int(3, 9);
  const size = options.nodes ?? (newer ? drawLargeSize(options.seed) : null) ?? drawnSize;
  const voters = scenario.chance(0.25) ? sparseIds(scenario, size) : Array.from({ length: size }, (_, i) => i + 1);
  const clusterSeed = scenario.int(0, 2 ** 31);
  const configInput: Partial<ElectionConfigInput> = {
    preempt: scenario.chance(0.8),
    dampingMs: scenario.pick([0, 1000, 3000]),
    // A stream of its own, so that seeds found before two rates existed meet the same faults.
    memberBeatMs: new SimRandom(options.seed ^ MEMBER_BEAT_STREAM).pick(MEMBER_BEATS_MS),
    ...options.config,
  };
  const longestLeaseMs = newer && options.config?.leaseMs === undefined ? drawLongestLease(options.seed, { clusterSize: size, ...configInput, voters }) : null;
  if (longestLeaseMs !== null) configInput.leaseMs = longestLeaseMs;
  const baseConfig = resolveConfig({ clusterSize: size, ...configInput, voters });
  const configOf = newer ? drawMixedTimers(options.seed, voters, baseConfig.memberBeatMs) : null;
  // The fastest heartbeat costs the most CPU: the capacity is drawn for it.
  const fastest = configOf === null ? baseConfig : resolveConfig({ clusterSize: size, ...configInput, voters, heartbeatMs: Math.min(...voters.map((id) => configOf(id).heartbeatMs ?? baseConfig.heartbeatMs)) });
  const settled = settledInputsPerSecond(fastest);
  const layoutRandom = new SimRandom(mix32(options.seed ^ LAYOUT_STREAM));
  const sim = new SimCluster({
    voters,
    seed: clusterSeed,
    createCore: options.createCore,
    capacity: chooseCapacity(options.seed, options.capacity ?? 'drawn', (random) => drawCapacity(random, settled, voters.length)),
    layout: chooseLayout(layoutRandom, options.directory ?? 'drawn', voters),
    config: configInput,
    configOf: configOf ?? undefined,
  });
  const { config } = sim;
  sim.safety.strict = options.strict === true;
  const timers = boundTimers(
    [...sim.configs.values()],
    discoveryMs(sim.layout, voters.length, Math.max(...[...sim.configs.values()].map((c) => c.memberBeatMs))),
    sim.capacity !== null,
  );
  if (options.watch !== undefined) sim.watch(options.watch);
  const spent = newer ? drawSpentTerm(options.seed, voters, size - quorumSize(size)) : null;
  const newcomer = newer ? drawNewcomer(options.seed, voters.filter((id) => id !== spent), size - quorumSize(size) - (spent === null ? 0 : 1)) : null;
  if (spent !== null) {
    sim.outsiders.add(spent);
    sim.host(spent).storage.state = SPENT_STATE;
    sim.note(`n${spent}'s state file holds the last term, ${SPENT_STATE.term}`, spent);
  }
  options.inspect?.(sim);

  // Phase 1: staggered boots, then faults until calmFromMs.
  const bootWindowMs = scenario.between(0, 1500);
  let lastBootMs = 0;
  /**
   * Nodes whose process began to listen while another's campaign was under way: newcomers to an
   * election. When it listens, not when it starts: a process that spends its start-up CPU while
   * a lower node campaigns joins that node's cluster all the same (seed 47009960: n927 started
   * at the calm, n847 was elected while it loaded, and n927 took over after the damping).
   */
  const bootedIntoCampaign = new Set<NodeId>();
  sim.onLaunch((host) => {
    if (sim.hosts.some((h) => h !== host && campaigned(h.inspect()))) bootedIntoCampaign.add(host.id);
  });
  for (const id of voters) {
    const atMs = scenario.between(0, bootWindowMs);
    lastBootMs = Math.max(lastBootMs, atMs);
    if (id === newcomer) continue;
    sim.scheduler.at(atMs, () => sim.boot(id));
  }
  const quiet = scenario.chance(0.15);
  const calmFromMs = quiet ? lastBootMs : Math.max(lastBootMs, scenario.between(5000, 15000));
  const faults = planFaults(faultRandom, voters, lastBootMs, calmFromMs, config.timeoutMs);
  if (newer) faults.push(...planOperations(streamOf(options.seed, OPERATIONS_STREAM), voters, lastBootMs, calmFromMs, config.timeoutMs));
  const generalBoundMs = convergenceBoundMs(Cause.General, timers);
  const availability = measureAvailability(sim, calmFromMs, generalBoundMs);
  for (const { atMs, fault } of faults) {
    // A newcomer has not started: nothing crashes, stalls or stops it (a crash would restart it).
    if ('node' in fault && fault.node === newcomer) continue;
    sim.scheduler.at(atMs, () => {
      sim.note(`fault: ${describeFault(fault)}`, 'node' in fault ? fault.node : 0);
      applyFault(sim, fault, calmFromMs);
      availability.meter.disturb(sim.nowMs + faultDurationMs(fault));
    });
  }

  // An impostor (./impostor.ts) stops early enough that its twin is heard again by the calm.
  const impostor = newer && options.impostor !== false ? drawImpostor(options.seed, impostorTwins(sim, [spent, newcomer]), lastBootMs, calmFromMs - impostorMarginMs(sim), config.timeoutMs) : null;
  if (impostor !== null) scheduleImpostor(sim, impostor, availability.meter);

  // Phase 2: calm. At most a minority stays crashed or cut off, a spent node included.
  const absent = new Set([spent, newcomer].filter((id) => id !== null));
  const spare = size - quorumSize(size) - absent.size;
  const keptDown = new Set(
    spare > 0 && scenario.chance(0.3) ? scenario.shuffle(voters.filter((id) => !absent.has(id))).slice(0, scenario.int(1, spare)) : [],
  );
  const connected = new Set(voters.filter((id) => !keptDown.has(id) && !absent.has(id)));
  const crashKept = voters.map(() => scenario.chance(0.5));
  // Storage faults come from a stream of their own, forked after every other draw, so that a
  // seed found before they existed still meets the same network and process faults.
  const diskRandom = scenario.fork();
  if (options.diskFaults !== false) {
    for (const { atMs, fault } of planDiskFaults(diskRandom, voters, lastBootMs, calmFromMs, config.timeoutMs)) {
      sim.scheduler.at(atMs, () => {
        sim.note(`fault: ${describeFault(fault)}`, fault.node);
        sim.host(fault.node).failDisk(fault.mode, fault.durationMs);
        availability.meter.disturb(sim.nowMs + fault.durationMs + MAX_SAVE_DELAY_MS);
      });
    }
  }
  if (sim.layout !== null) {
    for (const { atMs, fault } of planGroupFilters(layoutRandom, sim.layout, lastBootMs, calmFromMs)) {
      sim.scheduler.at(atMs, () => {
        sim.note(`fault: ${describeFault(fault)}`, fault.from);
        applyFault(sim, fault, calmFromMs);
        // Unicast still works, but a one-way multicast path is repaired only once the peer it
        // cuts has not listed us for ONE_WAY_AFTER_MS (src/net/peer-directory.ts); until then the
        // pair may not hear each other, and if they are the only quorum, nobody leads (seed 40019804).
        availability.meter.disturb(sim.nowMs + silenceLimitMs(timers.timeoutMs, timers.memberBeatMs) + ONE_WAY_AFTER_MS);
      });
    }
  }
  // A supervisor restarts a node whose save failed, as it does a crashed one; also one whose
  // last faulty save failed just after the calm began (unless it is to stay down).
  sim.onFatal((id) => {
    const restartAtMs = sim.nowMs + diskRandom.between(100, config.timeoutMs);
    availability.meter.disturb(restartAtMs);
    sim.scheduler.at(restartAtMs, () => {
      if (sim.nowMs < calmFromMs || !keptDown.has(id)) sim.boot(id);
    });
  });
  const memberSilenceMs = silenceLimitMs(config.timeoutMs, config.memberBeatMs);
  sim.scheduler.at(calmFromMs, () => {
    sim.note(`calm: network healed, crashed nodes restarted${keptDown.size > 0 ? `, [${[...keptDown]}] kept down` : ''}`);
    sim.heal();
    const isolated: NodeId[][] = [];
    voters.forEach((id, i) => {
      if (id === newcomer) return;
      if (!keptDown.has(id)) sim.boot(id);
      else if (crashKept[i] || !sim.host(id).up) sim.crash(id);
      else isolated.push([id]);
    });
    // A spent node and a newcomer stay on the LAN with the rest.
    if (isolated.length > 0) sim.partition([...connected, ...absent], ...isolated);
  });
  sim.scheduler.runUntil(calmFromMs);
  availability.meter.finish();
  // The CPU is calm too once every process meant to run listens: on a machine with a capacity
  // model, restarted processes first spend their start-up CPU (at once, without one).
  const liveFromMs = waitForProcesses(sim, [...connected], calmFromMs + CALM_START_MAX_MS);
  if (liveFromMs > calmFromMs) sim.note(`every process listens, ${(liveFromMs - calmFromMs).toFixed(0)} ms after the calm`);
  // A node kept down may have been heard just before it went: preemption trusts a higher node
  // heard within two heartbeats, so its last words can still move leadership that long into the
  // calm (seed 9002439: the coordinator handed over to it 104 ms after the calm).
  const lastWordsMs = keptDown.size > 0 ? calmFromMs + 2 * timers.heartbeatMs + HOP_MS : calmFromMs;
  const phaseFromMs = Math.max(liveFromMs, lastWordsMs);
  if (sim.nowMs < phaseFromMs) sim.scheduler.runUntil(phaseFromMs);
  const phases = new PhaseWatch(sim, config.preempt, timers);
  // A quiet run is a cold start: nothing ran before the calm but the boots.
  const highest = Math.max(...connected);
  const phantomAbove = [...keptDown].some((id) => id > highest);
  const firstCause = !quiet ? Cause.General : phantomAbove ? Cause.ColdStartPhantom : bootedIntoCampaign.has(highest) ? Cause.ColdStartLateHighest : Cause.ColdStart;
  phases.begin(firstCause, phaseFromMs, connected, quiet ? 'cold start' : 'calm after the faults');
  // Acts (./acts.ts): each waits for the agreement before it, and for the world to settle after it.
  const { acts, random: actRandom } = newer ? drawActs(options.seed) : { acts: [] as Act[], random: null };
  // A newcomer joins the cluster that first agrees, before any other act.
  if (newcomer !== null) acts.unshift(Act.Join);
  const state: ActState = { connected: new Set(connected), down: new Set([...keptDown].filter((id) => !sim.host(id).up)), outside: sim.outsiders, newcomer };
  for (const act of acts) {
    const agreedAtMs = phases.runToAgreement();
    if (agreedAtMs === null) break;
    // Phantoms gone, quarantines over, back-offs reset: and L2 watches all along.
    sim.scheduler.runUntil(agreedAtMs + memberSilenceMs + 2 * config.timeoutMs);
    phases.close();
    const leader = sim.leaseHolders()[0];
    if (leader === undefined) break;
    sim.note(`act: ${act}`);
    const phase = performAct(sim, act, leader, state, actRandom!, (ids) => waitForProcesses(sim, ids, sim.nowMs + CALM_START_MAX_MS));
    sim.note(`act: ${phase.description}; calm (${phase.cause}) from now`);
    phases.begin(phase.cause, phase.fromMs, state.connected, phase.description);
  }
  const endMs = phases.runToEnd(3 * config.timeoutMs);
  phases.close();
  return summarize({ options, sim, scenario: 'random', faults: faults.length, endMs, phases, availability: availability.meter, mixedTimers: configOf !== null, impostor });
}

/**
 * A boot storm: every node starts within a second on a machine with one or two cores, each
 * process's start costing CPU, so that inputs and timers wait and sockets overflow. Calm is the
 * instant the last process listens (bench/storm.ts measures from the last first line); then
 * every node must agree on the highest ID within the L1 bound, keep it (L2), and no node may
 * send more than the R1 bound over the next 10-s window.
 */
function runBootStorm(options: RunOptions): RunResult {
  const scenario = new SimRandom(options.seed);
  const size = options.nodes ?? scenario.pick(STORM_SIZES);
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const clusterSeed = scenario.int(0, 2 ** 31);
  const configInput: Partial<ElectionConfigInput> = { preempt: true, dampingMs: scenario.pick([0, 1000, 3000]), ...options.config };
  const settled = settledInputsPerSecond(resolveConfig({ clusterSize: size, ...configInput, voters }));
  const sim = new SimCluster({
    voters,
    seed: clusterSeed,
    createCore: options.createCore,
    capacity: chooseCapacity(options.seed, options.capacity ?? 'drawn', (random) => drawStormCapacity(random, settled, voters.length), 0),
    layout: chooseLayout(new SimRandom(mix32(options.seed ^ LAYOUT_STREAM)), options.directory ?? 'drawn', voters, STORM_LAYOUTS),
    config: configInput,
  });
  const { config } = sim;
  sim.safety.strict = options.strict === true;
  if (options.watch !== undefined) sim.watch(options.watch);
  options.inspect?.(sim);
  const startLossRate = new SimRandom(mix32(options.seed ^ STORM_LOSS_STREAM)).pick(STORM_LOSS_RATES);
  if (startLossRate > 0) {
    sim.network.conditions = { ...CALM_LAN, lossRate: startLossRate };
    sim.note(`fault: ${startLossRate * 100} % loss on every link until the last process listens`);
  }
  for (const id of voters) sim.scheduler.at(scenario.between(0, STORM_BOOT_WINDOW_MS), () => sim.boot(id));
  const calmFromMs = waitForProcesses(sim, voters, STORM_START_MAX_MS);
  sim.heal();
  sim.note(`calm: the last of ${size} processes listens${startLossRate > 0 ? ', the loss healed' : ''}`);
  const timers = boundTimers([...sim.configs.values()], discoveryMs(sim.layout, voters.length, Math.max(...[...sim.configs.values()].map((c) => c.memberBeatMs))));
  // The CPU is not calm when the last process listens: the general bound, not the cold start's.
  const phases = new PhaseWatch(sim, true, timers);
  // Agreement counts once the cores could read every queued input within a heartbeat: the storm
  // leaves seconds of them when the last process listens (30000958, one core: 13,000 inputs,
  // 0.7 s of CPU, worked off 3 s after it; the coordinator elected meanwhile read its
  // acknowledgements 700 ms late and its lease ran out with every follower loyal).
  const liveness = phases.begin(Cause.BootStorm, calmFromMs, new Set(voters), 'boot storm', () => sim.queuedWorkMs() <= config.heartbeatMs);
  const availability = measureAvailability(sim, calmFromMs, Infinity);
  // Long enough for one whole send-rate window after an agreement within the bound.
  const endMs = calmFromMs + liveness.boundMs + SEND_WINDOW_MS;
  sim.scheduler.runUntil(endMs);
  phases.close();
  availability.meter.finish();
  return summarize({ options, sim, scenario: 'boot-storm', faults: 0, endMs, phases, availability: availability.meter, mixedTimers: false, impostor: null });
}

/**
 * Runs until every process of `ids` listens (or `maxMs`); returns that instant. A cursor, not a
 * scan per step: nothing crashes between the calm and then.
 */
function waitForProcesses(sim: SimCluster, ids: readonly NodeId[], maxMs: number): number {
  const hosts = ids.map((id) => sim.host(id));
  let firstDown = 0;
  sim.scheduler.runUntil(maxMs, () => {
    while (firstDown < hosts.length && hosts[firstDown]!.up) firstDown++;
    return firstDown === hosts.length;
  });
  return sim.nowMs;
}

function chooseCapacity(
  seed: number,
  choice: CapacityChoice,
  draw: (random: SimRandom) => CapacityPlan,
  unlimitedShare = UNLIMITED_SHARE,
): CapacityPlan | null {
  if (choice === 'off') return null;
  if (choice !== 'drawn') return choice;
  // Mixed first: xoroshiro's first draws from nearby seeds are nearly equal.
  const random = new SimRandom(mix32(seed ^ CAPACITY_STREAM));
  return random.chance(unlimitedShare) ? null : draw(random);
}

function chooseLayout(random: SimRandom, choice: DirectoryChoice, voters: readonly NodeId[], kinds?: readonly LayoutKind[]): NetworkLayout | null {
  if (choice === 'off') return null;
  if (choice !== 'drawn') return choice;
  if (random.chance(PLAIN_SHARE)) return null;
  return drawLayout(random, voters, kinds === undefined ? undefined : random.pick(kinds));
}

/**
 * Availability while faults run (./availability.ts): sampled after every input; quiet judged
 * once a heartbeat, from whether a connected quorum exists once the faults so far are over.
 */
function measureAvailability(sim: SimCluster, calmFromMs: number, boundMs: number): { meter: AvailabilityMeter } {
  const meter = new AvailabilityMeter(calmFromMs, boundMs, sim.safety);
  sim.onInput(() => meter.sample(sim.nowMs, sim.safety.latestLeaseEndMs()));
  sim.watch((atMs, _node, item) => {
    if (typeof item !== 'string' && item.type === 'elected') meter.onElected(atMs);
  });
  if (Number.isFinite(boundMs)) {
    const probe = (): void => {
      if (sim.nowMs >= calmFromMs) return;
      meter.probe(sim.nowMs, hasConnectedQuorum(sim));
      sim.scheduler.at(sim.nowMs + sim.config.heartbeatMs, probe);
    };
    sim.scheduler.at(0, probe);
  }
  return { meter };
}

/** How long a fault keeps the world disturbed after it begins (a partition lasts until a heal: ./connectivity.ts sees it). */
function faultDurationMs(fault: Fault): number {
  switch (fault.kind) {
    case 'crash':
    case 'stop':
      return fault.downMs;
    case 'stall':
      return fault.durationMs;
    case 'disk':
      return fault.durationMs + MAX_SAVE_DELAY_MS;
    default:
      return 0;
  }
}

/** R1, then the result: once settled, every node's windows stay within the send-rate bound. */
function summarize(run: {
  options: RunOptions;
  sim: SimCluster;
  scenario: RunResult['scenario'];
  faults: number;
  endMs: number;
  phases: PhaseWatch;
  availability: AvailabilityMeter;
  mixedTimers: boolean;
  impostor: ImpostorPlan | null;
}): RunResult {
  const { options, sim, endMs, phases } = run;
  const { config } = sim;
  // A follower acknowledges its coordinator's rounds, at the coordinator's heartbeat: with mixed
  // timers, a node's settled rate is judged at the fastest heartbeat any node has.
  const fastestHeartbeatMs = Math.min(...[...sim.configs.values()].map((c) => c.heartbeatMs));
  const perSecond = (node: NodeId): number =>
    settledSendsPerSecond({ memberBeatMs: (sim.configs.get(node) ?? config).memberBeatMs, heartbeatMs: fastestHeartbeatMs });
  for (const [fromMs, untilMs] of phases.settledSpans(endMs)) {
    for (const window of sim.sendRate.windows(fromMs, untilMs, perSecond)) {
      if (window.multiple > SEND_RATE_MULTIPLE_MAX) sim.safety.fail(Check.SendRate, `after settling, ${describeWindow(window, perSecond(window.node))}`);
    }
  }
  const first = phases.phases[0]!.liveness;
  const settledAtMs = first.convergedAtMs;
  const violations = sim.safety.violations;
  return {
    seed: options.seed,
    nodes: config.voters.length,
    config: {
      voters: config.voters,
      preempt: config.preempt,
      dampingMs: config.dampingMs,
      timeoutMs: config.timeoutMs,
      leaseMs: config.leaseMs,
      memberBeatMs: config.memberBeatMs,
    },
    faults: run.faults,
    violations,
    findings: sim.safety.findings,
    trace: violations.length > 0 ? sim.violationTrace : null,
    simulatedMs: endMs,
    steps: sim.scheduler.steps,
    convergenceMs: first.convergenceMs,
    boundMs: first.boundMs,
    network: sim.network.stats,
    scenario: run.scenario,
    capacityPlan: sim.capacity,
    capacity: sim.capacityStats(),
    settledLoad: sim.capacity === null ? null : settledLoad(sim.capacity, settledInputsPerSecond(config)),
    sendPeak: sim.sendRate.peak(0, settledAtMs ?? endMs, perSecond),
    availability: {
      leaderlessMs: run.availability.leaderlessMs,
      elections: run.availability.elections,
      quietLeaderlessMsMax: run.availability.quietLeaderlessMsMax,
    },
    phases: phases.phases.map((p) => ({ cause: p.liveness.cause, what: p.what, convergenceMs: p.liveness.convergenceMs, boundMs: p.liveness.boundMs })),
    namedLeader: {
      staleMsMax: sim.namedLeader.staleMsMax,
      staleSamples: sim.namedLeader.staleSamples,
      earlySamples: sim.namedLeader.earlySamples,
      supersededSamples: sim.namedLeader.supersededSamples,
      supersededMsMax: sim.namedLeader.supersededMsMax,
      firstSuperseded: sim.namedLeader.firstSuperseded,
    },
    mixedTimers: run.mixedTimers,
    impostor: run.impostor === null ? null : { twin: run.impostor.twin, disk: run.impostor.disk, gaps: sim.twins.gaps, firstGap: sim.twins.firstGap },
    layout: sim.layout,
    copiesPer10sMax: Math.max(0, ...sim.copyRate.windows(settledAtMs ?? endMs, endMs, perSecond).map((window) => window.sent)),
  };
}

function applyFault(sim: SimCluster, fault: Fault, calmFromMs: number): void {
  switch (fault.kind) {
    case 'crash':
      sim.crash(fault.node);
      sim.scheduler.at(sim.nowMs + fault.downMs, () => {
        if (sim.nowMs < calmFromMs) sim.boot(fault.node);
      });
      return;
    case 'stall':
      sim.stall(fault.node, fault.durationMs);
      return;
    case 'partition':
      sim.partition(...fault.groups);
      return;
    case 'one-way':
      sim.network.cutOneWay(fault.from, fault.to);
      return;
    case 'cut-link':
      sim.network.cutOneWay(fault.a, fault.b);
      sim.network.cutOneWay(fault.b, fault.a);
      return;
    case 'group-filter':
      sim.network.filterGroup(fault.from, fault.to);
      return;
    case 'heal':
      sim.network.heal();
      return;
    case 'conditions':
      sim.network.conditions = fault.conditions;
      return;
    case 'disk':
      sim.host(fault.node).failDisk(fault.mode, fault.durationMs);
      return;
    case 'resign': {
      const leader = sim.leaseHolders()[0];
      if (leader !== undefined) sim.resign(leader, 'requested');
      return;
    }
    case 'stop':
      sim.leave(fault.node);
      sim.scheduler.at(sim.nowMs + fault.downMs, () => {
        if (sim.nowMs < calmFromMs) sim.boot(fault.node);
      });
      return;
  }
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'crash':
      return `n${fault.node} crashes for ${fault.downMs.toFixed(0)} ms`;
    case 'stall':
      return `n${fault.node} stalls for ${fault.durationMs.toFixed(0)} ms`;
    case 'partition':
      return `partition ${fault.groups.map((g) => `[${g}]`).join(' | ')}`;
    case 'one-way':
      return `n${fault.from} → n${fault.to} cut one way`;
    case 'cut-link':
      return `link n${fault.a} ↔ n${fault.b} cut`;
    case 'group-filter':
      return `multicast n${fault.from} → n${fault.to} filtered (unicast still works)`;
    case 'heal':
      return 'network healed';
    case 'disk':
      return `n${fault.node}'s disk ${fault.mode} for ${fault.durationMs.toFixed(0)} ms`;
    case 'resign':
      return 'the coordinator is asked to resign';
    case 'stop':
      return `n${fault.node} stops cleanly (Leave) for ${fault.downMs.toFixed(0)} ms`;
    case 'conditions': {
      const c = fault.conditions;
      return `LAN now ${(c.lossRate * 100).toFixed(0)}% loss, ${(c.duplicateRate * 100).toFixed(0)}% duplicates, ${c.delayMinMs.toFixed(1)}–${c.delayMaxMs.toFixed(1)} ms delay`;
    }
  }
}

/** In LARGE_SHARE of the seeds, a cluster larger than 9 nodes; otherwise null (3 to 9 as drawn). */
export function drawLargeSize(seed: number): number | null {
  const random = streamOf(seed, LARGE_STREAM);
  return random.chance(LARGE_SHARE) ? random.pick(LARGE_SIZES) : null;
}

function sparseIds(random: SimRandom, count: number): NodeId[] {
  const ids = new Set<NodeId>();
  while (ids.size < count) ids.add(random.int(1, 1000));
  return [...ids].sort((a, b) => a - b);
}



/** Whether a node has begun an election, or knows one: a candidate (pre-vote included), a leader, or a term past 0. */
function campaigned(node: NodeSnapshot | null): boolean {
  return node !== null && (node.role !== 'follower' || node.term > 0);
}
