/**
 * The benchmark's arithmetic, on hand-made event histories: when survivors agree, how long two
 * nodes both led, and nearest-rank percentiles. (The benchmark itself measures; it is not a test.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agreementAt, dualLeaderMs, summarize } from '../../bench/compare/measure.ts';
import { cdfSvg, markdown, type Results } from '../../bench/compare/report.ts';
import type { LabNode } from '../../src/lab/netns-lab.ts';
import type { NodeEvent } from '../../src/contract/events.ts';

type Said = [ts: number, role: string, leader: number | null];

function node(id: number, runs: Array<{ said: Said[]; exitedAt?: number }>): LabNode {
  const made = runs.map(({ said, exitedAt }) => ({
    events: said.map(([ts, role, leader]) => ({ ts, event: 'leader', id, role, term: 1, leader, quorum: { have: 3, need: 2 } }) as NodeEvent),
    exitedAt: exitedAt ?? null,
  }));
  const events = made.flatMap((r) => r.events);
  return { id, ns: '', ip: '', process: null, events, stderr: '', current: made.at(-1)?.events ?? [], runs: made };
}

describe('benchmark measures', () => {
  it('agreement: the first instant all survivors name one leader that says it leads, never the old one', () => {
    const survivors = [
      node(1, [{ said: [[0, 'follower', 3], [1005, 'follower', null], [1020, 'follower', 2]] }]),
      node(2, [{ said: [[0, 'follower', 3], [1003, 'candidate', null], [1018, 'leader', 2]] }]),
    ];
    assert.equal(agreementAt(survivors, 500, 3), 1020);
    assert.equal(agreementAt(survivors, 500, 2), null, 'the excluded leader never counts');
    assert.equal(agreementAt(survivors.slice(0, 1), 500, 3), null, 'a leader that is not among them cannot say it leads');
  });

  it('two leaders: overlapping spans only, clipped to the window, a process exit ends a span', () => {
    const a = node(1, [{ said: [[0, 'leader', 1]], exitedAt: 100 }, { said: [[300, 'follower', 2]] }]);
    const b = node(2, [{ said: [[50, 'leader', 2], [400, 'follower', null]] }]);
    const c = node(3, [{ said: [[60, 'leader', 3], [70, 'follower', 2]] }]);
    // a: 0–100, b: 50–400, c: 60–70 → two or more from 50 to 100.
    assert.equal(dualLeaderMs([a, b, c], 0, 1000), 50);
    assert.equal(dualLeaderMs([a, b, c], 80, 1000), 20);
    assert.equal(dualLeaderMs([b, c], 0, 1000), 10);
    assert.equal(dualLeaderMs([node(4, [{ said: [[0, 'leader', 4]] }]), node(5, [{ said: [[10, 'leader', 5]] }])], 0, 500), 490, 'still leading at the end');
  });

  it('percentiles by nearest rank: with 30 values p99 is the largest', () => {
    const values = Array.from({ length: 30 }, (_, i) => 100 + i);
    assert.deepEqual(summarize(values), { n: 30, p50: 114, p99: 129, max: 129, min: 100 });
    assert.equal(summarize([]), null);
  });

  it('writes a report and a plot from results, with the goals met or not', () => {
    const LOAD = { settled: true, datagramsSentPerS: 1, datagramsReceivedPerS: 1, bytesSentPerS: 1, bytesReceivedPerS: 1, cpuPercent: 1, cpuPercentMax: 1, rssMiB: 50 };
    const trial = (failoverMs: number) => ({ failoverMs, dualLeaderMs: 0 });
    const results: Results = {
      date: '2026-01-01',
      machine: 'test',
      trials: 2,
      systems: [
        { key: 'conclave', name: 'Conclave', heartbeatMs: 100, timeoutMs: 1000, config: 'defaults' },
        { key: 'conclave-executable', name: 'Conclave, executable', heartbeatMs: 100, timeoutMs: 1000, config: 'defaults' },
      ],
      failover: { conclave: { 'kill N=5': [trial(950), trial(990)], 'handover N=5': [trial(12), trial(15)] } },
      coldStart: { conclave: { '25': [1400, 900, 950] }, 'conclave-executable': { '25': [800, 700] }, 'node-discover-same-node26': { '25': [750, 760] } },
      coldStartup: { conclave: { '25': [1000, 700, 600] } },
      load: {
        conclave: { '25': { ...LOAD, cpuPercent: 1.5, bytesReceivedPerS: 5000 } },
        'node-discover-same': { '25': { ...LOAD, cpuPercent: 3.6, bytesReceivedPerS: 65_000 } },
        'node-discover-defaults': { '25': { ...LOAD, cpuPercent: 0.9, bytesReceivedPerS: 6700 } },
        'conclave-executable': { '25': { ...LOAD, cpuPercent: 0.8 } },
      },
      splitBrain: {},
      durationS: 60,
    };
    const page = markdown(results, 'plot.svg');
    assert.match(page, /\| kill N=5 \| Conclave \| 950 \| 990 \| 990 \| 950 \|/);
    assert.match(page, /kill N=5: p99 ≤ timeout \+ 50 = 1050 ms \| 990 ms \| yes/);
    assert.match(page, /p99 ≤ 20 ms \| 15 ms \| yes/);
    assert.match(page, /CPU per node ≤ ½ node-discover's at the same timings \| 1.50 % vs 3.60 % \| yes/);
    assert.match(page, /CPU per node, Conclave ≤ node-discover-defaults \| 1.50 % vs 0.90 % \| no/);
    assert.match(page, /CPU per node, Conclave, executable ≤ node-discover-defaults \| 0.80 % vs 0.90 % \| yes/);
    assert.match(page, /cold start p50, Conclave, executable ≤ node-discover-same-node26 \| 700 ms vs 750 ms \| yes/, 'each form against each Node node-discover ran on');
    assert.match(page, /cold start p50, Conclave ≤ node-discover-same-node26 \| 950 ms vs 750 ms \| no/);
    assert.doesNotMatch(page, /cold start p50, Conclave ≤ node-discover-same \|/, 'no row where node-discover did not run');
    assert.match(page, /bytes received per node ≤ node-discover's at its defaults \| 5000 B\/s vs 6700 B\/s \| yes/);
    assert.match(page, /cold start to an agreed leader ≤ 1 s, from spawning the processes \| p50 950 ms \| yes/);
    assert.doesNotMatch(page, /## Split brain/, 'no heading for a section the run did not measure');
    assert.match(page, /\| 25 \| Conclave \| 3 \| 950 \| 1400 \| 700 \| 350 \|/, 'start-up and the election apart, per trial');
    const svg = cdfSvg(results);
    assert.match(svg, /^<svg/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
  });
});
