/**
 * A test cluster's own life: bad sizes refused, `await using` closes it, a wait ends when the
 * cluster closes, and two clusters at once (parallel test files) each elect on their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestCluster, TestClusterError, type TestCluster } from '../../src/testing/index.ts';

describe('test cluster lifecycle', () => {
  it('refuses a size that is no whole number of nodes', async () => {
    await assert.rejects(createTestCluster({ nodes: 0 }), TestClusterError);
    await assert.rejects(createTestCluster({ nodes: 2.5, deterministic: true }), TestClusterError);
  });

  it('await using closes the cluster at the end of the block: its nodes are down', async () => {
    let kept: TestCluster | null = null;
    {
      await using cluster = await createTestCluster({ nodes: 2 });
      kept = cluster;
      await cluster.leader();
    }
    assert.deepEqual(kept.nodes.map((node) => node.up), [false, false]);
  });

  it('a wait for a leader ends when the cluster is closed, instead of running out its time', async () => {
    const cluster = await createTestCluster({ nodes: 3 });
    await cluster.kill(1);
    await cluster.kill(2); // one of three: no quorum, no leader
    const startedMs = performance.now();
    const refused = assert.rejects(cluster.leader({ withinMs: 30_000 }), /closed/);
    await cluster.close();
    await refused;
    assert.ok(performance.now() - startedMs < 2000);
  });

  it('two clusters at once each elect among their own nodes', async (t) => {
    const [a, b] = await Promise.all([createTestCluster({ nodes: 3 }), createTestCluster({ nodes: 3 })]);
    t.after(() => Promise.all([a.close(), b.close()]));
    await Promise.all([a.settled(), b.settled()]);
    for (const cluster of [a, b]) {
      for (const node of cluster.nodes) assert.deepEqual(node.status()!.peers.map((peer) => peer.id).sort(), cluster.ids.filter((id) => id !== node.id));
    }
  });
});
