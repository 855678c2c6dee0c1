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

describe('boot storms', () => {
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
