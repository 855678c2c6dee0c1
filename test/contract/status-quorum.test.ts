/** The quorum a line made from a status carries: a LAN node's own, a ZooKeeper node's session. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventStateOf } from '../../src/contract/status-quorum.ts';
import type { ZooKeeperStatus } from '../../src/contract/zookeeper-status.ts';
import { syntheticStatus, syntheticZooKeeperStatus } from '../ui/fixtures.ts';

const zookeeper: ZooKeeperStatus = {
  backend: 'zookeeper://127.0.0.1:2181/conclave?mode=bully',
  servers: ['127.0.0.1:2181'],
  path: '/conclave',
  mode: 'bully',
  session: { state: 'connected', id: '0100008b0aa80002', timeoutMs: 4000, requestedTimeoutMs: 4000, lastContactAgoMs: 120 },
  self: 'id-1-0000000001',
  znodes: [],
  claim: null,
  paused: false,
};

it('carries a LAN node\'s quorum as its status has it, voters included', () => {
  const lan = syntheticStatus({});
  assert.deepEqual(eventStateOf(lan), { id: lan.id, role: lan.role, term: lan.term, leader: lan.leader, quorum: lan.quorum });
});

it('counts a ZooKeeper node\'s session as its quorum: 1 of 1 while connected, 0 of 1 otherwise', () => {
  assert.deepEqual(eventStateOf(syntheticZooKeeperStatus(zookeeper)).quorum, { have: 1, need: 1 });
  for (const state of ['connecting', 'suspended', 'expired', 'closed'] as const) {
    assert.deepEqual(eventStateOf(syntheticZooKeeperStatus({ ...zookeeper, session: { ...zookeeper.session, state } })).quorum, { have: 0, need: 1 }, state);
  }
});
