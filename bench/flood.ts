/**
 * `npm run bench:flood`: issue 22's forged-datagram goal. Three `conclave run` nodes in network
 * namespaces on one bridge, with a key; once n3 leads, a flooder on the same bridge sends
 * datagrams with a bad MAC at `--rate` a second for `--seconds` (bench/flood-sender.ts), to the
 * multicast group (every node gets each one), to every node's unicast port in turn, or to the
 * leader's unicast port alone (where its lease acknowledgements arrive); with `--busy`, another
 * process keeps one of the cores busy meanwhile. Reports, per run: whether the leader kept its
 * lease (no `demoted`, no `elected` anywhere, no term change, no node without a leader from the
 * flood's start to 3 s after its end), each node's drops by reason (from its `dropped` lines'
 * totals), its CPU, the kernel's RcvbufErrors in its namespace (datagrams a full socket buffer
 * shed) and the receive buffer the kernel gave it. A benchmark: it prints numbers and exits 0
 * whatever they are (1 if it could not run, 2 for a bad flag). Needs root.
 *
 *   npm run bench:flood                                   # 10,000 a second for 30 s, at the group
 *   npm run bench:flood -- --rate 38000 --busy --runs 3
 *   npm run bench:flood -- --target leader --rate 20000
 */
import { spawn } from 'node:child_process';
import type { NodeEvent } from '../src/contract/events.ts';
import { NetnsLab } from '../src/lab/netns-lab.ts';
import { startBusyCore } from './busy-core.ts';
import { benchFlags, oneOf, wholeNumber } from './flags.ts';
import { udpCounters, udpSockets } from './netns-udp.ts';
import { CLOCK_TICKS_PER_SECOND, cpuTicks } from './process-cpu.ts';

const BENCH = 'bench:flood';
const NODES = 3;
/** Settled for this long before the flood starts: every peer heard, the lease renewed. */
const SETTLE_MS = 3000;
/** Watched for this long after the flood: an election it caused late, and the last `dropped` lines (one a second). */
const TAIL_MS = 3000;
const TARGETS = ['group', 'unicast', 'leader'] as const;
type Target = (typeof TARGETS)[number];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  atMs: number;
  cpuTicks: number;
  rcvbuf: number;
}

interface NodeResult {
  id: number;
  cpuPercent: number;
  drops: Record<string, number>;
  rcvbufErrors: number;
  /** Each socket's receive buffer, as the kernel gave it. */
  receiveBuffers: string;
}

interface RunResult {
  sent: number;
  sentInMs: number;
  /** The flooder's own CPU, start-up included: it shares the machine with the nodes. */
  flooderCpuMs: number;
  leaseKept: boolean;
  elections: number;
  demotions: number;
  termChanges: number;
  leaderless: number;
  stalls: number;
  nodes: NodeResult[];
}

function sample(lab: NetnsLab, id: number): Sample {
  const node = lab.node(id);
  const { userTicks, systemTicks } = cpuTicks(node.process!.pid!);
  return { atMs: Date.now(), cpuTicks: userTicks + systemTicks, rcvbuf: udpCounters(lab, node.ns).rcvbuf };
}

