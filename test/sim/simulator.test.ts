/**
 * The simulator: the randomized runs pass, replays are exact, and a deliberately broken core is
 * caught, with the seed, the replay command and a trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ElectionNode, RejectReason, type NodeOptions, type VoteRequest } from '../../src/core/index.ts';
import type { VoteDecision } from '../../src/core/index.ts';
import { formatFailure } from '../../src/sim/report.ts';
import { runSimulation } from '../../src/sim/run.ts';
import { firstCaught } from '../helpers/first-caught.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CI_RUNS = 500;

function sim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A voter that forgets it already voted in this term: two votes per term. S3 sees the second vote
 * on the disk; the test asks for S1 as well, two leaders of one term, the harm the vote rule prevents.
 */
class DoubleVoter extends ElectionNode {
  override decideVote(request: VoteRequest, nowMs: number): VoteDecision {
    const decision = super.decideVote(request, nowMs);
    if (decision.reason !== RejectReason.AlreadyVoted) return decision;
    return { granted: true, reason: null, retryAfterMs: 0, prefer: null };
  }
}

/** A voter that ignores the promise it gave a live coordinator. */
class PromiseBreaker extends ElectionNode {
  override holdsPromise(): boolean {
    return false;
  }
}

/**
 * Seeds tried per mutant. A double vote shows only when two candidates ask for the same term;
 * since a challenge asks the three highest IDs, deferring nodes beat slowly, and a node that
 * grants a higher candidate's request waits for it instead of campaigning itself, that first
 * happens at seed 2451 (at seed 107 before the rules of docs/protocol.md, "Under load").
 */
const MUTANT_SEEDS = 2600;

const MUTANTS: Array<{ name: string; createCore: (o: NodeOptions) => ElectionNode; expect: RegExp }> = [
  { name: 'two votes in one term', createCore: (o) => new DoubleVoter(o), expect: /^S1$/ },
  {
    name: 'a lease longer than the election timeout',
    // Bypasses resolveConfig, which would refuse this configuration.
    createCore: (o) => new ElectionNode({ ...o, config: { ...o.config, leaseMs: 1500 } }),
    expect: /^S2$/,
  },
  { name: 'a follower that breaks its lease promise', createCore: (o) => new PromiseBreaker(o), expect: /^S2$/ },
];

describe('simulator', () => {
  it(`passes ${CI_RUNS} randomized runs of 3 to 9 nodes`, () => {
    const { status, stdout, stderr } = sim(['--runs', String(CI_RUNS), '--seed', '1']);
    const summary = stdout.trim().split('\n').slice(-3).join('\n');
    console.log(summary);
    assert.equal(status, 0, `${stdout.slice(-5000)}\n${stderr}`);
    assert.match(stdout.trim().split('\n').at(-1)!, new RegExp(`^${CI_RUNS} runs, 0 violations$`));
  });

  it('replays a seed exactly', () => {
    const a = runSimulation({ seed: 4242 });
    const b = runSimulation({ seed: 4242 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(runSimulation({ seed: 4243 }).network, a.network);
  });

  for (const mutant of MUTANTS) {
    it(`catches a mutated core: ${mutant.name}`, () => {
      const caught = firstCaught((seed) => runSimulation({ seed, createCore: mutant.createCore }), mutant.expect, MUTANT_SEEDS);
      assert.ok(caught !== null, `no seed of ${MUTANT_SEEDS} caught it`);
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
