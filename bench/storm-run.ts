/**
 * A boot storm in network namespaces (issue 22): N nodes on one bridge, started together (a lab
 * that boots at 8 am), each `conclave run` at its defaults with a key. Measures how long after
 * the last process printed its first line every node agrees on the highest ID, and whether they
 * stay agreed; each node's datagrams per second in every 10-s window (its kernel's UDP
 * OutDatagrams, read in its namespace) against its settled rate; and the kernel's send and
 * receive errors (SndbufErrors, RcvbufErrors) after settling. Used by `npm run bench:storm` and by
 * `npm run bench`'s storm section. Needs root.
 */
import { NetnsLab } from '../src/lab/netns-lab.ts';
import { udpCounters, type UdpCounters as Udp } from './netns-udp.ts';

const WINDOW_MS = 10_000;
const SETTLE_LIMIT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sampleAll(lab: NetnsLab): Map<number, Udp> {
  return new Map(lab.nodes.map((node) => [node.id, udpCounters(lab, node.ns)]));
}

export interface StormResult {
  /** From the last first line to every node agreeing on the highest ID; null: never. */
  agreedAfterMs: number | null;
  disagreements: number;
  worstMultiple: number;
  sndbufAfterSettling: number;
}

export async function stormRun(nodes: number, holdS: number, lossPercent: number, flags: string[]): Promise<StormResult> {
  const lab = NetnsLab.create(nodes, nodes, { prefix: 'cvstrm', retainEvents: false });
  try {
    if (lossPercent > 0) lab.loss(lossPercent);
    const firstLine = new Map<number, number>();
    lab.onEvent = (id) => {
      if (!firstLine.has(id)) firstLine.set(id, Date.now());
    };
    const startedMs = Date.now();
    lab.startAll(flags);
    const samples: Array<{ atMs: number; udp: Map<number, Udp> }> = [{ atMs: Date.now(), udp: sampleAll(lab) }];
    let agreedAtMs: number | null = null;
    let disagreements = 0;
    let nextSampleMs = startedMs + WINDOW_MS;
    const endMs = (): number => (agreedAtMs === null ? startedMs + SETTLE_LIMIT_MS : agreedAtMs + holdS * 1000);
    while (Date.now() < endMs()) {
      const agreed = firstLine.size === nodes && lab.agreed() === nodes && lab.latest(nodes)?.role === 'leader';
      if (agreed && agreedAtMs === null) agreedAtMs = Date.now();
      if (!agreed && agreedAtMs !== null) {
        disagreements++;
        agreedAtMs = null;
      }
      if (Date.now() >= nextSampleMs) {
        samples.push({ atMs: Date.now(), udp: sampleAll(lab) });
        nextSampleMs += WINDOW_MS;
      }
      await sleep(50);
    }
    samples.push({ atMs: Date.now(), udp: sampleAll(lab) });
    const lastFirstLineMs = Math.max(...firstLine.values());
    const rates: number[][] = [];
    for (let i = 1; i < samples.length; i++) {
      const seconds = (samples[i]!.atMs - samples[i - 1]!.atMs) / 1000;
      rates.push(lab.nodes.map((n) => (samples[i]!.udp.get(n.id)!.out - samples[i - 1]!.udp.get(n.id)!.out) / seconds));
    }
    const last = rates.at(-1)!;
    const settledRate = (id: number): number => last[id - 1]!;
    const worst = Math.max(...rates.flatMap((window) => window.map((rate, i) => rate / Math.max(1, settledRate(i + 1)))));
    const total = (key: keyof Udp, at: number): number => [...samples.at(at)!.udp.values()].reduce((sum, u) => sum + u[key], 0);
    const settledIndex = agreedAtMs === null ? samples.length - 1 : samples.findIndex((s) => s.atMs >= agreedAtMs!);
    console.log(`${nodes} nodes${lossPercent > 0 ? `, ${lossPercent} % loss` : ''}: all printed a first line ${((lastFirstLineMs - startedMs) / 1000).toFixed(1)} s after the start`);
    console.log(
      agreedAtMs === null
        ? `  NOT agreed on n${nodes} after ${SETTLE_LIMIT_MS / 1000} s; disagreements after agreeing: ${disagreements}\n${lab.describe().split('\n').filter((l) => !l.includes(`leader ${nodes} `)).slice(0, 20).join('\n')}`
        : `  agreed on n${nodes} ${((agreedAtMs - lastFirstLineMs) / 1000).toFixed(1)} s after the last first line, held ${holdS} s; lost agreement ${disagreements} times`,
    );
    rates.forEach((window, i) => {
      const max = Math.max(...window);
      console.log(`  window ${i + 1}: datagrams/s per node max ${max.toFixed(0)} (n${window.indexOf(max) + 1}), mean ${(window.reduce((a, b) => a + b, 0) / window.length).toFixed(1)}`);
    });
    const sndbufAfterSettling = total('sndbuf', -1) - total('sndbuf', settledIndex);
    console.log(`  worst window / settled rate: ${worst.toFixed(1)}×; SndbufErrors total ${total('sndbuf', -1)} (${sndbufAfterSettling} after settling), RcvbufErrors ${total('rcvbuf', -1)}`);
    return { agreedAfterMs: agreedAtMs === null ? null : agreedAtMs - lastFirstLineMs, disagreements, worstMultiple: worst, sndbufAfterSettling };
  } finally {
    lab.destroy();
  }
}

