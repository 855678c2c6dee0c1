/**
 * conclave/testing: test your leader-only code against real elections and failovers.
 *
 *   const cluster = await createTestCluster({ nodes: 3 });                          // real nodes on loopback
 *   const cluster = await createTestCluster({ nodes: 3, deterministic: true, seed: 7 }); // virtual time
 *   t.after(() => cluster.close());
 *   const first = await cluster.leader();
 *   await cluster.kill(first);
 *   const second = await cluster.leader();
 *
 * docs/testing.md describes every method and what each mode can and cannot show.
 */
import { DeterministicCluster, type DeterministicClusterOptions } from './deterministic-cluster.ts';
import { LoopbackCluster, type LoopbackClusterOptions } from './loopback-cluster.ts';
import type { TestCluster } from './test-cluster.ts';

export type { TestCluster, TestNode, TestNodeEvents, WaitOptions } from './test-cluster.ts';
export type { TestTimings } from './test-timings.ts';
export { TEST_TIMINGS } from './test-timings.ts';
export { TestClusterError, TestTimeoutError } from './errors.ts';
export type { DeterministicClusterOptions, LoopbackClusterOptions };

export type TestClusterOptions = (LoopbackClusterOptions & { deterministic?: false }) | (DeterministicClusterOptions & { deterministic: true });

/**
 * A cluster for a test: real nodes in this process on loopback (default), or with
 * `deterministic: true` the simulator's virtual clock and network, replayable by `seed`.
 */
export async function createTestCluster(options: TestClusterOptions): Promise<TestCluster> {
  if (options.deterministic === true) {
    const { deterministic: _, ...rest } = options;
    return new DeterministicCluster(rest);
  }
  const { deterministic: _, ...rest } = options;
  return LoopbackCluster.start(rest);
}

/** The deterministic mode by itself: `createTestCluster({ ...options, deterministic: true })`. */
export async function createSimCluster(options: DeterministicClusterOptions): Promise<TestCluster & { readonly nowMs: number }> {
  return new DeterministicCluster(options);
}
