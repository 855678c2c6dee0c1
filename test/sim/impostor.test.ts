/**
 * Two processes with one node ID in the simulator (src/sim/impostor.ts): a misconfigured machine
 * started with a voter's `--id`. Seeds 22 and 43 are the first two of the random runs that catch a
 * core whose voters ignore the duplicate-ID alarm (D1); the real core must pass them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VoteRequest } from '../../src/core/index.ts';
import { lanCoreOf } from '../../src/core/lan-core.ts';
import { ElectionNode } from '../../src/core/node.ts';
import { Check } from '../../src/sim/checkers.ts';
import { SimCluster } from '../../src/sim/cluster.ts';
import { drawLayout } from '../../src/sim/layout.ts';
import { SimRandom } from '../../src/sim/prng.ts';
import { runSimulation } from '../../src/sim/run.ts';

/** The break `vote-to-duplicate-id` (scripts/mutants/core-mutants.ts): votes as if no alarm were raised. */
class VotesUnderAlarm extends ElectionNode {
  #deciding = false;

  override decideVote(request: VoteRequest, nowMs: number): ReturnType<ElectionNode['decideVote']> {
    this.#deciding = true;
    try {
      return super.decideVote(request, nowMs);
    } finally {
      this.#deciding = false;
    }
  }

  override hasDuplicateAlarm(nowMs: number): boolean {
    return !this.#deciding && super.hasDuplicateAlarm(nowMs);
  }
}

const CATCHING_SEEDS = [22, 43];

describe('duplicate ID: impostors in the simulator', () => {
  for (const seed of CATCHING_SEEDS) {
    it(`duplicate ID: seed ${seed}'s impostor and its twin raise the alarm, and the run passes`, () => {
      let sim: SimCluster | null = null;
      const alarms = new Set<number>();
      const result = runSimulation({
        seed,
        inspect: (s) => (sim = s),
        watch: (_atMs, key, item) => {
          if (typeof item !== 'string' && item.type === 'alarm' && item.raised) alarms.add(key);
        },
      });
      assert.deepEqual(result.violations, []);
      const impersonated = [...(sim as SimCluster | null)!.impersonated];
      assert.equal(impersonated.length, 1, 'the run has an impostor');
      const [twin] = impersonated as [number];
      assert.deepEqual([...alarms].sort((a, b) => a - b), [-twin, twin], 'both processes raised the duplicate-ID alarm');
    });
  }

  it('duplicate ID: a voter that votes under the alarm is caught by D1 at the first of those seeds', () => {
    // Seeds 1–21 do not catch it (`scripts/mutants/sim-catch.ts --only vote-to-duplicate-id`).
    const caught = runSimulation({ seed: CATCHING_SEEDS[0]!, createCore: (o) => lanCoreOf(new VotesUnderAlarm(o)) });
    const hit = caught.violations.find((v) => v.check === Check.DuplicateQuiet);
    assert.ok(hit !== undefined, `not caught: ${caught.violations.map((v) => v.check).join(' ') || 'no violation'}`);
    assert.match(hit.message, /n\d+'? granted n\d+ its (pre-)?vote for term \d+ while its duplicate-ID alarm was raised/);
  });

  it('an impostor of the coordinator: both processes stand down, the others elect, and the twin leads again once it is gone', () => {
    const sim = new SimCluster({ voters: [1, 2, 3], seed: 7 });
    sim.boot();
    assert.ok(sim.runUntil(() => sim.agreedLeader() === 3, 5000), 'n3 leads first');
    const impostor = sim.startImpostor(3, null, new SimRandom(11));
    assert.ok(sim.runUntil(() => sim.agreedLeader([1, 2]) === 2, 5000), 'n2 leads while n3 has an impostor');
    assert.equal(impostor.core?.status(impostor.localNowMs()).alarms.duplicateId, true);
    assert.equal(sim.status(3).alarms.duplicateId, true);
    sim.runFor(3000);
    assert.equal(sim.leaseHolders().join(), '2', 'neither process of n3 leads while both run');
    sim.stopImpostor(impostor);
    assert.equal(sim.hosts.length, 3);
    // The peers took the impostor (the later boot) for n3, or kept n3: n3 restarts, as the random runs do.
    sim.crash(3);
    sim.boot(3);
    assert.ok(sim.runUntil(() => sim.agreedLeader() === 3, 10_000), 'n3 takes over again (preemption)');
    assert.deepEqual(sim.safety.violations, []);
  });

  it('without multicast, two processes of one ID do not both lead a term: the peers that see both tell them (heartbeat `twins`)', () => {
    // Nobody sends to its own ID, so with unicast only the two never hear each other; each peer
    // takes one of them and drops the other's datagrams as an impostor's, and names the ID in its
    // heartbeats (docs/protocol.md, "Restarts, duplicates, leaving").
    const sim = new SimCluster({ voters: [1, 2, 3], seed: 14, layout: drawLayout(new SimRandom(14), [1, 2, 3], 'unicast-only') });
    const alarms = new Set<number>();
    sim.watch((_atMs, key, item) => {
      if (typeof item !== 'string' && item.type === 'alarm' && item.raised) alarms.add(key);
    });
    sim.boot();
    const impostor = sim.startImpostor(3, null, new SimRandom(114));
    sim.runFor(5000);
    assert.deepEqual(sim.safety.violations, []);
    // Twins that never hear each other are the gap S1 reports apart (src/sim/twins.ts): here it must not open.
    assert.equal(sim.twins.gaps, 0, `twins' gap: ${sim.twins.firstGap}`);
    assert.ok(alarms.has(3) || alarms.has(impostor.key), 'a process of n3 raised the duplicate-ID alarm');
  });

  it(
    'once an impostor stops, the node it impersonated is heard again without a restart',
    () => {
      const sim = new SimCluster({ voters: [1, 2, 3], seed: 7 });
      sim.boot();
      assert.ok(sim.runUntil(() => sim.agreedLeader() === 3, 5000));
      const impostor = sim.startImpostor(3, null, new SimRandom(11));
      sim.runFor(500);
      // n3 pauses long enough that its peers count it gone and take the impostor for n3.
      sim.stall(3, 4000);
      sim.runFor(6000);
      sim.stopImpostor(impostor);
      assert.ok(sim.runUntil(() => sim.agreedLeader() === 3, 20_000), `n3 never led again; drops: ${JSON.stringify([...sim.drops])}`);
    },
  );
});
