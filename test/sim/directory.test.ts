/**
 * Hosts route through a real peer directory (src/sim/layout.ts, src/sim/transport.ts), so the
 * simulator runs the copy and probe policy of src/net/peer-directory.ts: loss never makes copies
 * (issue 22), while the policy it replaced multiplies traffic on the same seed; seeds reach a
 * peer on another subnet; and a one-way group filter is (or is not) repaired.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeId } from '../../src/core/index.ts';
import type { DirectoryOptions } from '../../src/net/peer-directory.ts';
import type { CapacityPlan } from '../../src/sim/capacity.ts';
import { SimCluster } from '../../src/sim/cluster.ts';
import { drawLayout, simAddress, SIM_UNICAST_PORT, type HostPlace, type NetworkLayout } from '../../src/sim/layout.ts';
import { SimRandom } from '../../src/sim/prng.ts';
import { SEND_WINDOW_MS } from '../../src/sim/send-rate.ts';
import { CopyOnLossDirectory } from '../helpers/copy-on-loss-directory.ts';

const NODES = 25;
const RUN_MS = 40_000;
/**
 * One core, 150 µs an input, small receive buffers, and a backlog that drains 1.5 packets a
 * millisecond: barely more than 25 settled nodes need (about 1.1), so bursts overflow it, as the
 * shared kernel of issue 22 did. The LAN loses a fifth of what crosses it besides.
 */
const TIGHT: CapacityPlan = { receiveQueueDatagramsMax: 64, backlogPacketsMax: 1000, backlogPacketsPerMs: 1.5, cores: 1, inputCpuUs: 150, bootCpuMs: 100 };

interface StormResult {
  /** Unicast copies each host sent per 10-s window, every window of every host. */
  copiesPerWindow: number[];
  datagrams: number;
  sendErrors: number;
  /** The copies the worst window of any host held, and the mean per host per window. */
  worst: number;
  mean: number;
}

/** 25 nodes on one multicast group without seeds, booted within a second on the tight machine, for 40 s. */
function lossyStorm(createDirectory?: (options: DirectoryOptions) => CopyOnLossDirectory): StormResult {
  const voters = Array.from({ length: NODES }, (_, i) => i + 1);
  const sim = new SimCluster({ voters, seed: 11, capacity: TIGHT, layout: drawLayout(new SimRandom(1), voters, 'one-group'), ...(createDirectory === undefined ? {} : { createDirectory }) });
  sim.network.conditions = { lossRate: 0.2, duplicateRate: 0.05, delayMinMs: 0.1, delayMaxMs: 5 };
  const boots = new SimRandom(2);
  for (const id of voters) sim.scheduler.at(boots.between(0, 1000), () => sim.boot(id));
  sim.runFor(RUN_MS);
  assert.deepEqual(sim.safety.violations, []);
  const counts = new Map<string, number>();
  for (const window of sim.copyRate.windows(0, RUN_MS, 1)) counts.set(`${window.node}@${window.fromMs}`, window.sent);
  // Every host and window, zero where a host sent no copy at all.
  const copiesPerWindow: number[] = [];
  for (const id of voters) for (let fromMs = 0; fromMs < RUN_MS; fromMs += SEND_WINDOW_MS) copiesPerWindow.push(counts.get(`${id}@${fromMs}`) ?? 0);
  const total = copiesPerWindow.reduce((a, b) => a + b, 0);
  return {
    copiesPerWindow,
    datagrams: sim.network.stats.sent,
    sendErrors: sim.capacityStats().sendErrors,
    worst: Math.max(...copiesPerWindow),
    mean: total / copiesPerWindow.length,
  };
}

function describeStorm(name: string, r: StormResult): string {
  return `${name}: copies per host per 10 s mean ${r.mean.toFixed(0)}, worst ${r.worst}; ${r.datagrams} datagrams (${(r.datagrams / NODES / (RUN_MS / 1000)).toFixed(1)} a node a second), ${r.sendErrors} ENOBUFS`;
}

/** A layout of `ids` by hand: the group each host hears (null: multicast off), its subnet, and everyone's seeds. */
function layoutOf(ids: readonly NodeId[], groupOf: (id: NodeId) => number | null, subnetOf: (id: NodeId) => number, seedIds: readonly NodeId[]): NetworkLayout {
  const seeds = seedIds.map((id) => ({ address: simAddress(id, subnetOf(id)), port: SIM_UNICAST_PORT }));
  const places = new Map<NodeId, HostPlace>(ids.map((id) => [id, { address: simAddress(id, subnetOf(id)), group: groupOf(id), seeds }]));
  return { kind: seedIds.length === 0 ? 'one-group' : 'two-subnets', places };
}

