/**
 * The ZooKeeper backend on a real three-server ensemble (on loopback): the election survives the
 * loss of any one server, the ensemble's own leader included; without a quorum of servers nobody
 * leads; with the quorum back, the highest ID leads again. No two leaders at any time, from the logs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { assertNoOverlap } from '../net/checks.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { ZkEnsemble, zooKeeperMissing } from './zk-server.ts';
import { isEvent } from '../helpers/event-kind.ts';

const CLI = join(new URL('../../', import.meta.url).pathname, 'bin/conclave.js');
const SESSION_MS = 1000;

describe('ZooKeeper backend on a three-server ensemble', { skip: skipUnlessCi(zooKeeperMissing()) }, () => {
  it('survives the loss of any one server, its leader too; without a quorum of servers nobody leads; with it back, one does', async () => {
    const ensemble = await ZkEnsemble.start(3, { tickMs: 200 });
    const lab = NetnsLab.create(3, 3, {
      mode: 'loopback',
      command: ({ nodeId }) => [
        process.execPath, CLI, 'run', '--id', String(nodeId), '--backend', ensemble.url('/conclave/ensemble', 'bully'),
        '--timeout-ms', String(SESSION_MS), '--cluster', 'lab', '--json',
      ],
    });
    const measured: string[] = [];
    try {
      lab.startAll();
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 20_000);

      // The ensemble's leader goes: its followers drop their clients while they elect a new one;
      // the sessions live on, move to the surviving servers, and n3 takes a new claim.
      const zkLeader = await ensemble.leader();
      assert.ok(zkLeader !== null, 'the ensemble has a leader');
      const lostLeaderAt = Date.now();
      await zkLeader.stop('SIGKILL');
      await lab.waitFor('n3 leads again', () => lab.node(3).events.some((e) => e.ts >= lostLeaderAt && e.event === 'elected') && lab.agreed() === 3, 30_000);
      measured.push(`the ensemble's leader killed: n3 leads again after ${Date.now() - lostLeaderAt} ms`);

      // A second server goes: one of three is no quorum, so it serves nobody and nobody leads.
      const second = ensemble.servers.find((server) => server.running)!;
      const lostQuorumAt = Date.now();
      await second.stop('SIGKILL');
      await lab.waitFor('nobody leads', () => lab.nodes.every((n) => lab.latest(n.id)!.role !== 'leader'), 3 * SESSION_MS);
      const demoted = lab.node(3).events.filter(isEvent('demoted')).find((e) => e.ts >= lostQuorumAt)!;
      measured.push(`quorum of servers lost: n3 stopped leading after ${demoted.ts - lostQuorumAt} ms (${demoted.reason})`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(lab.nodes.every((n) => !n.events.some((e) => e.ts > lostQuorumAt && e.event === 'elected')), 'nobody was elected without a quorum');

      const backAt = Date.now();
      await second.resume();
      await lab.waitFor('n3 leads again', () => lab.node(3).events.some((e) => e.ts >= backAt && e.event === 'elected') && lab.agreed() === 3, 30_000);
      measured.push(`quorum back: n3 leads again ${Date.now() - backAt} ms after the server was started`);
      assertNoOverlap(lab);
      console.log(`measured (session timeout ${SESSION_MS} ms, tick 200 ms):\n  ${measured.join('\n  ')}`);
    } finally {
      lab.destroy();
      ensemble.destroy();
    }
  });
});
