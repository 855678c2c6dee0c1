/**
 * The two rates (docs/protocol.md, "Rates"): a coordinator's lease rounds and any unbound node's
 * beat at the fast rate; a follower bound to a live coordinator at the slow one. And the rules
 * that make a start or a handover quick: a newcomer answered with a round, a settling cold start,
 * a named successor without a pre-vote.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOT, hearPeers, heartbeat, leaderRound, msg, node, sent } from '../helpers/core.ts';

const HEARTBEAT = 100;
const MEMBER_BEAT = 1000;
const TIMEOUT = 1000;
const AFTER_GRACE = BOOT + 1000;

describe('rates', () => {
  it('a follower beats slowly, bound to a coordinator or not: when the promise ends it keeps the slow rate', () => {
    const n = node(2);
    n.tick(BOOT);
    assert.deepEqual(sent(n.ready(), 'heartbeat').map((h) => h.message.intervalMs), [MEMBER_BEAT], 'a cold start: membership only, slow');
    n.step(leaderRound(5, 1, 1), BOOT + 10);
    n.tick(BOOT + 109);
    assert.equal(sent(n.ready(), 'heartbeat').length, 0);
    n.tick(BOOT + 110);
    const beats = sent(n.ready(), 'heartbeat');
    assert.deepEqual(beats.map((h) => h.message.intervalMs), [MEMBER_BEAT], 'a newcomer (n5) is greeted within a heartbeat interval');
    // Rounds keep the promise. After the greeting (early), the next beat comes within [½, 1) of a
    // member beat, which unsynchronizes nodes greeted together; then one every member beat.
    const beatsAtMs: number[] = [];
    let t = BOOT + 120;
    for (; t < BOOT + 3200; t += HEARTBEAT / 10) {
      if ((t - BOOT) % HEARTBEAT === 20) n.step(leaderRound(5, 1, 2), t);
      else n.tick(t);
      for (const h of sent(n.ready(), 'heartbeat')) {
        assert.equal(h.message.intervalMs, MEMBER_BEAT);
        beatsAtMs.push(t);
      }
    }
    assert.equal(beatsAtMs.length, 3, `beats at ${beatsAtMs.map((at) => at - BOOT)}`);
    assert.ok(beatsAtMs[0]! - (BOOT + 110) >= MEMBER_BEAT / 2 && beatsAtMs[0]! - (BOOT + 110) <= MEMBER_BEAT + 10);
    assert.ok(Math.abs(beatsAtMs[1]! - beatsAtMs[0]! - MEMBER_BEAT) <= 10 && Math.abs(beatsAtMs[2]! - beatsAtMs[1]! - MEMBER_BEAT) <= 10);
    // The coordinator falls silent: the promise ends, and the next beat is still a member beat
    // after the last (docs/protocol.md, "Rates": only a coordinator beats fast).
    const lastRoundMs = BOOT + 3120;
    const after: Array<{ atMs: number; intervalMs: number; hearsN5: boolean }> = [];
    for (; t <= lastRoundMs + TIMEOUT; t += HEARTBEAT / 10) {
      n.tick(t);
      for (const h of sent(n.ready(), 'heartbeat')) after.push({ atMs: t - BOOT, intervalMs: h.message.intervalMs, hearsN5: h.message.hears.includes(5) });
    }
    assert.equal(n.knownLeader(lastRoundMs + TIMEOUT), null);
    // The regular beat, then one at once because n5 is dead to it (news); both at the slow rate.
    assert.deepEqual(after, [
      { atMs: beatsAtMs[2]! - BOOT + MEMBER_BEAT, intervalMs: MEMBER_BEAT, hearsN5: true },
      { atMs: lastRoundMs - BOOT + TIMEOUT, intervalMs: MEMBER_BEAT, hearsN5: false },
    ]);
  });

  it('a candidate beats at the slow rate; the announcement of a coordinator tells its peers it beats fast from then on', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3, 4], BOOT + 50);
    n.tick(AFTER_GRACE);
    assert.equal(n.role, 'candidate');
    const beats = sent(n.ready(), 'heartbeat');
    assert.ok(beats.every((h) => h.message.intervalMs === MEMBER_BEAT), 'no fast beat for campaigning');
    n.tick(AFTER_GRACE + 5 * HEARTBEAT);
    assert.equal(sent(n.ready(), 'heartbeat').length, 0, 'a candidate beats once per member beat');
    // A peer that hears a coordinator's announcement times it out by the fast rate at once.
    const peer = node(1);
    peer.step(heartbeat(5, 0, { intervalMs: MEMBER_BEAT, hears: [1] }), BOOT);
    peer.step(leaderRound(5, 1, 1), BOOT + 10);
    assert.deepEqual(peer.peers.aliveIds(BOOT + 10 + TIMEOUT + 1), [], 'dead a timeout after the announcement, not three member beats');
  });

  it('a coordinator beats at the fast rate: every beat is a lease round', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3, 4], BOOT + 50);
    n.tick(AFTER_GRACE);
    const votes = (term: number, preVote: boolean) =>
      [1, 2].map((p) => msg(p, term, { type: 'vote', preVote, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5));
    for (const v of votes(0, true)) n.step(v, AFTER_GRACE + 1);
    for (const v of votes(1, false)) n.step(v, AFTER_GRACE + 2);
    assert.equal(n.role, 'leader');
    n.ready();
    n.tick(AFTER_GRACE + 2 + HEARTBEAT);
    const [round] = sent(n.ready(), 'heartbeat');
    assert.equal(round!.message.intervalMs, HEARTBEAT);
    assert.ok(round!.message.round > 1);
  });

  it('a slow-beating peer stays alive for three of its beats; a fast one for the timeout', () => {
    const n = node(1);
    n.step(heartbeat(2, 1, { intervalMs: MEMBER_BEAT, hears: [1] }), BOOT);
    n.step(heartbeat(3, 1, { intervalMs: HEARTBEAT, hears: [1] }), BOOT);
    assert.deepEqual(n.peers.aliveIds(BOOT + TIMEOUT + 1), [2], 'the fast one is dead after the timeout');
    assert.deepEqual(n.peers.aliveIds(BOOT + 3 * MEMBER_BEAT - 1), [2]);
    assert.deepEqual(n.peers.aliveIds(BOOT + 3 * MEMBER_BEAT), []);
    const status = n.status(BOOT + 10).peers.find((p) => p.id === 2)!;
    assert.equal(status.beatIntervalMs, MEMBER_BEAT);
    assert.equal(status.timeoutMs, 3 * MEMBER_BEAT);
  });

  it('a coordinator answers a newcomer at once with a lease round, not at its next beat', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3], BOOT + 50);
    hearPeers(n, [1, 2, 3], AFTER_GRACE + 50); // no newcomer for a timeout: n4 may be down
    n.tick(AFTER_GRACE + 60);
    for (const p of [1, 2]) n.step(msg(p, 0, { type: 'vote', preVote: true, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5), AFTER_GRACE + 61);
    for (const p of [1, 2]) n.step(msg(p, 1, { type: 'vote', preVote: false, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5), AFTER_GRACE + 62);
    assert.equal(n.role, 'leader');
    n.ready();
    n.step(heartbeat(4, 0), AFTER_GRACE + 90); // a node we never heard
    const rounds = sent(n.ready(), 'heartbeat');
    assert.equal(rounds.length, 1, 'one extra round, 30 ms into a 100 ms interval');
    assert.ok(rounds[0]!.message.round > 0);
    n.step(heartbeat(4, 1), AFTER_GRACE + 100); // the same node again: no more
    assert.equal(sent(n.ready(), 'heartbeat').length, 0);
  });

  it('a cold start waits while peers are still joining, then the highest campaigns', () => {
    const n = node(4);
    hearPeers(n, [1, 2], BOOT + 300); // a quorum with n4
    n.tick(BOOT + 1200);
    assert.equal(n.role, 'follower', 'peers joined 900 ms ago: n5 may be starting too');
    hearPeers(n, [1, 2, 3], BOOT + 1250); // n3 joins late
    hearPeers(n, [1, 2, 3], BOOT + 2000); // the same peers again: no newcomer
    n.tick(BOOT + 2249);
    assert.equal(n.role, 'follower');
    n.tick(BOOT + 2250); // a timeout after the last newcomer
    assert.equal(n.role, 'candidate');
  });

  it('the highest voter does not wait for lower ones to join', () => {
    const n = node(5);
    hearPeers(n, [1, 2], AFTER_GRACE - 10); // a quorum with n5; n3 and n4 not heard yet
    n.tick(AFTER_GRACE);
    assert.equal(n.role, 'candidate');
  });

  it('no waiting when every voter is heard', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3, 4], AFTER_GRACE - 10);
    n.tick(AFTER_GRACE);
    assert.equal(n.role, 'candidate');
  });

  it('a successor named on resignation asks for real votes at once, without a pre-vote', () => {
    const n = node(4);
    hearPeers(n, [1, 2, 3, 5], BOOT + 50);
    n.step(leaderRound(5, 3, 1, [1, 2, 3, 4]), BOOT + 60);
    n.ready();
    n.step(msg(5, 3, { type: 'resign', reason: 'preempted', successor: 4 }), BOOT + 500);
    const ready = n.ready();
    const requests = sent(ready, 'vote-request');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.message.preVote, false);
    assert.equal(requests[0]!.message.voteTerm, 4);
    assert.equal(requests[0]!.message.resignedTerm, 3, 'voters still bound to n5 are released by it');
    assert.deepEqual(ready.persist, { term: 4, votedFor: 4, votedForBoot: 7004 }, 'its own vote is persisted before the request leaves');
  });

  it('a coordinator that stops names the highest peer that could lead and answered just now', () => {
    const n = node(5);
    hearPeers(n, [1, 2, 3, 4], BOOT + 50);
    n.tick(AFTER_GRACE);
    const vote = (p: number, term: number, preVote: boolean) => msg(p, term, { type: 'vote', preVote, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5);
    for (const p of [1, 2]) n.step(vote(p, 0, true), AFTER_GRACE + 1);
    for (const p of [1, 2]) n.step(vote(p, 1, false), AFTER_GRACE + 2);
    hearPeers(n, [1, 2, 3, 4], AFTER_GRACE + 50, 1);
    // n4 stops answering; n3 acknowledges the latest round.
    n.step(msg(4, 1, { type: 'lease-ack', round: 1 }, 5), AFTER_GRACE + 60);
    n.step(msg(3, 1, { type: 'lease-ack', round: 1 }, 5), AFTER_GRACE + 300);
    n.ready();
    n.leave(AFTER_GRACE + 310);
    const [resign] = sent(n.ready(), 'resign');
    assert.equal(resign!.message.successor, 3, 'n4 was heard 250 ms ago: not fresh enough to be handed the lead');
  });

  it('after a failover no follower beats fast: the highest left campaigns at once, the others defer', () => {
    const afterLoss = (id: number): { intervalMs: number[]; campaigns: boolean } => {
      const n = node(id);
      hearPeers(n, [1, 2, 3, 4, 5].filter((p) => p !== id), BOOT + 50);
      n.step(leaderRound(5, 1, 1), BOOT + 60);
      hearPeers(n, [1, 2, 3, 4].filter((p) => p !== id), BOOT + 900, 1);
      n.ready();
      n.tick(BOOT + 60 + TIMEOUT); // n5 fell silent: the promise ends
      const ready = n.ready();
      return {
        intervalMs: sent(ready, 'heartbeat').map((h) => h.message.intervalMs),
        campaigns: ready.events.some((e) => e.type === 'election-started'),
      };
    };
    assert.deepEqual(afterLoss(4), { intervalMs: [], campaigns: true }, 'n4 is the highest left: it campaigns, at the slow rate');
    assert.deepEqual(afterLoss(2), { intervalMs: [], campaigns: false }, 'n2 defers to n4 and n3');
  });

  it('a stall of our own is not counted against our peers', () => {
    const n = node(1);
    n.step(heartbeat(2, 0, { intervalMs: HEARTBEAT }), BOOT);
    n.tick(BOOT + 100); // on time
    n.ready();
    // The next timer was due within a second; it comes 3 s late: the process was frozen.
    n.tick(BOOT + 4000);
    const events = n.ready().events;
    assert.ok(!events.some((e) => e.type === 'peer' && e.change === 'dead'), 'n2 was not silent; we were not listening');
    assert.deepEqual(n.peers.aliveIds(BOOT + 4000), [2]);
    // Its datagrams queued meanwhile come next; if none does, it is dead a timeout later (and an
    // answer timeout, for what was still queued behind the late timer).
    n.tick(BOOT + 4000 + 1199);
    assert.deepEqual(n.peers.aliveIds(BOOT + 5199), []);
  });

  it('a regular beat run late (a busy CPU) draws its next interval from [¾, 1) of it; one on time keeps the interval', () => {
    // Timers that waited behind a busy CPU run together when it frees; nodes that then beat every
    // interval from there beat in step for as long as they run (seed 5 of 100 nodes: 80 of 100
    // beats within the same 35 ms of every 100, and the shared backlog overflowed every round).
    const n = node(2);
    const beatsAtMs: number[] = [];
    const tick = (atMs: number): void => {
      n.tick(atMs);
      for (const h of sent(n.ready(), 'heartbeat')) {
        assert.equal(h.message.intervalMs, MEMBER_BEAT, 'the interval announced is the member beat, whatever the draw');
        beatsAtMs.push(atMs - BOOT);
      }
    };
    tick(BOOT);
    for (let t = BOOT + 1; t <= BOOT + 2500; t += 1) tick(t);
    // The beat due at 2920 runs at 3300, 380 ms late; from then on every timer is on time.
    tick(BOOT + 3300);
    for (let t = BOOT + 3301; t <= BOOT + 6000; t += 1) tick(t);
    // The first beat's spread comes from the boot ID (7002: 0.919 of a member beat); the draw of
    // this node is 0.5, so the late beat's next comes at 0.875 of a member beat.
    assert.deepEqual(beatsAtMs, [0, 919, 1919, 3300, 4175, 5175]);
  });
});
