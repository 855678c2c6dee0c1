/**
 * The payment batch job against real failovers, with node:test: one test body, run against real
 * nodes on loopback and against the deterministic simulator (milliseconds, replayable by seed).
 *
 *   node --import tsx --test examples/payment-batch/payment-batch.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestCluster, type TestClusterOptions } from 'conclave/testing';
import { FencingStore } from './fencing-store.ts';
import { PaymentBatchJob } from './payment-batch-job.ts';

const MODES: Record<string, TestClusterOptions> = {
  'real nodes': { nodes: 3 },
  deterministic: { nodes: 3, deterministic: true, seed: 1 },
};

for (const [mode, options] of Object.entries(MODES)) {
  describe(`payment batches (${mode})`, () => {
    it('only the leader pays out', async (t) => {
      const cluster = await createTestCluster(options);
      t.after(() => cluster.close());
      const store = new FencingStore();
      const jobs = new Map(cluster.nodes.map((node) => [node.id, new PaymentBatchJob(node, store)]));
      const leader = await cluster.settled();
      for (const [id, job] of jobs) {
        assert.equal(await job.runBatch(async () => [`invoice-from-${id}`]), id === leader ? 'written' : 'not-leader');
      }
      assert.deepEqual(store.batches.map((batch) => batch.payments), [[`invoice-from-${leader}`]]);
    });

    it("a partitioned leader's late write is refused: the term fences it off", async (t) => {
      const cluster = await createTestCluster(options);
      t.after(() => cluster.close());
      const store = new FencingStore();
      const jobs = new Map(cluster.nodes.map((node) => [node.id, new PaymentBatchJob(node, store)]));
      const first = await cluster.settled();

      // The leader starts a batch; the bank is slow to answer.
      let bankAnswers!: () => void;
      const slowBank = new Promise<void>((resolve) => (bankAnswers = resolve));
      const lateWrite = jobs.get(first)!.runBatch(async () => {
        await slowBank;
        return ['invoice-1'];
      });

      // Meanwhile the leader is cut off: the others elect a new one, which pays its batch.
      await cluster.isolate(first);
      const second = await cluster.leader();
      assert.notEqual(second, first);
      assert.equal(await jobs.get(second)!.runBatch(async () => ['invoice-2']), 'written');

      // The bank answers the old leader at last: its write carries the old term, and is refused.
      bankAnswers();
      assert.equal(await lateWrite, 'refused');
      assert.deepEqual(store.batches, [{ term: cluster.node(second).term, payments: ['invoice-2'] }]);
    });
  });
}
