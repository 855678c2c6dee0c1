/**
 * `npm run bench:storm`: N nodes in network namespaces on one bridge, started together (a lab that
 * boots at 8 am), each `conclave run` at its defaults with a key. Measures what issue 22 asks:
 * how long after the last process printed its first line every node agrees on the highest ID, and
 * whether they stay agreed; each node's datagrams per second in every 10-s window (its kernel's
 * UDP OutDatagrams, read in its namespace) against its settled rate; and the kernel's send and
 * receive errors (SndbufErrors, RcvbufErrors) after settling. A benchmark: it prints numbers and
 * exits 0 whatever they are (1 only if it could not run). Needs root.
 *
 *   npm run bench:storm                       # 50 nodes, hold 60 s
 *   npm run bench:storm -- --nodes 25 --hold-s 20 --runs 3
 *   npm run bench:storm -- --nodes 50 --loss 10   # the same with 10 % loss on every link
 *   npm run bench:storm -- --busy                 # while another process keeps one core busy
 *
 * Ends with one summary line per setting: runs agreed, time to agree, the worst 10-s window
 * against each node's settled rate, and the kernel's send errors once settled.
 */
import type { ChildProcess } from 'node:child_process';
import { startBusyCore } from './busy-core.ts';
import { benchFlags, wholeNumber } from './flags.ts';
import { stormRun, type StormResult } from './storm-run.ts';

const values = benchFlags('bench:storm', {
  nodes: { type: 'string', default: '50' },
  'hold-s': { type: 'string', default: '60' },
  runs: { type: 'string', default: '1' },
  loss: { type: 'string', default: '0' },
  busy: { type: 'boolean', default: false },
});
const nodes = wholeNumber('bench:storm', 'nodes', values.nodes, 2, 60);
const runs = wholeNumber('bench:storm', 'runs', values.runs, 1, 100);
const holdS = wholeNumber('bench:storm', 'hold-s', values['hold-s'], 1, 3600);
const lossPercent = wholeNumber('bench:storm', 'loss', values.loss, 0, 99);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
if (process.getuid?.() !== 0) {
  console.error('bench:storm needs root (network namespaces)');
  process.exit(1);
}
/** A busy loop on one core, for as long as the runs take (and killed by its PID at the end). */
const busy: ChildProcess | null = values.busy ? startBusyCore() : null;
const results: StormResult[] = [];
try {
  for (let i = 0; i < runs; i++) results.push(await stormRun(nodes, holdS, lossPercent, []));
} finally {
  busy?.kill('SIGKILL');
}
const agreed = results.filter((r) => r.agreedAfterMs !== null && r.disagreements === 0);
const times = agreed.map((r) => ((r.agreedAfterMs ?? 0) / 1000).toFixed(1)).join(', ');
console.log(
  `summary: ${nodes} nodes${lossPercent > 0 ? `, ${lossPercent} % loss` : ''}${values.busy ? ', one core busy' : ''}: ` +
    `${agreed.length} of ${runs} runs agreed on n${nodes} and stayed agreed (after ${times || '-'} s); ` +
    `worst window ${Math.max(...results.map((r) => r.worstMultiple)).toFixed(1)}× the settled rate; ` +
    `SndbufErrors after settling ${results.map((r) => r.sndbufAfterSettling).join(', ')}`,
);
