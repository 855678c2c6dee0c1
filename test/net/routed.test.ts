/**
 * Beyond one multicast domain: five real nodes on two subnets joined by a router that forwards
 * unicast only. Every node but n1 is given one seed, n1; the rest they learn by gossip. Also a
 * cluster with no multicast at all.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { assertDurableTermsAndVotes, assertNoOverlap } from './checks.ts';
import { Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';
import { RoutedLab } from './routed-lab.ts';
import { isEvent } from '../helpers/event-kind.ts';

const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const measured: string[] = [];
const A = [1, 2, 3];
const B = [4, 5];

describe('seeds across a router (two subnets, no multicast routing)', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  after(() => {
    if (measured.length > 0) console.log(`measured:\n  ${measured.join('\n  ')}`);
  });

  it('five nodes on two subnets, one seed, elect one coordinator; unplugging it re-elects; cutting the router leaves only the majority side with a leader', async () => {
    const lab = RoutedLab.createRouted(5, 3);
    try {
      // n1, the seed, is started like any node without seeds: it listens on the port everyone knows.
      const seed = `${lab.node(1).ip}:7707`;
      lab.start(1);
      for (const id of [2, 3, 4, 5]) lab.start(id, ['--seeds', seed]);
      const coldMs = await lab.waitFor('all five agree on n5', () => lab.agreed() === 5, 15_000);
      measured.push(`cold start across the router, one seed: ${coldMs} ms`);
      // n2 and n3 were given only n1, and multicast does not cross the router: hearing n4 and n5
      // (a quorum of 5 heard) means gossip told them where those are, and the link works both ways.
      // (A node's last event line carries the quorum it saw then: the followers' lines are newer.)
      await lab.waitFor('n1..n4 hear all five', () => [1, 2, 3, 4].every((id) => lab.latest(id)!.quorum.have === 5), 5000);
      const started = lab.node(2).current.find(isEvent('started'));
      assert.ok(started !== undefined && 'seeds' in started);
      assert.deepEqual(started.seeds, [seed]);
      assert.equal(started.multicast, true);

      const unpluggedAt = Date.now();
      lab.unplug(5);
      const failoverMs = await lab.waitFor('n1..n4 agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 6000);
      measured.push(`unplug failover across the router: ${failoverMs} ms`);
      const elected = lab.node(4).events.find((e) => e.ts >= unpluggedAt && e.event === 'elected');
      assert.ok(elected !== undefined, 'n4 (subnet B) was elected with votes from subnet A');

      lab.replug(5);
      await lab.waitFor('n5 back in the lead after its damping', () => lab.agreed() === 5, 12_000);

      lab.cutRouter();
      await lab.waitFor('subnet A (the majority) agrees on n3', () => lab.agreed(A) === 3, 6000);
      await lab.waitFor('subnet B (the minority) knows no leader', () => B.every((id) => lab.latest(id)!.leader === null), 3000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const id of B) {
        const { leader, role, quorum } = lab.latest(id)!;
        assert.equal(leader, null, `n${id} has no leader`);
        assert.notEqual(role, 'leader');
        assert.ok(quorum.have < quorum.need, `n${id} reports no quorum (${quorum.have}/${quorum.need})`);
      }
      assert.equal(lab.agreed(A), 3);

      lab.healRouter();
      const healMs = await lab.waitFor('one leader again, the highest', () => lab.agreed() === 5, 12_000);
      measured.push(`after the router heals, all agree on n5 in ${healMs} ms`);
      assertNoOverlap(lab);
      assertDurableTermsAndVotes(lab);
    } finally {
      lab.destroy();
    }
  });

  it('no multicast at all: three nodes with --no-multicast and one seed elect the highest, and fail over', async () => {
    const lab = Lab.create(3);
    try {
      lab.startAll(['--no-multicast', '--seeds', `${lab.node(1).ip}:7707`]);
      const coldMs = await lab.waitFor('all three agree on n3', () => lab.agreed() === 3, 15_000);
      measured.push(`cold start without multicast, one seed: ${coldMs} ms`);
      const started = lab.node(3).current.find(isEvent('started'));
      assert.ok(started !== undefined && 'multicast' in started);
      assert.equal(started.multicast, false);
      await lab.signal(3, 'SIGKILL');
      const failoverMs = await lab.waitFor('n1 and n2 agree on n2', () => lab.agreed([1, 2]) === 2, 6000);
      measured.push(`kill -9 failover without multicast: ${failoverMs} ms`);
      assertNoOverlap(lab);
    } finally {
      lab.destroy();
    }
  });
});
