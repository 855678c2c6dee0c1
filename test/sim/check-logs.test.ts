/**
 * `conclave check`'s module on the simulator's runs, told as event lines (test/helpers/
 * sim-event-lines.ts): each broken core that the simulator's checkers catch, the log check flags
 * for what it broke, at the seed the simulator caught it; the real core's lines of the same seeds,
 * and of the first ten, are clean. One clock (the simulation's): no allowance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeHistories, splitRuns } from '../../src/check/histories.ts';
import { logLinesOf } from '../../src/check/log-lines.ts';
import { formatReport } from '../../src/check/report.ts';
import { checkHistories, violationCount, type Verdict } from '../../src/check/verdict.ts';
import { createLanCore } from '../../src/core/index.ts';
import type { CoreFactory } from '../../src/sim/host.ts';
import { runSimulation } from '../../src/sim/run.ts';
import { doubleVoter, promiseBreaker } from '../helpers/broken-cores.ts';
import { firstCaught } from '../helpers/first-caught.ts';
import { simulateWithEventLines } from '../helpers/sim-event-lines.ts';

function checkSimulation(seed: number, createCore?: CoreFactory): Verdict {
  const { lines } = simulateWithEventLines({ seed, createCore });
  const runs = [...lines].flatMap(([id, events]) => splitRuns(logLinesOf(events, `n${id}`)));
  return checkHistories(nodeHistories(runs), { maxClockOffsetMs: 0 });
}

/** The simulator's mutants (test/sim/simulator.test.ts), the check it fails there, and the finding the log check must make. */
const MUTANTS: Array<{ name: string; createCore: CoreFactory; simulatorCheck: RegExp; seeds: number; finding: (v: Verdict) => number }> = [
  { name: 'two votes in one term', createCore: (o) => doubleVoter(o), simulatorCheck: /^S[13]$/, seeds: 40, finding: (v) => v.doubleVotes.length },
  {
    name: 'a lease longer than the election timeout',
    createCore: (o) => createLanCore({ ...o, config: { ...o.config, leaseMs: 1500 } }),
    simulatorCheck: /^S2$/,
    seeds: 300,
    finding: (v) => v.overlaps.length,
  },
  { name: 'a follower that breaks its lease promise', createCore: (o) => promiseBreaker(o), simulatorCheck: /^S2$/, seeds: 300, finding: (v) => v.overlaps.length },
];

describe('conclave check on simulated runs', () => {
  for (const mutant of MUTANTS) {
    it(`flags a broken core: ${mutant.name}`, () => {
      const caught = firstCaught((seed) => runSimulation({ seed, createCore: mutant.createCore }), mutant.simulatorCheck, mutant.seeds);
      assert.ok(caught !== null, `the simulator caught it within ${mutant.seeds} seeds`);
      const verdict = checkSimulation(caught.seed, mutant.createCore);
      const report = formatReport(verdict);
      assert.ok(mutant.finding(verdict) > 0, `seed ${caught.seed}:\n${report}`);
      assert.equal(violationCount(checkSimulation(caught.seed)), 0, `the real core passes seed ${caught.seed}`);
      console.log(`${mutant.name}, seed ${caught.seed}: ${report.split('\n').find((line) => /OVERLAP|DOUBLE VOTE/.test(line))?.trim()}`);
    });
  }

  it('the real core\'s runs of seeds 1 to 10 are clean', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const verdict = checkSimulation(seed);
      assert.equal(violationCount(verdict), 0, `seed ${seed}:\n${formatReport(verdict)}`);
      assert.ok(verdict.leases.length > 0, `seed ${seed} elects`);
    }
  });
});
