/**
 * The voter's rules, one node at a time: scripted messages in, votes and persisted state out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResignReason } from '../../src/core/index.ts';
import { BOOT, hearPeers, idleUntil, leaderRound, msg, node, sent, voteRequest } from '../helpers/core.ts';

const T = BOOT + 5000; // well after boot grace

/** n1, past its boot grace, that acknowledged round 1 of coordinator n5 (boot 7005) in term 1: it holds a promise. */
function promisedToN5(): ReturnType<typeof node> {
  const n = node(1);
  idleUntil(n, T);
  n.step(leaderRound(5, 1, 1), T);
  assert.equal(sent(n.ready(), 'lease-ack').length, 1, 'n1 promised n5');
  return n;
}

describe('voting', () => {
  it('grants one vote per term, and the Ready that carries it also carries the state to persist first', () => {
    const n = node(1);
    n.step(voteRequest(3, 1, 1), T);
    const first = n.ready();
    assert.deepEqual(first.persist, { term: 1, votedFor: 3, votedForBoot: 7003 }, 'the vote is bound to the process that asked');
    assert.equal(sent(first, 'vote')[0]!.message.granted, true);
    assert.equal(sent(first, 'vote')[0]!.to, 3);

    n.step(voteRequest(4, 1, 1), T + 1);
    const second = n.ready();
    const vote = sent(second, 'vote')[0]!.message;
    assert.equal(vote.granted, false);
    assert.equal(vote.reason, 'already-voted');
    assert.equal(second.persist, null, 'a rejection changes nothing durable');

    n.step(voteRequest(3, 1, 1), T + 2); // the same candidate asks again (a lost reply)
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });

  it('rejects a request for an older term and tells the candidate its term', () => {
    const n = node(1, { persisted: { term: 5, votedFor: null } });
    n.step(voteRequest(3, 2, 2), T);
    const vote = sent(n.ready(), 'vote')[0]!.message;
    assert.equal(vote.granted, false);
    assert.equal(vote.reason, 'stale-term');
    assert.equal(vote.term, 5);
  });

  it('refuses a request just one term older than its own, and records no vote (else two could win that term)', () => {
    // A voter of term 5 that granted a term-4 request would hand that candidate a vote it may
    // already have given another in term 4: two coordinators of term 4.
    const n = node(1, { persisted: { term: 5, votedFor: null } });
    n.step(voteRequest(2, 4, 4), T);
    const ready = n.ready();
    const vote = sent(ready, 'vote')[0]!.message;
    assert.equal(vote.granted, false);
    assert.equal(vote.reason, 'stale-term');
    assert.equal(ready.persist, null, 'no vote recorded');
  });

  it('a pre-vote changes no state, and is refused for a term not above the voter\'s', () => {
    const n = node(1, { persisted: { term: 3, votedFor: 2 } });
    n.step(voteRequest(2, 3, 4, { preVote: true }), T);
    const ready = n.ready();
    assert.equal(sent(ready, 'vote')[0]!.message.granted, true);
    assert.equal(ready.persist, null);
    assert.equal(n.term, 3);
    n.step(voteRequest(2, 2, 3, { preVote: true }), T + 1);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'stale-term');
  });

  it('refuses any vote while it holds a lease promise to a live coordinator, and says until when', () => {
    const n = node(1);
    idleUntil(n, T);
    n.step(leaderRound(5, 1, 1), T);
    const ack = sent(n.ready(), 'lease-ack')[0]!;
    assert.equal(ack.to, 5);
    assert.equal(ack.message.round, 1);

    n.step(voteRequest(4, 1, 2, { preVote: true }), T + 300);
    const preVote = sent(n.ready(), 'vote')[0]!.message;
    assert.equal(preVote.reason, 'lease-held');
    assert.equal(preVote.retryAfterMs, 700);

    // A real request from a higher term does not even move the term while the promise lasts.
    n.step(voteRequest(4, 2, 2), T + 400);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'lease-held');
    assert.equal(n.term, 1);

    n.step(voteRequest(4, 2, 2), T + 1000); // the promise ran out: one timeout after the round
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });

  it('releases the promise when the candidate saw that coordinator resign', () => {
    const n = promisedToN5();
    n.step(voteRequest(4, 1, 2, { preVote: true, resignedTerm: 1 }), T + 10);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
    n.step(leaderRound(5, 1, 2), T + 20); // a round sent before the resignation arrives late
    assert.equal(sent(n.ready(), 'lease-ack').length, 0, 'a resigned coordinator gets no new promise');
  });

  it("keeps the promise when the resignation cited is a twin's: another process with the coordinator's ID (seed 35014815)", () => {
    // n5 (boot 7005) leads term 1 and holds n1's promise; n5' (boot 9005), unheard by n5, led term 1 too and resigned it.
    const n = promisedToN5();
    n.step(voteRequest(4, 1, 2, { preVote: true, resignedTerm: 1, resignedBoot: 9005 }), T + 10);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'lease-held', "the twin's resignation does not release the promise to n5");
    n.step({ ...msg(5, 1, { type: 'resign', reason: ResignReason.Requested, successor: 4 }), bootId: 9005 }, T + 20);
    n.ready();
    n.step(voteRequest(4, 1, 2, { preVote: true }), T + 30);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'lease-held', "nor does the twin's own Resign");
    n.step(leaderRound(5, 1, 2), T + 40);
    assert.equal(sent(n.ready(), 'lease-ack').length, 1, 'n5 is still followed');
    n.step(voteRequest(4, 1, 2, { preVote: true, resignedTerm: 1, resignedBoot: 7005 }), T + 50);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true, "n5's own resignation releases it");
  });

  it('trusts a cited resignation without a boot, as a node before the boot was cited sends it', () => {
    const n = promisedToN5();
    n.step(voteRequest(4, 1, 2, { preVote: true, resignedTerm: 1, resignedBoot: 0 }), T + 10);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });

  it('Bully: defers to a live, eligible higher ID that hears it', () => {
    const n = node(1);
    hearPeers(n, [2, 3, 4, 5], T);
    n.ready();
    n.step(voteRequest(3, 0, 1, { preVote: true }), T + 1);
    const vote = sent(n.ready(), 'vote')[0]!.message;
    assert.equal(vote.reason, 'higher-node');
    assert.equal(vote.prefer, 5);

    // The candidate challenged 4 and 5 and heard no answer: they are skipped.
    n.step(voteRequest(3, 0, 1, { preVote: true, skip: [4, 5] }), T + 2);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });

  it('a voter above the candidate that could lead itself refuses', () => {
    const n = node(4);
    hearPeers(n, [1, 2, 3], T);
    n.ready();
    n.step(voteRequest(3, 0, 1, { preVote: true }), T + 1);
    const vote = sent(n.ready(), 'vote')[0]!.message;
    assert.equal(vote.reason, 'higher-node');
    assert.equal(vote.prefer, 4);
  });

  it('after a restart with a term, grants no vote for one timeout (a promise may have died with it)', () => {
    const n = node(1, { persisted: { term: 4, votedFor: 2 }, nowMs: T });
    n.step(voteRequest(3, 4, 5), T + 10);
    const vote = sent(n.ready(), 'vote')[0]!.message;
    assert.equal(vote.reason, 'quarantine');
    assert.equal(vote.retryAfterMs, 990);
    n.step(voteRequest(3, 5, 5), T + 1000);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });

  it('a message stamped earlier than the clock already reached is judged by the clock', () => {
    const n = node(1);
    idleUntil(n, T + 5000);
    n.tick(T + 5000);
    n.step(leaderRound(5, 1, 1), T); // a driver bug: time going backwards
    n.ready();
    n.step(voteRequest(4, 1, 2, { preVote: true }), T + 5500);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'lease-held', 'the promise runs from T + 5000');
  });

  it('a node that never had a term votes at once after boot', () => {
    const n = node(1);
    n.step(voteRequest(3, 1, 1), BOOT + 1);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
  });
});
