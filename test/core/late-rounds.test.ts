/**
 * Late lease rounds (docs/protocol.md, "Late rounds"): a follower woken from a stall reads the
 * rounds queued meanwhile. Each keeps its promise, but names the coordinator only a timeout from
 * its sending, and one too late to name anyone revives nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/index.ts';
import type { ElectionNode } from '../../src/core/node.ts';
import { BOOT, hearPeers, leaderRound, node, sent } from '../helpers/core.ts';

const TIMEOUT = 1000;
/** The coordinator's clock reads this much more than the follower's. */
const OFFSET_MS = 50_000;

/** Round `round` of n3 in term 1, sent at `sentMs` by the follower's clock. */
function round(round: number, sentMs: number): Message {
  return { ...leaderRound(3, 1, round), sentAtMs: sentMs + OFFSET_MS };
}

/** A follower of n3 that has read rounds 1–10 on time (1 ms each); returns the last send time. */
function follower(): { n: ElectionNode; lastSentMs: number } {
  const n = node(1, { size: 3 });
  hearPeers(n, [2, 3], BOOT);
  let at = BOOT + 10;
  for (let r = 1; r <= 10; r++, at += 100) n.step(round(r, at), at + 1);
  n.ready();
  assert.equal(n.knownLeader(at), 3);
  return { n, lastSentMs: at - 100 };
}

describe('late lease rounds', () => {
  it('a round read 700 ms late is acknowledged and promised, but names its coordinator a timeout from its sending', () => {
    const { n, lastSentMs } = follower();
    const sentMs = lastSentMs + 100;
    const readMs = sentMs + 700; // queued behind our stall
    n.step(round(11, sentMs), readMs);
    assert.equal(sent(n.ready(), 'lease-ack').length, 1, 'acknowledged: the promise runs from the reading');
    assert.equal(n.knownLeader(sentMs + TIMEOUT - 5), 3);
    assert.equal(n.knownLeader(sentMs + TIMEOUT + 5), null, 'named a timeout from its sending, not from its reading');
    assert.ok(n.holdsPromise(readMs + TIMEOUT - 5), 'the promise is a timeout from the reading');
  });

  it('a round read more than a timeout late, after the promise ran out, revives nothing', () => {
    const { n, lastSentMs } = follower();
    const sentMs = lastSentMs + 100;
    const readMs = sentMs + 2200; // a 2.2-s stall: the promise from round 10 ran out meanwhile
    n.tick(readMs);
    n.step(round(11, sentMs), readMs + 1);
    const ready = n.ready();
    assert.equal(sent(ready, 'lease-ack').length, 0, 'no acknowledgement: no promise');
    assert.equal(n.knownLeader(readMs + 1), null);
    assert.ok(!n.holdsPromise(readMs + 1));
    // The coordinator still leads: its next round, read on time, is followed again.
    n.step(round(12, readMs + 50), readMs + 51);
    assert.equal(sent(n.ready(), 'lease-ack').length, 1);
    assert.equal(n.knownLeader(readMs + 51), 3);
  });

  it('a round more than a timeout late keeps a promise still held, naming no longer', () => {
    const { n, lastSentMs } = follower();
    // Round 11 is read on time; then a copy of round 8, delayed by the network, arrives 1.2 s
    // after its sending, while the promise from round 11 still holds.
    n.step(round(11, lastSentMs + 100), lastSentMs + 101);
    n.ready();
    const namedUntil = lastSentMs + 100 + TIMEOUT;
    n.step(round(8, lastSentMs - 200), lastSentMs + 1000);
    assert.equal(sent(n.ready(), 'lease-ack').length, 1, 'the promise held is kept, and acknowledged');
    assert.equal(n.knownLeader(namedUntil - 2), 3);
    assert.equal(n.knownLeader(namedUntil + 2), null);
    assert.ok(n.holdsPromise(lastSentMs + 1000 + TIMEOUT - 5));
  });

  it('rounds read in the burst after a stalled start, from a coordinator never read before, name nobody until the queue has drained', () => {
    // Started at BOOT, then starved: the first input comes 600 ms later, with ten rounds queued.
    const n = node(1, { size: 3 });
    const readMs = BOOT + 600;
    for (let r = 1; r <= 10; r++) n.step(round(r, BOOT + 50 * r - 450), readMs + r * 0.1);
    assert.equal(sent(n.ready(), 'lease-ack').length, 0, 'no promise from a burst that cannot be measured');
    assert.equal(n.knownLeader(readMs + 2), null, 'the freshest of the burst is not taken for fresh');
    // The driver wakes the node at its deadlines; once the queue has drained (the answer timeout
    // after the last late input), a round read on time names the coordinator a timeout on.
    for (let at = n.nextDeadlineMs(); at < readMs + 401; at = n.nextDeadlineMs()) n.tick(at);
    n.ready();
    n.step(round(11, readMs + 400), readMs + 401);
    assert.equal(sent(n.ready(), 'lease-ack').length, 1);
    assert.equal(n.knownLeader(readMs + 401 + TIMEOUT - 5), 3);
  });

  it('a round that would name its coordinator for less than two rounds names nobody', () => {
    const { n, lastSentMs } = follower();
    const sentMs = lastSentMs + 100;
    // Read 950 ms late, after the name from round 10 ran out: it would name n3 for 50 ms.
    n.tick(sentMs + 950);
    n.step(round(11, sentMs), sentMs + 950);
    assert.equal(sent(n.ready(), 'lease-ack').length, 0);
    assert.equal(n.knownLeader(sentMs + 950), null);
  });
});