describe('peer directories in the simulator', () => {
  it('loss makes no copies: a lossy 25-node cluster on one group sends none, where the old policy multiplies them', () => {
    const now = lossyStorm();
    const old = lossyStorm((options) => new CopyOnLossDirectory(options));
    console.log(describeStorm('today', now));
    console.log(describeStorm('before 4c64491', old));
    // With multicast and no seeds every peer is first heard over the group, and is on it for good.
    assert.equal(now.worst, 0, 'no unicast copies at all');
    // With every node beating fast while leaderless (before the rates of issue 22) the old policy
    // copied a mean of 323 per host per 10 s here, with 12 times the ENOBUFS; now that only the
    // coordinator beats fast there is less to copy, but loss still makes copies under it.
    assert.ok(old.worst > 0, `the old policy copies under loss: worst ${old.worst} per host per 10 s`);
    assert.ok(old.datagrams >= now.datagrams, `${old.datagrams} datagrams against ${now.datagrams}`);
  });

  it('a peer on another subnet, without multicast, is found through the seeds and elected', () => {
    const voters = [1, 2, 3, 4, 5];
    // n5, the highest ID, is alone on another subnet; everyone is given n1 and n5 as seeds.
    const layout = layoutOf(voters, (id) => (id === 5 ? null : 0), (id) => (id === 5 ? 1 : 0), [1, 5]);
    const sim = new SimCluster({ voters, seed: 4, layout });
    sim.boot();
    assert.ok(sim.runUntil(() => sim.agreedLeader() === 5, 10_000), `agreed: ${sim.agreedLeader()}`);
    sim.runFor(SEND_WINDOW_MS);
    assert.equal(sim.agreedLeader(), 5);
    assert.deepEqual(sim.safety.violations, []);
    const copies = sim.copyRate.windows(sim.nowMs - SEND_WINDOW_MS, sim.nowMs, 1);
    const of = (id: NodeId): number => copies.find((w) => w.node === id)?.sent ?? 0;
    // n5 copies each heartbeat (10 a second) to its 4 peers; each of them its member beat (1 a second) to n5.
    console.log(`copies in 10 s once settled: ${voters.map((id) => `n${id} ${of(id)}`).join(', ')}`);
    assert.ok(of(5) >= 350 && of(5) <= 450, `the coordinator copies to the four peers beyond its group: ${of(5)}`);
    for (const id of [1, 2, 3, 4]) assert.ok(of(id) <= 15, `n${id} copies only to n5: ${of(id)}`);
  });

  it('without seeds, a one-way group filter gets no copies (nothing may tell it from loss)', () => {
    const voters = [1, 2, 3, 4, 5];
    const sim = new SimCluster({ voters, seed: 3, layout: layoutOf(voters, () => 0, () => 0, []) });
    sim.boot();
    assert.ok(sim.runUntil(() => sim.agreedLeader() === 5, 5000));
    const filteredAtMs = sim.nowMs;
    sim.network.filterGroup(5, 1);
    sim.runFor(30_000);
    assert.deepEqual(sim.copyRate.windows(filteredAtMs, sim.nowMs, 1).filter((w) => w.sent > 0), []);
    assert.deepEqual(sim.safety.violations, []);
  });

  it('with seeds, a one-way group filter starts unicast copies after ONE_WAY_AFTER_MS', () => {
    const voters = [1, 2, 3, 4, 5];
    const sim = new SimCluster({ voters, seed: 3, layout: layoutOf(voters, () => 0, () => 0, [1, 2]) });
    sim.boot();
    assert.ok(sim.runUntil(() => sim.agreedLeader() === 5, 5000));
    sim.network.filterGroup(5, 1);
    sim.runFor(30_000);
    assert.ok(sim.copyRate.windows(0, sim.nowMs, 1).some((w) => w.node === 5 && w.sent > 0), 'n5 copies to n1');
    assert.deepEqual(sim.safety.violations, []);
  });

  it(
    'with seeds, a one-way group filter is repaired: the cut-off follower keeps hearing its coordinator',
    // It once stopped as soon as it worked: the copies made n1 list n5 again, which reset
    // deafToUsSinceMs, and n1 followed n5 in about 10 % of the samples.
    () => {
      const voters = [1, 2, 3, 4, 5];
      const sim = new SimCluster({ voters, seed: 3, layout: layoutOf(voters, () => 0, () => 0, [1, 2]) });
      sim.boot();
      assert.ok(sim.runUntil(() => sim.agreedLeader() === 5, 5000));
      sim.network.filterGroup(5, 1);
      sim.runFor(15_000);
      let following = 0;
      const samples = 60;
      for (let i = 0; i < samples; i++) {
        sim.runFor(500);
        if (sim.host(1).inspect()?.knownLeader === 5) following++;
      }
      console.log(`n1 follows n5 in ${following} of ${samples} samples after the repair should have begun`);
      assert.ok(following >= 0.9 * samples, `n1 follows n5 in ${following} of ${samples} samples`);
    },
  );
});
