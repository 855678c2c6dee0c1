/**
 * npm run sim -- [--backend lan|zookeeper] --runs <R> [--seed <S>] [--nodes <N>] [--jobs <J>] [--strict] [--trace] [--failures <file>]
 * npm run sim -- --demo   (one narrated run, then a short batch)
 */
import { randomInt } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { narrate } from './narrate.ts';
import { formatFailure, formatZkFailure, replayCommand, type Backend } from './report.ts';
import type { RunResult } from './run.ts';
import type { ZkRunResult } from './zookeeper/run.ts';
import type { WorkerJob } from './worker.ts';

const USAGE = `usage: npm run sim -- [--backend lan|zookeeper] [--runs <R>] [--seed <S>] [--nodes <N>] [--jobs <J>] [--storm] [--capacity drawn|off] [--directory drawn|off] [--strict] [--trace] [--failures <file>]
       npm run sim -- --demo [--seed <S>] [--nodes <N>]

Runs R simulated clusters, seeds S, S+1, …, S+R-1, each with faults (crashes, restarts, stalls,
partitions, one-way links, loss, duplication, reordering, clock drift) and then a calm phase.
Each seed also draws the machine's capacity (three runs in four; the rest are unlimited): 1 to 4
cores shared by every process, 20–200 µs of CPU per input (capped so that a settled cluster keeps
at most 80 % of the cores busy) and 50–400 ms per process start (so inputs and timers wait; L1
counts from when every process listens), a bounded receive buffer per socket (64–1024
datagrams, at least two per voter; overflow is dropped), and a shared backlog of 1000 packets draining at 20–300 a
millisecond (every multicast copy is one packet; a full backlog drops, and refuses the sender's
datagram: ENOBUFS).
Each seed also draws where its hosts are (seven runs in ten; the rest keep the plain transport):
every host gets an address, a unicast port (a restart without seeds may take another) and a
real peer directory, and sends as a real node does: one multicast plus the unicast copies and
probes the directory chooses, direct messages to the endpoint it knows. Layouts: one multicast
group; one group with seeds; a minority on another subnet (its own group or multicast off)
reached through seeds; no multicast at all. Faults may filter one host's multicast from another
while unicast still works (an IGMP-snooping switch). Send failures hold back probes and repairs.
Half the runs also resign the coordinator and stop nodes cleanly (Leave, then a restart on the
same disk) while the faults run; half act once agreed (the coordinator crashes, stops or resigns,
a minority is cut off and healed, a node that is down restarts), and a fifth build a bridge once
agreed (the two highest on two sides that reach each other only through the rest, then healed),
each act beginning a calm with a known cause; 30 % mix per-node timers outside config_id (heartbeat, answer timeout, damping,
suspicion); 1 % draw 12, 16 or 25 nodes; 10 % take the longest lease the configuration accepts;
5 % start one node from a state file at the last term, 2^53 - 1 (its peers must drop what it
sends and elect without it; it must never campaign); 10 % hold one voter back until the others
agree, then start it with an empty disk (a newcomer, greeted at once by the coordinator).
Checks S1 one leader per term, S2 never two valid leases at once, S3 durable term and vote (and
every message leaves only once the term it carries is durable), S4 a coordinator's lease ends
before the promises of a quorum of the followers that acknowledged its rounds, L1 every live node agrees on the
right coordinator within the bound of what began the calm (general, cold start, cold start on a congested machine, crash failover,
handover, resign and retake, preemption, rejoin, newcomer: docs/protocol.md, L1), measured from the calm
with no floor, L2 no change from that instant on, W1 every datagram decodes, R1 once settled no
node sends more than 3 × its settled rate in a 10-s window, A1 while faults run a leaderless
stretch in a quiet stretch (a connected quorum, no fault) ends within the general L1 bound,
N1 no node names a coordinator longer than a promise after that coordinator's lease ended.
The summary reports send failures (ENOBUFS) and dropped datagrams per run, the busiest 10-s window
before settling, convergence per cause (p50/p99/max and bound), the time without a valid lease
while faults ran and elections per fault (availability), how long a named leader outlived its
lease, and the findings of reported checks with their replay commands.

With --backend zookeeper, runs R simulated ZooKeeper-backed clusters (2 to 7 nodes) against a
simulated ensemble, with crashes, clean restarts, cut links (noticed or silent), servers cut off
from the ensemble (stale reads), slow replies, ensemble outages, stalls, pauses and resignations.
Checks Z1 never two valid leases at once, Z2 fencing tokens only grow, Z3 an agreed leader within
the bound once calm.

  --backend <B> lan (default) or zookeeper
  --runs <R>    number of runs (default 100)
  --seed <S>    first seed (default: random, printed)
  --nodes <N>   cluster size for every run, 1 to 100, e.g. 25, 50 or 100 (default: drawn from each
                seed, 3 to 9, and 12, 16 or 25 in 1 % of the seeds; 2 to 7 with zookeeper)
  --jobs <J>    worker threads (default: one per core)
  --storm       boot storms instead of random faults: 25, 50 or 100 nodes (or N) start within
                one second on 1 or 2 cores; calm is when the last process listens, then the
                highest ID must be agreed within the L1 bound (an agreement counts once the
                cores could read every queued input within a heartbeat) and R1 hold for 10 s
  --capacity <C>  drawn (default: from each seed) or off (an unlimited machine, as before)
  --directory <D>  drawn (default: a network layout from each seed) or off (the plain transport,
                without peer directories: every host gets every message to everyone, as before)
  --strict      reported checks (none today) fail runs too, instead of being listed as findings
  --trace       print the trace of every failing run, not just the first three
  --failures <file>  append each failing run to <file> as soon as it is found (one line: the
                replay command, then what broke), so a long sweep keeps what it found
  --demo        narrate one run as it happens, then run a short batch
Ends with the line "R runs, V violations" (V: runs with at least one); exits 1 if V > 0.`;

