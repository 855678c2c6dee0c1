/**
 * Whole-cluster scenarios on the simulated LAN (real driver, real codec, calm network unless a
 * scenario says otherwise). Every scenario also ends with the safety checkers clean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeId } from '../../src/core/index.ts';
import { SimCluster } from '../../src/sim/cluster.ts';

const TIMEOUT = 1000;
const HEARTBEAT = 100;
const ANSWER_TIMEOUT = 2 * HEARTBEAT;
const MEMBER_BEAT = 1000;

function cluster(size: number, config: ConstructorParameters<typeof SimCluster>[0]['config'] = {}): SimCluster {
  return new SimCluster({ voters: Array.from({ length: size }, (_, i) => i + 1), config });
}

function assertSafe(sim: SimCluster): void {
  assert.deepEqual(sim.safety.violations, [], sim.violationTrace);
}

/** Boots everyone and waits for the cluster to agree on `expected`. */
function settle(sim: SimCluster, expected: NodeId): void {
  sim.boot();
  assert.ok(sim.runUntil(() => sim.agreedLeader() === expected, 10_000), sim.trace.format());
}

function elapsedUntil(sim: SimCluster, done: () => boolean, maxMs: number): number {
  const start = sim.nowMs;
  assert.ok(sim.runUntil(done, maxMs), `not within ${maxMs} ms\n${sim.trace.format()}`);
  return sim.nowMs - start;
}

