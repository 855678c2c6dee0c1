/**
 * The simulator: the randomized runs pass, replays are exact, and a deliberately broken core is
 * caught, with the seed, the replay command and a trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLanCore, type LanCore, type ElectionNodeOptions } from '../../src/core/index.ts';
import { formatFailure } from '../../src/sim/report.ts';
import { runSimulation } from '../../src/sim/run.ts';
import { doubleVoter, promiseBreaker } from '../helpers/broken-cores.ts';
import { firstCaught } from '../helpers/first-caught.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CI_RUNS = 500;

/**
 * Seeds of the CI sweep that fail on today's core, each for a bug the checkers found and the
 * protocol has not fixed yet (src/core is being changed elsewhere). Listed, not hidden: the sweep
 * prints them, and this test fails if any other seed fails, or if one of these stops failing
 * (then it leaves the list, and belongs in test/sim/regressions.test.ts).
 */
const KNOWN_OPEN: ReadonlyMap<number, string> = new Map([]);

function sim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Seeds tried per mutant. A double vote shows only when two candidates ask one voter for the same
 * term before it hears a coordinator of that term. Resignations, stops and crashes of the
 * coordinator (src/sim/acts.ts) made that rare once Bully settled such contests before the real
 * votes (seed 31 alone in seeds 1–300). The bridge act makes it a coin's toss: one beat of the
 * bridge lifts the two highest, on sides that cannot hear each other, to a quorum at once, and
 * both ask it for the same term. It is first caught at seed 16 (2 of the 7 bridges in seeds 1–60),
 * within issue 22's 30.
 */
const MUTANT_SEEDS = 300;

const MUTANTS: Array<{ name: string; createCore: (o: ElectionNodeOptions) => LanCore; expect: RegExp; withinSeeds?: number }> = [
  // S3 sees the second vote itself; S1, when both candidates then lead, the harm (both, at the
  // bridges of seeds 16 and 33).
  { name: 'two votes in one term', createCore: (o) => doubleVoter(o), expect: /^S[13]$/, withinSeeds: 30 },
  {
    name: 'a lease longer than the election timeout',
    // Bypasses resolveConfig, which would refuse this configuration.
    createCore: (o) => createLanCore({ ...o, config: { ...o.config, leaseMs: 1500 } }),
    expect: /^S2$/,
  },
  { name: 'a follower that breaks its lease promise', createCore: (o) => promiseBreaker(o), expect: /^S2$/ },
];

describe('simulator', () => {
  it(`passes ${CI_RUNS} randomized runs of 3 to 9 nodes (but for the seeds known open)`, () => {
    const failuresFile = join(mkdtempSync(join(tmpdir(), 'conclave-sim-')), 'failures.txt');
    const { status, stdout, stderr } = sim(['--runs', String(CI_RUNS), '--seed', '1', '--failures', failuresFile]);
    const summary = stdout.trim().split('\n').slice(-16).join('\n');
    console.log(summary);
    const failed = existsSync(failuresFile) ? readFileSync(failuresFile, 'utf8').trim().split('\n').filter((l) => l !== '') : [];
    const seeds = failed.map((line) => Number(/--seed (\d+)/.exec(line)![1]));
    const unexpected = failed.filter((_, i) => !KNOWN_OPEN.has(seeds[i]!));
    assert.deepEqual(unexpected, [], `${stdout.slice(-5000)}\n${stderr}`);
    const fixed = [...KNOWN_OPEN.keys()].filter((seed) => !seeds.includes(seed));
    assert.deepEqual(fixed, [], 'seeds known open that now pass: move them to test/sim/regressions.test.ts');
    assert.equal(status, KNOWN_OPEN.size > 0 ? 1 : 0, stderr);
    assert.match(stdout.trim().split('\n').at(-1)!, new RegExp(`^${CI_RUNS} runs, ${KNOWN_OPEN.size} violations$`));
  });

  it('replays a seed exactly', () => {
    const a = runSimulation({ seed: 4242 });
    const b = runSimulation({ seed: 4242 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(runSimulation({ seed: 4243 }).network, a.network);
  });

  for (const mutant of MUTANTS) {
    it(`catches a mutated core: ${mutant.name}`, () => {
      const seeds = mutant.withinSeeds ?? MUTANT_SEEDS;
      const caught = firstCaught((seed) => runSimulation({ seed, createCore: mutant.createCore }), mutant.expect, seeds);
      assert.ok(caught !== null, `no seed of ${seeds} caught it`);
      const report = formatFailure(caught, undefined, true);
      assert.match(report, new RegExp(`VIOLATION seed ${caught.seed}:`));
      assert.match(report, new RegExp(`replay: npm run sim -- --seed ${caught.seed} --runs 1 --trace`));
      assert.match(report, /trace up to the first violation:\n[\s\S]*n\d+ [→!]/);
      const hit = caught.violations.find((v) => mutant.expect.test(v.check))!;
      console.log(`${mutant.name}: caught at seed ${caught.seed}: ${hit.check} ${hit.message} (all: ${caught.violations.map((v) => v.check).join(' ')})`);
    });
  }

  it('names a bad flag and exits 2', () => {
    const bad = sim(['--runs', 'many']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--runs must be an integer/);
    const unknown = sim(['--frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /frobnicate/);
  });
});
