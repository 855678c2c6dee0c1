/**
 * Bully's challenge and answer, and the duplicate-ID alarm, one node at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silenceLimitMs } from '../../src/core/index.ts';
import { BOOT, hearPeers, heartbeat, msg, node, sent, voteRequest } from '../helpers/core.ts';

const AFTER_GRACE = BOOT + 1000; // past the boot grace (an answer timeout)

/**
 * Makes `peers` known as in hearPeers, first a timeout before AFTER_GRACE (so the cold start has
 * settled: nobody new joined for a timeout), then again at AFTER_GRACE, when the node decides.
 */
function meet(n: Parameters<typeof hearPeers>[0], peers: number[], term = 0): void {
  hearPeers(n, peers, AFTER_GRACE - 1000, term);
  hearPeers(n, peers, AFTER_GRACE, term);
}

describe('Bully challenge', () => {
  it('the highest eligible node campaigns at once, without challenging anyone', () => {
    const n = node(5);
    meet(n, [1, 2, 3]);
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
    meet(n, [1, 4, 5]);
    n.tick(AFTER_GRACE);
    const challenges = sent(n.ready(), 'election');
    assert.deepEqual(challenges.map((c) => c.to), [5, 4]);
    n.step(msg(5, 0, { type: 'answer', leader: null }, 3), AFTER_GRACE + 5);
    n.tick(AFTER_GRACE + 200); // the answer timeout passes
    assert.equal(sent(n.ready(), 'vote-request').length, 0, 'answered: it waits for the coordinator');
    assert.equal(n.role, 'follower');
  });

  it('a challenge goes to the three highest eligible nodes only; one that does not answer is skipped next', () => {
    const n = node(1);
    meet(n, [2, 3, 4, 5]); // every voter heard: no cold-start wait
    assert.deepEqual(sent(n.ready(), 'election').map((c) => c.to), [5, 4, 3]);
    hearPeers(n, [2, 3, 4, 5], AFTER_GRACE + 150);
    n.tick(AFTER_GRACE + 200); // nobody answered within the answer timeout
    assert.deepEqual(sent(n.ready(), 'election').map((c) => c.to), [2], 'the next one down');
  });

  it('an answer counts whatever its term (Bully is about IDs)', () => {
    const n = node(3, { persisted: { term: 4, votedFor: 3 }, nowMs: BOOT - 1000 });
    meet(n, [1, 4, 5], 4);
    n.ready();
    n.tick(AFTER_GRACE);
    n.ready();
    n.step(msg(5, 2, { type: 'answer', leader: null }, 3), AFTER_GRACE + 5); // 5 is two terms behind
    n.tick(AFTER_GRACE + 200);
    assert.equal(n.role, 'follower', 'answered: it waits for n5 instead of campaigning');
  });

  it('when no higher node answers in time, it campaigns and names them as skipped', () => {
    const n = node(3);
    meet(n, [1, 4, 5]);
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
    // Node 3 of five leads (4 cannot, 5 is not there), so that a vote request from 4 is judged by
    // every rule: without the alarm, 3 would grant it.
    const n = node(3);
    const peersSpeak = (nowMs: number, term: number) => {
      for (const p of [1, 2]) n.step(heartbeat(p, term, { hears: [1, 2, 3, 4] }), nowMs);
      n.step(heartbeat(4, term, { hears: [1, 2, 3], canLead: false }), nowMs);
    };
    peersSpeak(AFTER_GRACE - 1000, 0);
    peersSpeak(AFTER_GRACE - 50, 0);
    n.tick(AFTER_GRACE);
    const vote = (from: number, term: number, preVote: boolean) =>
      msg(from, term, { type: 'vote', preVote, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 3);
    for (const p of [1, 2]) n.step(vote(p, 0, true), AFTER_GRACE + 1);
    for (const p of [1, 2]) n.step(vote(p, 1, false), AFTER_GRACE + 2);
    for (const p of [1, 2]) n.step(msg(p, 1, { type: 'lease-ack', round: 1 }, 3), AFTER_GRACE + 3);
    n.ready();
    assert.equal(n.hasLease(AFTER_GRACE + 3), true, 'n3 leads term 1');

    n.step({ ...heartbeat(3, 1), bootId: 999 }, AFTER_GRACE + 10);
    const ready = n.ready();
    assert.ok(ready.events.some((e) => e.type === 'alarm' && e.raised));
    assert.ok(ready.events.some((e) => e.type === 'demoted' && e.reason === 'duplicate-id'));
    assert.equal(sent(ready, 'resign').length, 1);
    assert.equal(n.canLead(AFTER_GRACE + 10), false);

    // n4 campaigns after the resignation: neither its pre-vote nor its vote gets ours.
    n.step(voteRequest(4, 1, 2, { preVote: true, resignedTerm: 1 }), AFTER_GRACE + 20);
    n.step(voteRequest(4, 2, 2, { resignedTerm: 1 }), AFTER_GRACE + 30);
    const refused = n.ready();
    assert.deepEqual(sent(refused, 'vote').map(({ message: v }) => [v.preVote, v.granted, v.reason]), [[true, false, 'not-eligible'], [false, false, 'not-eligible']]);
    assert.notEqual(n.votedFor, 4);

    // The alarm lasts as long as a peer counts the other process alive: the silence limit, three
    // member beats here (a follower twin beats once a member beat).
    const alarmMs = silenceLimitMs(n.config.timeoutMs, n.config.memberBeatMs);
    assert.equal(alarmMs, 3000);
    for (const at of [500, 1500, 2500]) {
      peersSpeak(AFTER_GRACE + at, 2);
      n.tick(AFTER_GRACE + at);
      assert.equal(n.role, 'follower', 'no campaign while the alarm lasts');
      assert.equal(sent(n.ready(), 'vote-request').length, 0);
    }
    n.tick(AFTER_GRACE + 10 + alarmMs - 1);
    assert.ok(!n.ready().events.some((e) => e.type === 'alarm' && !e.raised), 'not cleared before the silence limit');
    n.tick(AFTER_GRACE + 10 + alarmMs);
    const later = n.ready();
    assert.ok(later.events.some((e) => e.type === 'alarm' && !e.raised), 'cleared the silence limit after the last one');

    // Quiet again: the same request now gets the vote it was refused.
    peersSpeak(AFTER_GRACE + alarmMs + 15, 2);
    n.step(voteRequest(4, 2, 2, { resignedTerm: 1 }), AFTER_GRACE + alarmMs + 20);
    const granted = n.ready();
    assert.deepEqual(sent(granted, 'vote').map(({ message: v }) => v.granted), [true]);
    assert.deepEqual(granted.persist, { term: 2, votedFor: 4, votedForBoot: 7004 });
  });

  it('our own multicast looped back is not a duplicate', () => {
    const n = node(5);
    n.step({ ...heartbeat(5, 0), bootId: n.bootId }, AFTER_GRACE);
    assert.equal(n.hasDuplicateAlarm(AFTER_GRACE), false);
  });
});
