/**
 * Storage faults in the simulator (src/sim/disk.ts): a disk that is slow, fails, is full, or
 * loses a write to a crash between write and rename. S3 must hold under each, and each must
 * really happen in the randomized runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimCluster } from '../../src/sim/cluster.ts';
import { DiskMode } from '../../src/sim/disk.ts';
import { runSimulation } from '../../src/sim/run.ts';

describe('simulator: storage faults', () => {
  for (const mode of [DiskMode.Full, DiskMode.Torn] as const) {
    it(`a ${mode} disk stops its node before it sends what depended on the save; the others elect`, () => {
      const sim = new SimCluster({ voters: [1, 2, 3], seed: 7 });
      const fatal: number[] = [];
      sim.onFatal((id) => fatal.push(id));
      sim.host(3).failDisk(mode, 60_000);
      sim.boot();
      sim.runFor(10_000);
      assert.deepEqual(sim.safety.violations, []);
      assert.deepEqual(fatal, [3], 'n3 tried to save (to campaign, as the highest ID) and stopped');
      assert.equal(sim.host(3).up, false);
      assert.equal(sim.host(3).disk, null, 'nothing reached its disk');
      assert.equal(sim.agreedLeader(), 2);
    });
  }

  it('a slow disk delays votes until they are durable, and the election still completes', () => {
    const sim = new SimCluster({ voters: [1, 2, 3], seed: 8 });
    for (const id of [1, 2, 3]) sim.host(id).failDisk(DiskMode.Slow, 60_000);
    sim.boot();
    sim.runFor(10_000);
    assert.deepEqual(sim.safety.violations, []);
    assert.equal(sim.agreedLeader(), 3);
    assert.ok(sim.host(3).disk !== null && sim.host(3).disk!.term >= 1);
  });

  it('randomized runs meet every kind of storage fault, and S1–S3 hold', () => {
    const seen = new Map<string, number>();
    let stopped = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const result = runSimulation({
        seed,
        watch: (_atMs, _node, item) => {
          if (typeof item !== 'string') return;
          const mode = /disk (\w+) for/.exec(item)?.[1];
          if (mode !== undefined) seen.set(mode, (seen.get(mode) ?? 0) + 1);
          if (item.startsWith('save failed')) stopped++;
        },
      });
      assert.deepEqual(result.violations, [], `seed ${seed}`);
    }
    assert.deepEqual([...seen.keys()].sort(), Object.values(DiskMode).sort(), JSON.stringify([...seen]));
    assert.ok(stopped > 0, 'some saves failed and stopped their node');
  });
});