function fail(message: string): never {
  console.error(`sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integerFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      nodes: { type: 'string' },
      backend: { type: 'string', default: 'lan' },
      jobs: { type: 'string' },
      trace: { type: 'boolean', default: false },
      storm: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      capacity: { type: 'string', default: 'drawn' },
      directory: { type: 'string', default: 'drawn' },
      failures: { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
} catch (error) {
  fail((error as Error).message);
}
const flags = parsed.values;
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
if (flags.backend !== 'lan' && flags.backend !== 'zookeeper') fail(`--backend must be lan or zookeeper, got "${flags.backend}"`);
const backend: Backend = flags.backend;
if (flags.capacity !== 'drawn' && flags.capacity !== 'off') fail(`--capacity must be drawn or off, got "${flags.capacity}"`);
const capacity: 'drawn' | 'off' = flags.capacity;
if (flags.directory !== 'drawn' && flags.directory !== 'off') fail(`--directory must be drawn or off, got "${flags.directory}"`);
const directory: 'drawn' | 'off' = flags.directory;
if (backend === 'zookeeper' && (flags.storm || capacity !== 'drawn' || directory !== 'drawn' || flags.strict)) fail('--storm, --capacity, --directory and --strict are for the LAN backend');
if (backend === 'zookeeper' && flags.demo) fail('--demo narrates the LAN backend only');
const runs = integerFlag(flags.runs, 'runs', 1, 10_000_000) ?? (flags.demo ? 50 : 100);
const firstSeed = integerFlag(flags.seed, 'seed', 0, 2 ** 32 - 1) ?? randomInt(0, 2 ** 31);
const nodes = integerFlag(flags.nodes, 'nodes', 1, 100);
/** What a replay needs besides the seed: the scenario and the capacity choice. */
const replayFlags = `${flags.storm ? ' --storm' : ''}${capacity === 'off' ? ' --capacity off' : ''}${directory === 'off' ? ' --directory off' : ''}${flags.strict ? ' --strict' : ''}`;
const jobs = Math.min(runs, integerFlag(flags.jobs, 'jobs', 1, 64) ?? availableParallelism());

if (flags.demo) narrate(firstSeed, nodes ?? 5);

console.log(`sim: ${backend === 'zookeeper' ? 'ZooKeeper backend, ' : ''}${runs} runs from seed ${firstSeed}${nodes === undefined ? '' : `, ${nodes} nodes`}, ${jobs} worker(s)`);
const startedMs = performance.now();
const failures: Array<RunResult | ZkRunResult> = [];
const convergence: number[] = [];
const sendErrors: number[] = [];
const leaderlessMs: number[] = [];
const peakMultiples: number[] = [];
/** Per run with a directory: the most unicast copies a node sent in a 10-s window once settled. */
const copiesSettled: Array<{ seed: number; copies: number; layout: string }> = [];
let receiveDrops = 0;
const byCause = new Map<string, { convergenceMs: number[]; boundsMs: Set<number>; never: number; worst: { seed: number; ms: number } | null }>();
const quietLeaderlessMs: number[] = [];
const electionsPerFault: number[] = [];
const staleNameMs: number[] = [];
let superseded: { runs: number; maxMs: number; example: string | null; seed: number | null } = { runs: 0, maxMs: 0, example: null, seed: null };
const findings: Array<{ seed: number; text: string }> = [];
const impostors = { runs: 0, copied: 0, withGap: 0, firstGap: null as string | null };
let worstPeak: { seed: number; text: string; multiple: number } | null = null;
let simulatedMs = 0;
let done = 0;

function report(result: RunResult | ZkRunResult): void {
  done++;
  // A long sweep says how far it got, so that one stopped early still tells something.
  if (runs >= 10_000 && done % 5000 === 0) {
    console.log(`… ${done} runs, ${failures.length} violations, ${((performance.now() - startedMs) / 1000).toFixed(0)} s`);
  }
  simulatedMs += result.simulatedMs;
  if (result.convergenceMs !== null) convergence.push(result.convergenceMs);
  if ('capacity' in result) {
    sendErrors.push(result.capacity.sendErrors);
    receiveDrops += result.capacity.receiveBufferDrops + result.capacity.backlogDrops;
    leaderlessMs.push(result.availability.leaderlessMs);
    if (result.layout !== null) copiesSettled.push({ seed: result.seed, copies: result.copiesPer10sMax, layout: result.layout.kind });
    quietLeaderlessMs.push(result.availability.quietLeaderlessMsMax);
    if (result.faults > 0) electionsPerFault.push(result.availability.elections / result.faults);
    staleNameMs.push(result.namedLeader.staleMsMax);
    if (result.impostor !== null) {
      impostors.runs++;
      if (result.impostor.disk === 'copy') impostors.copied++;
      if (result.impostor.gaps > 0) {
        impostors.withGap++;
        impostors.firstGap ??= `seed ${result.seed}: ${result.impostor.firstGap}`;
      }
    }
    if (result.namedLeader.supersededSamples > 0) {
      superseded.runs++;
      if (result.namedLeader.supersededMsMax > superseded.maxMs) {
        superseded = { ...superseded, maxMs: result.namedLeader.supersededMsMax, example: result.namedLeader.firstSuperseded, seed: result.seed };
      }
    }
    for (const phase of result.phases) {
      let cause = byCause.get(phase.cause);
      if (cause === undefined) byCause.set(phase.cause, (cause = { convergenceMs: [], boundsMs: new Set(), never: 0, worst: null }));
      cause.boundsMs.add(phase.boundMs);
      if (phase.convergenceMs === null) cause.never++;
      else {
        cause.convergenceMs.push(phase.convergenceMs);
        if (cause.worst === null || phase.convergenceMs / phase.boundMs > cause.worst.ms) cause.worst = { seed: result.seed, ms: phase.convergenceMs / phase.boundMs };
      }
    }
    if (result.findings.length > 0) {
      const what = result.findings.map((v) => `${v.check} at ${(v.atMs / 1000).toFixed(4)}s`).slice(0, 1).join(', ');
      findings.push({ seed: result.seed, text: `${what}: ${result.findings[0]!.message}` });
    }
    const peak = result.sendPeak;
    if (peak !== null) {
      peakMultiples.push(peak.multiple);
      if (worstPeak === null || peak.multiple > worstPeak.multiple) {
        worstPeak = { seed: result.seed, multiple: peak.multiple, text: `n${peak.node} ${peak.sent} datagrams from ${(peak.fromMs / 1000).toFixed(0)} s: ${peak.byType.slice(0, 3).map(([t, n]) => `${n} ${t}`).join(', ')}` };
      }
    }
  }
  if (result.violations.length === 0) return;
  failures.push(result);
  if (flags.failures !== undefined) {
    const what = result.violations.map((v) => `${v.check} at ${(v.atMs / 1000).toFixed(4)}s`).join(', ');
    appendFileSync(flags.failures, `${replayCommand(result.seed, nodes, backend, replayFlags)}   # ${what}\n`);
  }
  const withTrace = flags.trace || failures.length <= 3;
  console.log(`\n${'network' in result ? formatFailure(result, nodes, withTrace, replayFlags) : formatZkFailure(result, nodes, withTrace)}`);
}