describe('cluster scenarios', () => {
  it('cold start: the highest ID leads, elected once, in one term every node shares', () => {
    const sim = cluster(5);
    const ms = elapsedUntil(sim, () => (sim.boot(), sim.agreedLeader() === 5), 5000);
    assert.ok(ms >= ANSWER_TIMEOUT && ms < ANSWER_TIMEOUT + 100, `elected after ${ms} ms: the boot grace (an answer timeout), then a round trip`);
    assert.deepEqual(new Set(sim.hosts.map((h) => h.inspect()!.term)), new Set([1]));
    assert.equal(sim.events.filter((e) => e.event.type === 'elected').length, 1);
    sim.runFor(5000);
    assert.equal(sim.agreedLeader(), 5, 'and it stays');
    assertSafe(sim);
  });

  it('the coordinator crashes: the next-highest takes over after about one timeout', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.runFor(537); // crash at an arbitrary point between heartbeats
    sim.crash(5);
    const ms = elapsedUntil(sim, () => sim.agreedLeader([1, 2, 3, 4]) === 4, 5000);
    assert.ok(ms > TIMEOUT - HEARTBEAT && ms < TIMEOUT + 50, `failover took ${ms} ms`);
    assert.equal(sim.host(4).inspect()!.term, 2);
    assertSafe(sim);
  });

  it('graceful stop: the successor is elected at once, without waiting for a timeout', async () => {
    const sim = cluster(5);
    settle(sim, 5);
    await sim.stop(5);
    const ms = elapsedUntil(sim, () => sim.agreedLeader([1, 2, 3, 4]) === 4, 2000);
    assert.ok(ms < 20, `handover took ${ms} ms`);
    const elected = sim.eventsOf(4, 'elected')[0];
    assert.equal(elected?.type === 'elected' && elected.cause, 'resignation');
    assertSafe(sim);
  });

  it('a 3|2 partition: only the majority side has a coordinator; the minority has none and keeps its term', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.partition([1, 2, 3], [4, 5]);
    const ms = elapsedUntil(sim, () => sim.agreedLeader([1, 2, 3]) === 3, 5000);
    assert.ok(ms < 2 * TIMEOUT, `majority re-elected after ${ms} ms`);
    sim.runFor(5000);
    assert.deepEqual(sim.leaseHolders(), [3]);
    for (const id of [4, 5]) {
      const status = sim.status(id);
      assert.equal(status.leader, null, `n${id} knows no coordinator`);
      assert.equal(status.quorum.have, 2);
      assert.equal(status.quorum.need, 3);
      assert.equal(status.term, 1, 'pre-vote: the minority does not inflate its term');
    }
    assertSafe(sim);
  });

  it('2|2|1: nobody can elect', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.partition([1, 2], [3, 4], [5]);
    sim.runFor(8000);
    assert.deepEqual(sim.leaseHolders(), []);
    for (const h of sim.hosts) assert.equal(h.inspect()!.knownLeader, null);
    assertSafe(sim);
  });

  it('check-quorum: an isolated coordinator steps down within its lease, before anyone else can win', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.isolate(5);
    const start = sim.nowMs;
    const stepDownMs = elapsedUntil(sim, () => sim.leaseHolders().length === 0, 2000);
    assert.ok(stepDownMs <= 900, `stepped down after ${stepDownMs} ms (lease 900 ms)`);
    elapsedUntil(sim, () => sim.agreedLeader([1, 2, 3, 4]) === 4, 3000);
    const demoted = sim.events.find((e) => e.node === 5 && e.event.type === 'demoted')!;
    const elected = sim.events.find((e) => e.node === 4 && e.event.type === 'elected')!;
    assert.ok(demoted.atMs < elected.atMs, 'the old coordinator let go first');
    assert.ok(elected.atMs - start > TIMEOUT - HEARTBEAT, 'the others waited out their promise');
    assertSafe(sim);
  });

  it('healing a partition: exactly one coordinator again, the highest ID (preemption on)', () => {
    const sim = cluster(5, { dampingMs: 2000 });
    settle(sim, 5);
    sim.partition([1, 2, 3], [4, 5]);
    sim.runFor(4000);
    assert.equal(sim.agreedLeader([1, 2, 3]), 3);
    sim.heal();
    const ms = elapsedUntil(sim, () => sim.agreedLeader() === 5, 10_000);
    assert.ok(ms >= 2000 && ms < 2000 + 2 * HEARTBEAT + 50, `5 took over after ${ms} ms (damping 2000 ms)`);
    const cause = sim.eventsOf(5, 'elected').at(-1);
    assert.equal(cause?.type === 'elected' && cause.cause, 'preemption');
    assertSafe(sim);
  });

  it('two higher IDs rejoining a moment apart: the coordinator waits for the highest, one handover (seed 36008232)', () => {
    // Member beats of 100 ms: each is heard within 100 ms of the cut healing, in the order it rejoined.
    const sim = cluster(5, { dampingMs: 2000, memberBeatMs: 100 });
    settle(sim, 5);
    sim.partition([1, 2, 3], [4], [5]);
    sim.runFor(4000);
    assert.equal(sim.agreedLeader([1, 2, 3]), 3);
    const termBefore = sim.host(3).inspect()!.term;
    // n4 is back 50 ms before n5: its damping runs out first.
    sim.partition([1, 2, 3, 4], [5]);
    sim.runFor(50);
    const eventsBefore = sim.events.length;
    sim.heal();
    const ms = elapsedUntil(sim, () => sim.agreedLeader() === 5, 10_000);
    const elected = sim.events.slice(eventsBefore).filter((e) => e.event.type === 'elected');
    // Handed to n4 first, n5 then took over as after a failure, a term later.
    assert.deepEqual(
      elected.map(({ node, event }) => ({ node, ...(event.type === 'elected' ? { term: event.term, cause: event.cause } : {}) })),
      [{ node: 5, term: termBefore + 1, cause: 'preemption' }],
    );
    assert.ok(ms >= 2000 && ms < 2000 + 2 * HEARTBEAT + 50, `5 took over after ${ms} ms (damping 2000 ms)`);
    assertSafe(sim);
  });

  it('preempt: false keeps the current coordinator when a higher ID returns', () => {
    const sim = cluster(5, { preempt: false });
    settle(sim, 5);
    sim.crash(5);
    sim.runUntil(() => sim.agreedLeader([1, 2, 3, 4]) === 4, 5000);
    sim.boot(5);
    sim.runFor(10_000);
    assert.equal(sim.agreedLeader(), 4);
    assertSafe(sim);
  });

  it('a flapping higher ID does not make leadership flap (damping)', () => {
    const sim = cluster(5, { dampingMs: 3000 });
    settle(sim, 5);
    sim.crash(5);
    sim.runUntil(() => sim.agreedLeader([1, 2, 3, 4]) === 4, 5000);
    const changesBefore = sim.events.filter((e) => e.event.type === 'elected').length;
    for (let i = 0; i < 6; i++) {
      sim.boot(5);
      sim.runFor(1500);
      sim.crash(5);
      sim.runFor(700);
    }
    assert.equal(sim.agreedLeader([1, 2, 3, 4]), 4);
    assert.equal(sim.events.filter((e) => e.event.type === 'elected').length, changesBefore, 'no new election');
    assertSafe(sim);
  });

  it('the term is a fencing token: each new coordinator has a higher one, also across restarts', () => {
    const sim = cluster(3, { dampingMs: 0 });
    settle(sim, 3);
    for (const victim of [3, 2, 3, 1, 3]) {
      sim.crash(victim);
      sim.runFor(2500);
      sim.boot(victim);
      sim.runFor(2500);
    }
    const terms = sim.events.filter((e) => e.event.type === 'elected').map((e) => (e.event.type === 'elected' ? e.event.term : 0));
    assert.ok(terms.length >= 5, `${terms.length} elections`);
    for (let i = 1; i < terms.length; i++) assert.ok(terms[i]! > terms[i - 1]!, `terms ${terms}`);
    assertSafe(sim);
  });

  it('an isolated node rejoins without disrupting the coordinator (pre-vote)', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.isolate(2);
    sim.runFor(6000);
    assert.equal(sim.host(2).inspect()!.term, 1);
    sim.heal();
    sim.runFor(3000);
    assert.equal(sim.agreedLeader(), 5);
    assert.equal(sim.events.filter((e) => e.event.type === 'elected').length, 1);
    assertSafe(sim);
  });

  it('requested resignation hands over to the next ID at once', () => {
    const sim = cluster(3, { preempt: false });
    settle(sim, 3);
    sim.resign(3, 'requested');
    const ms = elapsedUntil(sim, () => sim.agreedLeader() === 2, 2000);
    assert.ok(ms < 20, `handover took ${ms} ms`);
    assertSafe(sim);
  });

  it('a long stall of the coordinator (GC pause): it is replaced, and on waking it steps down, never overlapping', () => {
    const sim = cluster(3);
    settle(sim, 3);
    sim.stall(3, 2500);
    sim.runFor(2000);
    assert.equal(sim.agreedLeader([1, 2]), 2);
    sim.runFor(1000);
    assert.equal(sim.host(3).inspect()!.role, 'follower');
    assertSafe(sim);
  });

  it('20% loss and duplication: still exactly one coordinator, elections still complete', () => {
    const sim = cluster(5);
    settle(sim, 5);
    sim.network.conditions = { lossRate: 0.2, duplicateRate: 0.1, delayMinMs: 0.2, delayMaxMs: 20 };
    sim.crash(5);
    elapsedUntil(sim, () => sim.agreedLeader([1, 2, 3, 4]) === 4, 5000);
    sim.runFor(20_000);
    assert.ok(sim.leaseHolders().length <= 1);
    assertSafe(sim);
  });

  it('25 nodes starting over two seconds elect n25 once; settled, each node hears a few datagrams a second, not 10 × N', () => {
    const size = 25;
    const sim = cluster(size);
    // A fixed shuffle, starts 80 ms apart; n25 starts 21st, long after a quorum could have elected.
    const order = Array.from({ length: size - 1 }, (_, i) => ((i * 7) % (size - 1)) + 1);
    order.splice(20, 0, size);
    order.forEach((id, i) => sim.scheduler.at(i * 80, () => sim.boot(id)));
    const lastBootMs = (size - 1) * 80;
    assert.ok(sim.runUntil(() => sim.nowMs > lastBootMs && sim.agreedLeader() === size, 5000), sim.trace.format());
    assert.ok(sim.nowMs - lastBootMs < 1000, `agreed ${sim.nowMs - lastBootMs} ms after the last start`);
    const elected = order.flatMap((id) => sim.eventsOf(id, 'elected'));
    assert.equal(elected.length, 1, 'one election: no lower ID won first and handed over');

    sim.runFor(2 * MEMBER_BEAT); // followers are on the slow rate now
    const before = sim.network.stats.delivered;
    sim.runFor(10_000);
    const perNodePerSecond = (sim.network.stats.delivered - before) / size / 10;
    // Rounds (10/s) + acknowledgements (10/s per follower, to the leader) + member beats (24/s):
    // about 42 per node. One rate for everyone would be 10 × 24 + 10 = 250.
    assert.ok(perNodePerSecond > 30 && perNodePerSecond < 60, `${perNodePerSecond.toFixed(1)} datagrams per node per second`);
    assert.equal(sim.agreedLeader(), size);
    assertSafe(sim);
  });

  it('100 nodes: a staggered cold start elects n100 once; killing it, n99 leads about a timeout later', () => {
    const size = 100;
    const sim = cluster(size);
    const ids = Array.from({ length: size }, (_, i) => i + 1);
    ids.forEach((id) => sim.scheduler.at(((id * 37) % size) * 10, () => sim.boot(id))); // over a second
    assert.ok(sim.runUntil(() => sim.agreedLeader() === size, 5000), sim.trace.format());
    assert.equal(ids.flatMap((id) => sim.eventsOf(id, 'elected')).length, 1);
    sim.runFor(2 * MEMBER_BEAT + 537);
    sim.crash(size);
    const survivors = ids.slice(0, -1);
    const ms = elapsedUntil(sim, () => sim.agreedLeader(survivors) === size - 1, 5000);
    assert.ok(ms > TIMEOUT - HEARTBEAT && ms < TIMEOUT + 100, `failover took ${ms} ms`);
    assertSafe(sim);
  });
});
