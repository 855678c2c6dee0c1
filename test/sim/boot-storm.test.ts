/**
 * Boot storms (src/sim/run.ts, `bootStorm`): 25 and 50 nodes all started within a second on one
 * or two shared cores. Once the last process listens, every node agrees on the highest ID within
 * the L1 bound and keeps it (L2), and no node sends more than the R1 bound over the next 10 s.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFailure } from '../../src/sim/report.ts';
import { runSimulation } from '../../src/sim/run.ts';

const STORMS = [
  { nodes: 25, seeds: [1, 2, 3] },
  { nodes: 50, seeds: [1, 2] },
];

/**
 * Issue 22's failure, reproduced: 50 nodes on one core (156 µs an input; settled, the cluster
 * would keep 61 % of it busy) never agree. Inputs wait, timers fire late, receive buffers
 * overflow (about 200,000 datagrams dropped), and elections, challenges and votes keep the core
 * saturated. A todo until the protocol bounds what it sends and converges once calm.
 */
const REPRODUCES_ISSUE_22 = { nodes: 50, seed: 6 };

describe('boot storms', () => {
  it(
    `${REPRODUCES_ISSUE_22.nodes} nodes, seed ${REPRODUCES_ISSUE_22.seed}: a saturated core still agrees on the highest ID once every process listens`,
    { todo: 'issue 22: fails L1 on today\'s protocol (npm run sim -- --seed 6 --runs 1 --nodes 50 --storm --trace)' },
    () => {
      const result = runSimulation({ ...REPRODUCES_ISSUE_22, bootStorm: true });
      assert.deepEqual(result.violations, [], formatFailure(result, REPRODUCES_ISSUE_22.nodes, false, ' --storm'));
    },
  );

  for (const { nodes, seeds } of STORMS) {
    for (const seed of seeds) {
      it(`${nodes} nodes, seed ${seed}: the highest ID is agreed within the bound, and traffic stays bounded`, () => {
        const result = runSimulation({ seed, nodes, bootStorm: true });
        assert.equal(result.scenario, 'boot-storm');
        assert.ok(result.capacityPlan !== null && result.capacityPlan.cores <= 2, 'a storm runs on few cores');
        assert.deepEqual(result.violations, [], formatFailure(result, nodes, true, ' --storm'));
        assert.ok(result.convergenceMs !== null && result.convergenceMs <= result.boundMs);
        console.log(
          `${nodes} nodes seed ${seed}: agreed ${result.convergenceMs} ms after the last process listened; ` +
            `${result.capacity.sendErrors} ENOBUFS, ${result.capacity.receiveBufferDrops} receive-buffer drops; ` +
            `busiest window before settling ${result.sendPeak?.multiple.toFixed(1)} × the settled rate`,
        );
      });
    }
  }
});
