/**
 * The term gate's rules that protect a coordinator and keep terms usable: a coordinator does not
 * adopt a candidate's term, a promise does not bind the coordinator it was given to, a voter
 * gives the candidate it voted for time to announce, and terms are bounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Role, type Message, type NodeId } from '../../src/core/index.ts';
import type { ElectionNode } from '../../src/core/node.ts';
import { MAX_TERM, TERM_JUMP_LIMIT } from '../../src/core/terms.ts';
import { BOOT, heartbeat, hearPeers, idleUntil, leaderRound, msg, node, sent, voteRequest } from '../helpers/core.ts';

const T = BOOT + 5000; // well after boot grace

function vote(from: NodeId, term: number, voteTerm: number, preVote: boolean): Message {
  return msg(from, term, { type: 'vote', preVote, voteTerm, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5);
}

/** Node 5 of 5 wins term 1 with the votes of 3 and 4; `acked` says whether its first round was acknowledged. */
function elected(acked: boolean): ElectionNode {
  const n = node(5);
  hearPeers(n, [1, 2, 3, 4], T);
  n.tick(T + 1);
  n.step(vote(3, 0, 1, true), T + 2);
  n.step(vote(4, 0, 1, true), T + 2);
  n.step(vote(3, 1, 1, false), T + 3);
  n.step(vote(4, 1, 1, false), T + 3);
  assert.equal(n.role, Role.Leader);
  if (acked) {
    n.step(msg(3, 1, { type: 'lease-ack', round: 1 }, 5), T + 4);
    n.step(msg(4, 1, { type: 'lease-ack', round: 1 }, 5), T + 4);
    assert.ok(n.hasLease(T + 5));
  }
  n.ready();
  return n;
}

describe('term gate', () => {
  for (const acked of [false, true]) {
    it(`a coordinator ${acked ? 'in its lease' : 'awaiting its first acknowledgements'} refuses a higher-term vote request without adopting the term`, () => {
      const n = elected(acked);
      n.step(voteRequest(4, 2, 2, { skip: [5] }), T + 6);
      const ready = n.ready();
      const answer = sent(ready, 'vote')[0]!.message;
      assert.equal(answer.granted, false);
      assert.equal(answer.reason, 'lease-held');
      assert.ok(answer.retryAfterMs > 0);
      assert.equal(n.term, 1, 'the term stays');
      assert.equal(n.role, Role.Leader, 'the coordinator stays');
      assert.equal(ready.persist, null);
      assert.equal(ready.events.filter((e) => e.type === 'demoted').length, 0);
    });
  }

  it('a promise to a coordinator does not stop a vote for that same node, which dropped its lease to campaign', () => {
    const n = node(1);
    idleUntil(n, T);
    hearPeers(n, [2, 3, 4, 5], T);
    n.step(leaderRound(5, 3, 1), T + 10);
    n.ready();
    n.step(voteRequest(5, 4, 4), T + 20);
    const ready = n.ready();
    assert.equal(sent(ready, 'vote')[0]!.message.granted, true);
    assert.deepEqual(ready.persist, { term: 4, votedFor: 5, votedForBoot: 7005 });
    // Anyone else is still refused while the promise lasts.
    n.step(voteRequest(4, 5, 5), T + 30);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.reason, 'lease-held');
  });

  it('a voter that granted a real vote gives that candidate a timeout to announce before campaigning itself', () => {
    // Node 4 challenges 5, which does not answer in time: 4 skips it and campaigns at once.
    const n = node(4);
    hearPeers(n, [1, 2, 3, 5], T);
    n.tick(T + 1);
    n.tick(T + 201);
    assert.ok(n.skip.has(5));
    assert.equal(n.role, Role.Candidate);
    n.ready();
    n.step(voteRequest(5, 0, 1), T + 202);
    assert.equal(sent(n.ready(), 'vote')[0]!.message.granted, true);
    n.tick(T + 203);
    n.tick(T + 700);
    const ready = n.ready();
    assert.equal(sent(ready, 'vote-request').length, 0, 'no campaign against the candidate it voted for');
    assert.equal(n.role, Role.Follower);
    assert.ok(!n.skip.has(5), 'the candidate answered, so it is skipped no more');
  });
});

describe('term bound', () => {
  it('ignores a message that would jump the term above the limit, before it touches any state', () => {
    const n = node(1);
    n.step(heartbeat(2, MAX_TERM, { hears: [1] }), T);
    n.step(voteRequest(3, TERM_JUMP_LIMIT, TERM_JUMP_LIMIT + 1), T);
    const ready = n.ready();
    assert.equal(n.term, 0);
    assert.equal(ready.persist, null);
    assert.deepEqual(ready.messages.filter((m) => m.message.type !== 'heartbeat'), []);
    assert.equal(n.peers.get(2), undefined, 'the sender was not even recorded as alive');
    assert.equal(n.acceptsTerm(heartbeat(2, MAX_TERM)), false);
  });

  it('up to the limit, terms jump as before; above it, one election at a time, so a cluster always has terms left', () => {
    const n = node(1);
    n.step(leaderRound(5, TERM_JUMP_LIMIT, 1), T);
    assert.equal(n.term, TERM_JUMP_LIMIT);
    assert.equal(n.acceptsTerm(heartbeat(2, TERM_JUMP_LIMIT + 2)), false);
    n.step(voteRequest(3, TERM_JUMP_LIMIT + 1, TERM_JUMP_LIMIT + 1), T + 5000);
    assert.equal(n.term, TERM_JUMP_LIMIT + 1);
  });

  it('a node at the last term does not campaign (its next term could not be sent)', () => {
    const n = node(5, { persisted: { term: MAX_TERM, votedFor: null }, nowMs: BOOT });
    hearPeers(n, [1, 2, 3, 4], T, MAX_TERM);
    n.tick(T + 5000);
    assert.equal(n.canLead(T + 5000), false);
    assert.equal(sent(n.ready(), 'vote-request').length, 0);
  });
  it('a lease noticed to have run out late is reported as ended when it ran out, not when noticed', () => {
    const n = elected(true);
    const leaseEndMs = n.leaseEndMs()!;
    n.tick(leaseEndMs + 300); // the step-down timer fired 300 ms late (a loaded machine)
    const demoted = n.ready().events.find((event) => event.type === 'demoted');
    assert.deepEqual(demoted, { type: 'demoted', term: 1, reason: 'lease-expired', leaseEndedAtMs: leaseEndMs });
  });
});