async function run(rate: number, seconds: number, target: Target): Promise<RunResult> {
  const lab = NetnsLab.create(NODES, NODES, { prefix: 'cfl', retainEvents: false });
  try {
    const flooder = lab.addHost('fl', 200);
    /** Where each node listens, from its `started` line. */
    const started = new Map<number, { group: string; port: number; unicastPort: number }>();
    /** Every event during the flood and its tail. */
    const watched: Array<{ id: number; event: NodeEvent }> = [];
    let watching = false;
    /** Each node's drop totals by reason, as its last `dropped` line of each said. */
    const dropTotals = new Map<number, Record<string, number>>(lab.nodes.map((n) => [n.id, {}]));
    lab.onEvent = (id, event) => {
      if (event.event === 'started' && 'unicastPort' in event) started.set(id, event);
      if (event.event === 'dropped') dropTotals.get(id)![event.reason] = event.total;
      if (watching) watched.push({ id, event });
    };
    lab.startAll();
    await lab.waitFor(`n${NODES} leading, agreed by all`, () => lab.agreed() === NODES && lab.latest(NODES)?.role === 'leader', 60_000);
    await sleep(SETTLE_MS);
    const termBefore = lab.latest(NODES)!.term;
    const dropsBefore = new Map([...dropTotals].map(([id, totals]) => [id, { ...totals }]));
    const before = lab.nodes.map((n) => sample(lab, n.id));
    watching = true;
    const port = (id: number): string => `${lab.node(id).ip}:${started.get(id)!.unicastPort}`;
    const targets =
      target === 'group' ? [`${started.get(1)!.group}:${started.get(1)!.port}`] : target === 'leader' ? [port(NODES)] : lab.nodes.map((n) => port(n.id));
    const output = await floodFrom(flooder.ns, flooder.ip, rate, seconds, targets);
    const after = lab.nodes.map((n) => sample(lab, n.id));
    await sleep(TAIL_MS);
    watching = false;
    const match = /sent (\d+) in (\d+) ms, \d+ failed, CPU (\d+) ms/.exec(output);
    if (match === null) throw new Error(`the flooder said: ${output}`);
    const count = (kind: NodeEvent['event']): number => watched.filter(({ event }) => event.event === kind).length;
    const terms = new Set(watched.map(({ event }) => event.term));
    terms.add(termBefore);
    const leaderless = watched.filter(({ event }) => event.event === 'leader' && event.leader === null).length;
    const elections = count('elected');
    const demotions = count('demoted');
    const nodes = lab.nodes.map((n, i): NodeResult => {
      const seconds = (after[i]!.atMs - before[i]!.atMs) / 1000;
      const totals = dropTotals.get(n.id)!;
      const drops = Object.fromEntries(Object.entries(totals).map(([reason, total]) => [reason, total - (dropsBefore.get(n.id)![reason] ?? 0)]));
      return {
        id: n.id,
        cpuPercent: ((after[i]!.cpuTicks - before[i]!.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds) * 100,
        drops,
        rcvbufErrors: after[i]!.rcvbuf - before[i]!.rcvbuf,
        receiveBuffers: udpSockets(lab, n.ns).map((s) => `${s.local} ${(s.receiveBufferBytes / 1024).toFixed(0)} KiB`).join(', '),
      };
    });
    return {
      sent: Number(match[1]),
      sentInMs: Number(match[2]),
      flooderCpuMs: Number(match[3]),
      leaseKept: elections === 0 && demotions === 0 && terms.size === 1 && leaderless === 0,
      elections,
      demotions,
      termChanges: terms.size - 1,
      leaderless,
      stalls: count('stalled'),
      nodes,
    };
  } finally {
    lab.destroy();
  }
}

/** Runs the flooder in its namespace; resolves with what it printed. */
function floodFrom(ns: string, ip: string, rate: number, seconds: number, targets: string[]): Promise<string> {
  const args = [process.execPath, '--import', 'tsx', 'bench/flood-sender.ts', ip, String(rate), String(seconds), String(NODES), ...targets];
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { cwd: new URL('../', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // The sender bounds itself; this is the bound should it hang.
  const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
  return new Promise((resolve) =>
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(output.trim());
    }),
  );
}

const values = benchFlags(BENCH, {
  rate: { type: 'string', default: '10000' },
  seconds: { type: 'string', default: '30' },
  runs: { type: 'string', default: '1' },
  target: { type: 'string', default: 'group' },
  busy: { type: 'boolean', default: false },
});
const rate = wholeNumber(BENCH, 'rate', values.rate, 1, 200_000);
const seconds = wholeNumber(BENCH, 'seconds', values.seconds, 1, 600);
const runs = wholeNumber(BENCH, 'runs', values.runs, 1, 100);
const target = oneOf(BENCH, 'target', values.target, TARGETS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
if (process.getuid?.() !== 0) {
  console.error(`${BENCH} needs root (network namespaces)`);
  process.exit(1);
}

const setting = `${rate}/s for ${seconds} s at the ${target === 'group' ? 'group' : target === 'leader' ? "leader's unicast port" : "nodes' unicast ports"}${values.busy ? ', one core busy' : ''}`;
// The busy loop on the last core, for as long as the runs take (killed by its PID at the end).
const busy = values.busy ? startBusyCore(1) : null;
const results: RunResult[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const result = await run(rate, seconds, target);
    results.push(result);
    const { sent, sentInMs, flooderCpuMs } = result;
    console.log(
      `run ${i + 1}: ${setting}: sent ${sent} in ${(sentInMs / 1000).toFixed(1)} s (${Math.round(sent / (sentInMs / 1000))}/s, flooder CPU ${Math.round((100 * flooderCpuMs) / sentInMs)} %); ` +
        `leader n${NODES} ${result.leaseKept ? 'kept its lease' : 'LOST its lease'}: elected ${result.elections}, demoted ${result.demotions}, ` +
        `term changes ${result.termChanges}, leaderless lines ${result.leaderless}, stalled ${result.stalls}`,
    );
    for (const node of result.nodes) {
      const drops = Object.entries(node.drops).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
      console.log(`  n${node.id}: CPU ${node.cpuPercent.toFixed(0)} %, drops ${drops}, RcvbufErrors ${node.rcvbufErrors}; receive buffers ${node.receiveBuffers}`);
    }
  }
} finally {
  busy?.kill('SIGKILL');
}
const kept = results.filter((r) => r.leaseKept).length;
const sum = (f: (r: RunResult) => number): number => results.reduce((total, r) => total + f(r), 0);
const cpu = results.flatMap((r) => r.nodes.map((n) => n.cpuPercent));
console.log(
  `summary: ${setting}: lease kept in ${kept} of ${runs} runs; elections ${sum((r) => r.elections)}, demotions ${sum((r) => r.demotions)}; ` +
    `RcvbufErrors per run ${results.map((r) => r.nodes.reduce((t, n) => t + n.rcvbufErrors, 0)).join(', ')}; ` +
    `node CPU mean ${(cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(0)} %, max ${Math.max(...cpu).toFixed(0)} %`,
);
