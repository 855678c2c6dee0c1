/**
 * A ZooKeeper node's status, against a real ZooKeeper server: what both backends have, and its
 * own (the session, the znodes, the refresh interval), none of the LAN's values made up.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { resolveZooKeeperOptions } from '../../src/session/zookeeper-options.ts';
import { ZooKeeperNode } from '../../src/zookeeper/zookeeper-node.ts';
import { leaseMs, refreshMs } from '../../src/zookeeper/election/lease.ts';
import { ZkServer, zooKeeperMissing } from './zk-server.ts';

/** What only the LAN core knows; a ZooKeeper node used to make these up. */
const LAN_ONLY = ['bootId', 'votedFor', 'quorum', 'campaign', 'peers', 'dataDir', 'drops', 'alone', 'traffic'];

describe('a ZooKeeper node\'s status', { skip: skipUnlessCi(zooKeeperMissing()) }, () => {
  let zk: ZkServer;
  before(async () => (zk = await ZkServer.start()));
  after(() => zk?.destroy());

  it('has what both backends have and its own timings, and none of the LAN-only fields', async () => {
    const options = resolveZooKeeperOptions({ id: 1, clusterSize: 1, backend: zk.url('/status', 'bully'), timeoutMs: 2000, dampingMs: 0 });
    const node = await ZooKeeperNode.start(options);
    try {
      const [elected] = (await once(node, 'elected')) as [{ term: number }];
      const status = JSON.parse(JSON.stringify(node.status())) as Record<string, unknown> & ReturnType<ZooKeeperNode['status']>;
      assert.equal(status.backend, 'zookeeper');
      assert.equal(status.role, 'leader');
      assert.equal(status.leader, 1);
      assert.equal(status.term, elected.term);
      assert.deepEqual(status.lastElection, { term: elected.term, leader: 1 });
      assert.deepEqual(status.alarms, { duplicateId: false });
      const sessionTimeoutMs = status.zookeeper.session.timeoutMs;
      assert.deepEqual(status.timings, {
        timeoutMs: sessionTimeoutMs,
        leaseMs: Math.floor(leaseMs(sessionTimeoutMs)),
        dampingMs: 0,
        preempt: options.preempt,
        refreshMs: refreshMs(sessionTimeoutMs),
      });
      for (const field of LAN_ONLY) assert.ok(!(field in status), `no ${field}`);
      assert.equal(status.network, null);
    } finally {
      await node.stop();
    }
  });
});
