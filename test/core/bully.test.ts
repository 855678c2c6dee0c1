/**
 * Bully's challenge and answer, and the duplicate-ID alarm, one node at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOT, hearPeers, heartbeat, msg, node, sent } from '../helpers/core.ts';

const AFTER_GRACE = BOOT + 1000; // boot grace is one timeout

describe('Bully challenge', () => {
  it('the highest eligible node campaigns at once, without challenging anyone', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3], AFTER_GRACE - 50);
    n.ready();
    n.tick(AFTER_GRACE);
    const ready = n.ready();
    assert.equal(sent(ready, 'election').length, 0);
    const request = sent(ready, 'vote-request')[0]!.message;
    assert.equal(request.preVote, true);
    assert.equal(request.voteTerm, 1);
    assert.equal(n.role, 'candidate');
  });

  it('a lower node challenges each higher eligible node, and waits when one answers', () => {
    const n = node(3);
    hearPeers(n, [1, 4, 5], AFTER_GRACE - 50);
    n.ready();
    n.tick(AFTER_GRACE);
    const challenges = sent(n.ready(), 'election');
    assert.deepEqual(challenges.map((c) => c.to), [5, 4]);
    n.step(msg(5, 0, { type: 'answer', leader: null }, 3), AFTER_GRACE + 5);
    n.tick(AFTER_GRACE + 200); // the answer timeout passes
    assert.equal(sent(n.ready(), 'vote-request').length, 0, 'answered: it waits for the coordinator');
    assert.equal(n.role, 'follower');
  });

  it('an answer counts whatever its term (Bully is about IDs)', () => {
    const n = node(3, { persisted: { term: 4, votedFor: 3 }, nowMs: BOOT - 1000 });
    hearPeers(n, [1, 4, 5], AFTER_GRACE - 50, 4);
    n.ready();
    n.tick(AFTER_GRACE);
    n.ready();
    n.step(msg(5, 2, { type: 'answer', leader: null }, 3), AFTER_GRACE + 5); // 5 is two terms behind
    n.tick(AFTER_GRACE + 200);
    assert.equal(n.role, 'follower', 'answered: it waits for n5 instead of campaigning');
  });

  it('when no higher node answers in time, it campaigns and names them as skipped', () => {
    const n = node(3);
    hearPeers(n, [1, 4, 5], AFTER_GRACE - 50);
    n.ready();
    n.tick(AFTER_GRACE);
    n.ready();
    n.tick(AFTER_GRACE + 199);
    assert.equal(n.role, 'follower', 'still within the answer timeout');
    n.tick(AFTER_GRACE + 200);
    const request = sent(n.ready(), 'vote-request')[0]!.message;
    assert.deepEqual(request.skip, [4, 5]);
    assert.equal(n.role, 'candidate');
  });

  it('a higher node answers a lower challenger only if it can lead', () => {
    const able = node(4);
    hearPeers(able, [1, 2, 3], AFTER_GRACE);
    able.ready();
    able.step(msg(2, 0, { type: 'election', cause: 'failover' }, 4), AFTER_GRACE + 1);
    assert.deepEqual(sent(able.ready(), 'answer').map((a) => a.to), [2]);

    const alone = node(4); // hears nobody: no quorum, cannot lead
    alone.step(msg(2, 0, { type: 'election', cause: 'failover' }, 4), AFTER_GRACE + 1);
    assert.equal(sent(alone.ready(), 'answer').length, 0);
  });
});

describe('duplicate ID', () => {
  it('another process with our ID raises the alarm; we neither lead nor vote until it is quiet', () => {
    const n = node(1, { size: 1 });
    n.tick(AFTER_GRACE);
    n.ready();
    assert.equal(n.hasLease(AFTER_GRACE), true, 'a cluster of one elects itself');

    n.step({ ...heartbeat(1, 1), bootId: 999 }, AFTER_GRACE + 10);
    const ready = n.ready();
    assert.ok(ready.events.some((e) => e.type === 'alarm' && e.raised));
    assert.ok(ready.events.some((e) => e.type === 'demoted' && e.reason === 'duplicate-id'));
    assert.equal(sent(ready, 'resign').length, 1);
    assert.equal(n.canLead(AFTER_GRACE + 10), false);

    n.tick(AFTER_GRACE + 500);
    assert.equal(n.role, 'follower', 'no campaign while the alarm lasts');
    n.tick(AFTER_GRACE + 1010 + 1000);
    const later = n.ready();
    assert.ok(later.events.some((e) => e.type === 'alarm' && !e.raised), 'cleared a timeout after the last one');
  });

  it('our own multicast looped back is not a duplicate', () => {
    const n = node(5);
    n.step({ ...heartbeat(5, 0), bootId: n.bootId }, AFTER_GRACE);
    assert.equal(n.hasDuplicateAlarm(AFTER_GRACE), false);
  });
});
