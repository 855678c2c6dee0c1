/** The desktop window's title: role and coordinator at a glance, and the states that matter. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { windowTitle, type TitleStatus } from '../../electron/window-title.ts';

const base: TitleStatus = { id: 3, role: 'follower', term: 7, leader: 5, quorum: { have: 5, need: 3 }, backend: 'lan', network: { paused: false } };

it('names the node, its role, the coordinator and the term', () => {
  assert.equal(windowTitle(base), 'Conclave n3 — follower · coordinator n5 · term 7');
  assert.equal(windowTitle({ ...base, role: 'leader', leader: 3 }), 'Conclave n3 — leader · coordinator: this node · term 7');
});

it('says when there is no coordinator, no quorum, or the node is paused', () => {
  assert.equal(windowTitle({ ...base, leader: null, quorum: { have: 2, need: 3 } }), 'Conclave n3 — follower · no coordinator · term 7 · NO QUORUM');
  assert.match(windowTitle({ ...base, network: { paused: true } }), / · PAUSED$/);
});

it('reads "paused" from the ZooKeeper backend when the node elects through it', () => {
  const { network, quorum, ...state } = base;
  const connected = { state: 'connected' };
  assert.match(windowTitle({ ...state, backend: 'zookeeper', zookeeper: { paused: true, session: connected } }), / · PAUSED$/);
  assert.doesNotMatch(windowTitle({ ...state, backend: 'zookeeper', zookeeper: { paused: false, session: connected } }), /PAUSED/);
});

it('says "no quorum" for a ZooKeeper node without its session, as it cannot lead then', () => {
  const { network, quorum, ...state } = base;
  assert.match(windowTitle({ ...state, backend: 'zookeeper', zookeeper: { paused: false, session: { state: 'suspended' } } }), / · NO QUORUM$/);
  assert.doesNotMatch(windowTitle({ ...state, backend: 'zookeeper', zookeeper: { paused: false, session: { state: 'connected' } } }), /QUORUM/);
});
