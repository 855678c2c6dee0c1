/**
 * Two processes with one node ID that cannot hear each other (unicast only: nobody sends to its
 * own ID): a peer whose wire drops one's datagrams as an impostor's names the ID in its
 * heartbeats (`twins`), and a process reading its own ID there raises its duplicate-ID alarm.
 * docs/protocol.md, "Restarts, duplicates, leaving".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanCore } from '../../src/core/lan-core.ts';
import { MAX_TWINS_TOLD, resolveConfig, type Message, type Ready } from '../../src/core/index.ts';
import { BOOT, hearPeers, heartbeat, node, sent, voteRequest } from '../helpers/core.ts';

const AFTER_GRACE = BOOT + 1000;
/** The silence limit of the default timers: three member beats of 1000 ms (config.ts, silenceLimitMs). */
const SILENCE_MS = 3000;

function meet(n: Parameters<typeof hearPeers>[0], peers: number[], term = 0): void {
  hearPeers(n, peers, AFTER_GRACE - 1000, term);
  hearPeers(n, peers, AFTER_GRACE, term);
}

function beats(ready: Ready): Array<Extract<Message, { type: 'heartbeat' }>> {
  return sent(ready, 'heartbeat').map(({ message }) => message);
}

describe('duplicate ID told by a peer (heartbeat `twins`)', () => {
  it('a heartbeat naming our ID raises the alarm: a candidate stands down, votes for nobody, and spends no vote', () => {
    const n = node(5);
    meet(n, [1, 2, 3]);
    n.tick(AFTER_GRACE);
    n.ready();
    assert.equal(n.role, 'candidate');

    // Another ID named: nothing happens.
    n.step(heartbeat(1, 0, { hears: [2, 3, 5], twins: [4], intervalMs: 1000 }), AFTER_GRACE + 5);
    assert.equal(n.hasDuplicateAlarm(AFTER_GRACE + 5), false);
    n.ready();

    const at = AFTER_GRACE + 10;
    n.step(heartbeat(1, 0, { hears: [2, 3, 5], twins: [2, 5], intervalMs: 1000 }), at);
    const ready = n.ready();
    assert.ok(ready.events.some((e) => e.type === 'alarm' && e.alarm === 'duplicate-id' && e.raised), 'the alarm is raised');
    assert.equal(n.role, 'follower', 'it stopped campaigning');
    assert.equal(n.canLead(at), false);
    assert.equal(ready.persist, null, 'the twin\'s term is not known: no vote is spent, no term adopted');
    assert.equal(n.term, 0);

    n.step(voteRequest(4, 0, 1), at + 10);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => v.granted), [false], 'it votes for nobody');

    // As long as the teller counts the other process alive (three of its 1000-ms beats): one lost notice does not lower it.
    assert.equal(n.hasDuplicateAlarm(at + SILENCE_MS - 1), true);
    assert.equal(n.hasDuplicateAlarm(at + SILENCE_MS), false);
  });

  it('a coordinator told of its twin resigns', () => {
    const n = node(3, { size: 3 });
    meet(n, [1, 2]);
    n.tick(AFTER_GRACE);
    // Grants for its pre-vote and its vote.
    for (let i = 0; i < 2 && n.role !== 'leader'; i++) {
      const request = sent(n.ready(), 'vote-request')[0]?.message;
      assert.ok(request !== undefined, 'it asked for votes');
      for (const voter of [1, 2]) {
        n.step({ type: 'vote', from: voter, bootId: 7000 + voter, term: request.preVote ? 0 : request.voteTerm, to: 3, preVote: request.preVote, voteTerm: request.voteTerm, granted: true, reason: null, retryAfterMs: 0, prefer: null }, AFTER_GRACE + 10 * (i + 1));
      }
    }
    assert.equal(n.role, 'leader');
    n.ready();
    n.step(heartbeat(1, n.term, { leader: 3, hears: [2, 3], twins: [3], intervalMs: 1000 }), AFTER_GRACE + 50);
    const resigns = sent(n.ready(), 'resign').map(({ message }) => message.reason);
    assert.deepEqual(resigns, ['duplicate-id']);
    assert.equal(n.hasLease(AFTER_GRACE + 50), false);
  });

  it('a node whose wire dropped an impostor names the ID at once, and again in each beat while both processes live', () => {
    const n = node(1, { size: 7 });
    meet(n, [2, 3, 4, 5, 6, 7]);
    let now = AFTER_GRACE + 2000;
    hearPeers(n, [2, 3, 4, 5, 6, 7], now);
    n.tick(now);
    n.ready();

    // News, as a changed `can_lead` is: one heartbeat within a heartbeat interval (100 ms), not a member beat (1000 ms).
    n.hearImpostor(3, now);
    const news = beats(n.ready());
    n.tick(now + 100);
    news.push(...beats(n.ready()));
    assert.deepEqual(news.map((b) => b.twins), [[3]], 'news: one heartbeat at once');
    n.hearImpostor(3, now + 300);
    n.tick(now + 400);
    assert.deepEqual(beats(n.ready()), [], 'not news again: no extra datagram');

    // Regular beats name it while both processes are heard: the one taken (its heartbeats) and the other (its drops).
    for (let i = 0; i < 4; i++) {
      now += 500;
      hearPeers(n, [2, 3, 4, 5, 6, 7], now);
      n.hearImpostor(3, now);
      n.tick(now);
      for (const beat of beats(n.ready())) assert.deepEqual(beat.twins, [3]);
    }
    const lastDrop = now;
    // The other process falls silent: named until the silence limit, then no more.
    while (now < lastDrop + SILENCE_MS + 1000) {
      now += 250;
      hearPeers(n, [2, 3, 4, 5, 6, 7], now);
      n.tick(now);
      for (const beat of beats(n.ready())) assert.deepEqual(beat.twins, now < lastDrop + SILENCE_MS ? [3] : undefined, `at +${now - lastDrop} ms`);
    }
    assert.deepEqual(n.twinsTold(now), []);

    // The one taken restarts (a new boot from its address): whether another still runs, its next datagram tells.
    n.hearImpostor(3, now);
    n.ready();
    n.step({ ...heartbeat(3, 0, { hears: [1] }), bootId: 9003 }, now + 10);
    assert.deepEqual(n.twinsTold(now + 10), []);

    // At most MAX_TWINS_TOLD IDs: the latest ones.
    for (const id of [2, 4, 5, 6, 7]) n.hearImpostor(id, now + 20 + id);
    assert.deepEqual(n.twinsTold(now + 40), [4, 5, 6, 7]);
    assert.equal(MAX_TWINS_TOLD, 4);
    // Never our own ID, nor a non-voter.
    n.hearImpostor(1, now + 50);
    n.hearImpostor(99, now + 50);
    assert.deepEqual(n.twinsTold(now + 50), [4, 5, 6, 7]);
  });

  it('the LAN core takes an impostor drop as an input', () => {
    const core = createLanCore({ id: 1, config: resolveConfig({ clusterSize: 3 }), bootId: 7001, nowMs: BOOT, persisted: null, random: () => 0.5 });
    for (const from of [2, 3]) core.step({ type: 'message', message: heartbeat(from, 0, { hears: [1] }) }, AFTER_GRACE);
    core.ready();
    core.advance();
    core.step({ type: 'impostor', from: 2 }, AFTER_GRACE + 500);
    const told: Array<number[] | undefined> = [];
    for (const at of [AFTER_GRACE + 500, AFTER_GRACE + 600]) {
      core.tick(at);
      told.push(...beats(core.ready() ?? { persist: null, messages: [], events: [] }).map((b) => b.twins));
      core.advance();
    }
    assert.ok(told.some((twins) => twins?.join() === '2'), `heartbeats named ${JSON.stringify(told)}`);
  });
});
