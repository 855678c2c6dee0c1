/**
 * Where a settled member's CPU goes: `--nodes` Conclave nodes at their defaults in network
 * namespaces (as the benchmark's load row), one of them (`--member`, a follower by default)
 * started under `node --cpu-prof`. Once the cluster has settled, its CPU is read from /proc over
 * `--window-ms` (user against system time, and wake-ups as voluntary context switches), then it
 * is stopped and its profile summarised: self time by function and by file. Prints; passes or
 * fails nothing. Needs root (namespaces).
 *
 *   npm run bench:profile -- [--nodes 25] [--member 1] [--window-ms 10000] [--out <dir>] [--node-flags "<flags>"]
 *
 * `--node-flags` gives every node's process those Node or V8 flags (for example
 * `--max-semi-space-size=1`), to compare a settled cluster's CPU with and without them.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CONCLAVE } from './compare/systems.ts';
import { createLab, settle } from './compare/scenarios.ts';
import { CLOCK_TICKS_PER_SECOND, cpuTicks, ticksByThread } from './process-cpu.ts';

const CLI = new URL('../bin/conclave.js', import.meta.url).pathname;
const ROOT = new URL('../', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '25' },
    member: { type: 'string', default: '1' },
    'window-ms': { type: 'string', default: '10000' },
    out: { type: 'string', default: join(ROOT, 'bench/results/profiles') },
    'node-flags': { type: 'string', default: '' },
  },
});
const nodes = Number(values.nodes);
const member = Number(values.member);
const windowMs = Number(values['window-ms']);
const nodeFlags = values['node-flags'].split(' ').filter((flag) => flag !== '');
if (nodeFlags.some((flag) => !flag.startsWith('--'))) fail(`--node-flags takes flags that start with --, got "${values['node-flags']}"`);
if (!Number.isInteger(nodes) || nodes < 2 || nodes > 60) fail(`--nodes must be 2 to 60, got "${values.nodes}"`);
if (!Number.isInteger(member) || member < 1 || member > nodes) fail(`--member must be 1 to --nodes, got "${values.member}"`);
if (!Number.isInteger(windowMs) || windowMs < 1000) fail(`--window-ms must be at least 1000, got "${values['window-ms']}"`);

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

interface ProcSample {
  atMs: number;
  userTicks: number;
  systemTicks: number;
  voluntarySwitches: number;
}

function procSample(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    atMs: Date.now(),
    ...cpuTicks(pid),
    voluntarySwitches: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

/**
 * Self time per function and per file, in ms, from a V8 .cpuprofile, counting only the samples
 * taken from `fromEndMs` to `toEndMs` before the profile's end (the settled window, not the start).
 */
function summarise(profile: CpuProfile, fromEndMs: number, toEndMs: number): { byFunction: Map<string, number>; byFile: Map<string, number>; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  let atUs = profile.startTime;
  profile.samples.forEach((id, i) => {
    atUs += profile.timeDeltas[i] ?? 0;
    const beforeEndMs = (profile.endTime - atUs) / 1000;
    if (beforeEndMs > fromEndMs || beforeEndMs < toEndMs) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id)!.callFrame;
    const file = frame.url === '' ? '(native)' : relative(ROOT, frame.url.replace(/^file:\/\//, ''));
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    totalMs += ms;
  });
  return { byFunction, byFile, totalMs };
}

function top(map: Map<string, number>, count: number, totalMs: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `  ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}`)
    .join('\n');
}

const profileDir = join(values.out, `n${nodes}-member${member}-${process.pid}`);
mkdirSync(profileDir, { recursive: true });
const lab = createLab(
  {
    ...CONCLAVE,
    // The lab's own command line, with the profiler on the one member.
    command: ({ id, nodeId, dir, flags }) => [
      process.execPath,
      ...nodeFlags,
      ...(id === member ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      CLI, 'run', '--id', String(nodeId), '--cluster-size', String(nodes), '--interface', 'eth0', '--json',
      '--key-file', join(dir, 'key'), '--data-dir', join(dir, `n${id}`), '--cluster', 'lab', ...flags,
    ],
  },
  nodes,
);
try {
  const startedMs = Date.now();
  lab.startAll();
  const leader = await settle(lab, CONCLAVE, 60_000);
  console.log(`${nodes} nodes settled on n${leader} in ${Date.now() - startedMs} ms; n${member} is ${member === leader ? 'the leader' : 'a follower'}`);
  const elected = lab.nodes.flatMap((node) => node.current.filter((event) => event.event === 'elected').map((event) => `n${node.id}@${event.ts - startedMs}`));
  console.log(`elections on the way: ${elected.sort((a, b) => Number(a.split('@')[1]) - Number(b.split('@')[1])).join(', ')}`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const pids = lab.nodes.map((node) => node.process!.pid!);
  const first = pids.map(procSample);
  const threadsFirst = pids.map(ticksByThread);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const last = pids.map(procSample);
  const threadsLast = pids.map(ticksByThread);
  const seconds = (last[0]!.atMs - first[0]!.atMs) / 1000;
  const percent = (ticks: number): number => (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100;
  const rows = pids.map((_, i) => ({
    user: percent(last[i]!.userTicks - first[i]!.userTicks),
    system: percent(last[i]!.systemTicks - first[i]!.systemTicks),
    wakeups: (last[i]!.voluntarySwitches - first[i]!.voluntarySwitches) / seconds,
  }));
  const mean = (f: (row: (typeof rows)[number]) => number): number => rows.reduce((sum, row) => sum + f(row), 0) / rows.length;
  const own = rows[member - 1]!;
  console.log(`over ${seconds.toFixed(1)} s, per node (mean of ${nodes}): user ${mean((r) => r.user).toFixed(2)} %, system ${mean((r) => r.system).toFixed(2)} % of a core, ${mean((r) => r.wakeups).toFixed(0)} wake-ups/s`);
  const byThread = new Map<string, number>();
  threadsLast.forEach((threads, i) => {
    if (i === member - 1) return; // the profiler's own thread would count
    for (const [name, ticks] of threads) byThread.set(name, (byThread.get(name) ?? 0) + ticks - (threadsFirst[i]!.get(name) ?? 0));
  });
  const others = Math.max(1, pids.length - 1);
  const threadRows = [...byThread].filter(([, ticks]) => ticks > 0).sort((a, b) => b[1] - a[1]);
  console.log(`by thread (mean of the ${others} unprofiled nodes, user + system): ${threadRows.map(([name, ticks]) => `${name} ${percent(ticks / others).toFixed(2)} %`).join(', ') || 'none'}`);
  console.log(`n${member} (profiled, so a little slower): user ${own.user.toFixed(2)} %, system ${own.system.toFixed(2)} %, ${own.wakeups.toFixed(0)} wake-ups/s`);
  const windowEndMs = Date.now();
  await lab.signal(member, 'SIGTERM');
  // The profile ends as the process exits: the window lies this long before its end.
  const stoppingMs = Date.now() - windowEndMs;
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`n${member} wrote no profile in ${profileDir}`);
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
  const { byFunction, byFile, totalMs } = summarise(profile, stoppingMs + seconds * 1000, stoppingMs);
  console.log(`\nprofile ${relative(ROOT, join(profileDir, file))}, the ${seconds.toFixed(1)} s window only: ${totalMs.toFixed(0)} ms sampled`);
  console.log(`self time by file:\n${top(byFile, 15, totalMs)}`);
  console.log(`self time by function:\n${top(byFunction, 25, totalMs)}`);
} finally {
  lab.destroy();
}