const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i);
await Promise.all(
  Array.from({ length: jobs }, (_, j) => {
    const job: WorkerJob = { seeds: seeds.filter((_, i) => i % jobs === j), nodes, backend, bootStorm: flags.storm, capacity, directory, strict: flags.strict };
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: job });
      worker.on('message', report);
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
    });
  }),
);

const wallMs = performance.now() - startedMs;
convergence.sort((a, b) => a - b);
const pick = (q: number): string => (convergence.length === 0 ? '-' : `${convergence[Math.min(convergence.length - 1, Math.floor(q * convergence.length))]!.toFixed(0)} ms`);
console.log(
  `\n${(simulatedMs / 1000).toFixed(0)} simulated s in ${(wallMs / 1000).toFixed(1)} wall s: ` +
    `${(simulatedMs / wallMs).toFixed(0)} simulated seconds per wall second`,
);
console.log(`calm after the faults → agreed coordinator, measured with no floor: p50 ${pick(0.5)}, p99 ${pick(0.99)}, max ${pick(1)} (${convergence.length} runs)`);
if (backend === 'lan') {
  const quantile = (values: number[], q: number, unit: string, digits = 0): string => {
    if (values.length === 0) return '-';
    const sorted = [...values].sort((a, b) => a - b);
    return `${sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(digits)}${unit}`;
  };
  const runsWithErrors = sendErrors.filter((n) => n > 0).length;
  console.log(
    `capacity: send failures (ENOBUFS) per run p50 ${quantile(sendErrors, 0.5, '')}, max ${quantile(sendErrors, 1, '')} (${runsWithErrors} runs with any); ` +
      `${receiveDrops} datagrams dropped by full buffers; ` +
      `leaderless while faults ran: p50 ${quantile(leaderlessMs, 0.5, ' ms')}, p99 ${quantile(leaderlessMs, 0.99, ' ms')}, max ${quantile(leaderlessMs, 1, ' ms')}`,
  );
  const byLayout = new Map<string, number[]>();
  for (const { copies, layout } of copiesSettled) byLayout.set(layout, [...(byLayout.get(layout) ?? []), copies]);
  console.log(
    `unicast copies once settled (most of any node in a 10-s window), per layout: ` +
      ([...byLayout].map(([layout, values]) => `${layout} p50 ${quantile(values, 0.5, '')} max ${quantile(values, 1, '')} (${values.length} runs)`).join('; ') || '-') +
      `; ${runs - copiesSettled.length} runs on the plain transport`,
  );
  const peak = worstPeak as { seed: number; text: string; multiple: number } | null;
  console.log(
    `send rate before settling (busiest 10-s window / settled rate): p50 ${quantile(peakMultiples, 0.5, '×', 1)}, max ${quantile(peakMultiples, 1, '×', 1)}` +
      (peak === null ? '' : ` (seed ${peak.seed}: ${peak.text})`),
  );
  console.log('calm → agreed, by what began the calm (docs/protocol.md, L1):');
  for (const [cause, c] of [...byCause].sort((a, b) => a[0].localeCompare(b[0]))) {
    const bounds = [...c.boundsMs].sort((a, b) => a - b);
    const boundText = bounds.length === 1 ? `${bounds[0]} ms` : `${bounds[0]}–${bounds.at(-1)} ms`;
    console.log(
      `  ${cause}: p50 ${quantile(c.convergenceMs, 0.5, ' ms')}, p99 ${quantile(c.convergenceMs, 0.99, ' ms')}, max ${quantile(c.convergenceMs, 1, ' ms')} ` +
        `(${c.convergenceMs.length} phases${c.never > 0 ? `, ${c.never} never` : ''}; bound ${boundText}` +
        `${c.worst === null ? '' : `; closest to its bound: seed ${c.worst.seed}, ${(c.worst.ms * 100).toFixed(0)} %`})`,
    );
  }
  console.log(
    `availability while faults ran: longest leaderless time within a quiet stretch (A1 bounds it by the general L1 bound) ` +
      `p50 ${quantile(quietLeaderlessMs, 0.5, ' ms')}, p99 ${quantile(quietLeaderlessMs, 0.99, ' ms')}, max ${quantile(quietLeaderlessMs, 1, ' ms')}; ` +
      `elections per fault p50 ${quantile(electionsPerFault, 0.5, '', 2)}, p99 ${quantile(electionsPerFault, 0.99, '', 2)}, max ${quantile(electionsPerFault, 1, '', 2)}`,
  );
  console.log(
    `named leader after its lease ended (N1 bounds it): p50 ${quantile(staleNameMs, 0.5, ' ms')}, p99 ${quantile(staleNameMs, 0.99, ' ms')}, max ${quantile(staleNameMs, 1, ' ms')}; ` +
      `${superseded.runs} runs named a coordinator superseded by a newer lease` +
      (superseded.seed === null ? '' : ` (longest ${superseded.maxMs.toFixed(0)} ms, seed ${superseded.seed}: ${superseded.example})`),
  );
  if (impostors.runs > 0) {
    console.log(`impostors (a second process with a voter's ID while the faults ran; D1, D2): ${impostors.runs} runs, ${impostors.copied} of them from a copy of the voter's state file`);
    // Two processes of one ID that never heard each other: the gap no node can close (src/sim/twins.ts).
    console.log(`  twins that had not heard each other and led one term or held leases at once (not violations): ${impostors.withGap} runs${impostors.firstGap === null ? '' : `, first ${impostors.firstGap}`}`);
  }
  if (findings.length > 0) {
    console.log(`findings (checks today's core is known to break; --strict makes them violations): ${findings.length} runs`);
    for (const f of findings.slice(0, 5)) console.log(`  seed ${f.seed}: ${f.text}\n    replay: ${replayCommand(f.seed, nodes, backend, replayFlags)}`);
  }
}
console.log(`${done} runs, ${failures.length} violations`);
process.exitCode = failures.length > 0 ? 1 : 0;
