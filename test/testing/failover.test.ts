/**
 * The kit's failovers, each test body run against real nodes on loopback and against the
 * simulator: kill, isolate and heal, stall, resign, restart. The same assertions hold in both,
 * which is the promise a user's test of their own job relies on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODES, recordEvents } from './cluster-events.ts';

for (const mode of MODES) {
  describe(`test cluster: ${mode.name}`, () => {
    it('kill the leader: the others elect one with a higher term; restarted, the node keeps its term', async (t) => {
      const cluster = await mode.create(3);
      t.after(() => cluster.close());
      const said = recordEvents(cluster);
      const first = await cluster.settled();
      const firstTerm = cluster.node(first).term;
      await cluster.kill(first);
      assert.equal(cluster.node(first).up, false);
      assert.equal(cluster.node(first).term, firstTerm);
      assert.deepEqual(said.at(-1), { node: first, said: 'demoted', term: firstTerm, reason: 'stopping' });
      const second = await cluster.leader();
      assert.notEqual(second, first);
      assert.ok(cluster.node(second).term > firstTerm, `term ${cluster.node(second).term} after ${firstTerm}`);
      assert.ok(said.some((e) => e.node === second && e.said === 'elected' && e.term === cluster.node(second).term));
      await cluster.restart(first);
      assert.ok(cluster.node(first).term >= firstTerm, 'the term came back from the state directory');
      const third = await cluster.settled();
      assert.ok(cluster.node(third).term >= cluster.node(second).term);
    });

    it('isolate the leader: the majority elects another, the old one is demoted; heal: all agree again', async (t) => {
      const cluster = await mode.create(3);
      t.after(() => cluster.close());
      const said = recordEvents(cluster);
      const first = await cluster.settled();
      const firstTerm = cluster.node(first).term;
      await cluster.isolate(first);
      const second = await cluster.leader();
      assert.notEqual(second, first);
      assert.ok(cluster.node(second).term > firstTerm);
      // The old leader's lease ends before the majority's timeout: its demotion came first.
      const demoted = said.findIndex((e) => e.node === first && e.said === 'demoted');
      const elected = said.findIndex((e) => e.node === second && e.said === 'elected');
      assert.ok(demoted !== -1 && demoted < elected, JSON.stringify(said));
      assert.equal(cluster.node(first).hasLease(), false);
      await cluster.heal(first);
      const healed = await cluster.settled();
      assert.deepEqual(new Set(cluster.nodes.map((node) => node.status()?.leader)), new Set([healed]));
    });

    it('stall the leader past its lease: the others elect; on waking it is demoted, and it follows', async (t) => {
      const cluster = await mode.create(3);
      t.after(() => cluster.close());
      const said = recordEvents(cluster);
      const first = await cluster.settled();
      await cluster.stall(first, 2000);
      // While it stalls it names no leader, so leader() would wait for its waking: look at the others.
      await cluster.runFor(1200);
      const during = cluster.nodes.filter((node) => node.hasLease()).map((node) => node.id);
      assert.equal(during.length, 1);
      assert.notEqual(during[0], first);
      assert.ok(said.some((e) => e.node === during[0] && e.said === 'elected'));
      await cluster.runFor(1000);
      assert.ok(said.some((e) => e.node === first && e.said === 'demoted'), JSON.stringify(said));
      await cluster.settled();
    });

    it('resign: the leader gives up its lease at once, saying so', async (t) => {
      const cluster = await mode.create(3);
      t.after(() => cluster.close());
      const said = recordEvents(cluster);
      const first = await cluster.settled();
      await cluster.resign(first);
      assert.equal(cluster.node(first).hasLease(), false);
      assert.deepEqual(said.at(-1), { node: first, said: 'demoted', term: cluster.node(first).term, reason: 'requested' });
      await cluster.settled();
    });
  });
}
