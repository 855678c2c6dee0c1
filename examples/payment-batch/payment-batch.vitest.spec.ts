/**
 * The same partition test with Vitest (`npx vitest run`; Vitest finds `*.spec.ts`). Vitest is no
 * dependency of this project: this file passed with Vitest 4.1.12 on Node 20, in a project of its
 * own that installed the packed conclave package. Cleanup through onTestFinished, which runs
 * when the test fails too.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createTestCluster } from 'conclave/testing';
import { FencingStore } from './fencing-store.ts';
import { PaymentBatchJob } from './payment-batch-job.ts';

describe.each([
  { mode: 'real nodes', options: { nodes: 3 } },
  { mode: 'deterministic', options: { nodes: 3, deterministic: true as const, seed: 1 } },
])('payment batches ($mode)', ({ options }) => {
  it("a partitioned leader's late write is refused", async () => {
    const cluster = await createTestCluster(options);
    onTestFinished(() => cluster.close());
    const store = new FencingStore();
    const jobs = new Map(cluster.nodes.map((node) => [node.id, new PaymentBatchJob(node, store)]));
    const first = await cluster.settled();

    let bankAnswers!: () => void;
    const slowBank = new Promise<void>((resolve) => (bankAnswers = resolve));
    const lateWrite = jobs.get(first)!.runBatch(async () => {
      await slowBank;
      return ['invoice-1'];
    });

    await cluster.isolate(first);
    const second = await cluster.leader();
    expect(second).not.toBe(first);
    expect(await jobs.get(second)!.runBatch(async () => ['invoice-2'])).toBe('written');

    bankAnswers();
    expect(await lateWrite).toBe('refused');
    expect(store.refused).toBe(1);
  });
});
