/** The page's view of the two backends: where a node is, whether it is paused, its ZooKeeper session. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_LABELS, isPaused, selfAddress, sessionLabel, watchInWords } from '../../src/ui/lib/backend.ts';
import type { ZooKeeperStatus } from '../../src/contract/zookeeper-status.ts';
import { syntheticStatus, syntheticZooKeeperStatus } from './fixtures.ts';

const zookeeper: ZooKeeperStatus = {
  backend: 'zookeeper://zk1:2181,zk2:2181/conclave/lab?mode=bully',
  servers: ['zk1:2181', 'zk2:2181'],
  path: '/conclave/lab',
  mode: 'bully',
  session: { state: 'connected', id: '0100008b0aa80002', timeoutMs: 4000, requestedTimeoutMs: 1000, lastContactAgoMs: 120 },
  self: 'id-2-0000000001',
  znodes: [],
  claim: null,
  paused: true,
};

describe('backend view', () => {
  it('says where a node is: its address on the LAN, or the ensemble it elects through', () => {
    const lan = syntheticStatus({});
    assert.equal(selfAddress(lan), lan.network.address);
    assert.equal(selfAddress(syntheticZooKeeperStatus(zookeeper)), 'via ZooKeeper zk1:2181,zk2:2181');
  });

  it('reads "paused" from either backend', () => {
    const lan = syntheticStatus({ paused: true });
    assert.equal(isPaused(lan), true);
    assert.equal(isPaused(syntheticZooKeeperStatus(zookeeper)), true);
    assert.equal(isPaused(syntheticZooKeeperStatus({ ...zookeeper, paused: false })), false);
  });

  it('labels every session state with a word, a distinct symbol and a hint, and survives an unknown one', () => {
    const symbols = Object.values(SESSION_LABELS).map((l) => l.symbol);
    assert.equal(new Set(symbols).size, symbols.length);
    for (const label of Object.values(SESSION_LABELS)) assert.ok(label.hint.length > 0 && label.text.length > 0);
    assert.equal(sessionLabel('reconnecting').text, 'reconnecting');
  });

  it('puts each watch in words', () => {
    assert.equal(watchInWords('id-3-0000000004', 'bully'), 'id-3-0000000004');
    assert.match(watchInWords('(children)', 'bully'), /list of candidates/);
    assert.match(watchInWords(null, 'fair'), /first in line/);
  });
});
