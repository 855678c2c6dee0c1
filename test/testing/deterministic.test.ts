/**
 * The deterministic mode: one seed, one run (a failing user test replays exactly), and a
 * failover in virtual time that costs milliseconds of wall time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimCluster } from '../../src/testing/index.ts';
import { recordEvents } from './cluster-events.ts';

/** A failover story with every fault the kit offers; returns what was said, with virtual times. */
async function story(seed: number): Promise<string[]> {
  await using cluster = await createSimCluster({ nodes: 5, seed });
  const lines: string[] = [];
  for (const node of cluster.nodes) {
    node.on('elected', ({ term }) => lines.push(`${cluster.nowMs} n${node.id} elected ${term}`));
    node.on('demoted', ({ term, reason }) => lines.push(`${cluster.nowMs} n${node.id} demoted ${term} ${reason}`));
  }
  const first = await cluster.settled();
  await cluster.isolate(first);
  const second = await cluster.leader();
  await cluster.stall(second, 700);
  await cluster.runFor(2000);
  await cluster.heal();
  await cluster.kill(await cluster.settled());
  lines.push(`${cluster.nowMs} leader n${await cluster.settled()}`);
  return lines;
}

describe('deterministic test cluster', () => {
  it('replays exactly by seed; another seed is another run', async () => {
    const once = await story(42);
    assert.deepEqual(await story(42), once);
    assert.notDeepEqual(await story(43), once);
    assert.ok(once.length >= 4, once.join('\n'));
  });

  it('a failover takes well under a second of wall time', async () => {
    const startedMs = performance.now();
    const cluster = await createSimCluster({ nodes: 5, seed: 1 });
    const said = recordEvents(cluster);
    const first = await cluster.settled();
    await cluster.kill(first);
    const second = await cluster.settled();
    const wallMs = performance.now() - startedMs;
    await cluster.close();
    console.log(`deterministic: election, kill and re-election of 5 nodes took ${wallMs.toFixed(1)} ms of wall time for ${cluster.nowMs} virtual ms`);
    assert.notEqual(second, first);
    assert.ok(said.some((e) => e.node === second && e.said === 'elected'));
    assert.ok(wallMs < 1000, `${wallMs} ms`);
  });

  it('a closed cluster refuses to run its clock', async () => {
    const cluster = await createSimCluster({ nodes: 3 });
    await cluster.close();
    await assert.rejects(cluster.leader(), /closed/);
  });
});
