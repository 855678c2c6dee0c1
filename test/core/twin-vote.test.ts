/**
 * Two processes with one node ID (a duplicate `--id`, or a node started again from an empty
 * disk): a voter's vote of a term goes to one of them, and a process that hears the other takes
 * that one's term as spent. docs/protocol.md, "Restarts, duplicates, leaving".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOOT, hearPeers, heartbeat, idleUntil, msg, node, sent, voteRequest } from '../helpers/core.ts';

const T = BOOT + 5000; // well after boot grace

describe('two processes with one ID', () => {
  it('a voter repeats its vote of a term only to the process it granted it to', () => {
    const n = node(1);
    n.step(voteRequest(3, 1, 1), T);
    assert.deepEqual(n.ready().persist, { term: 1, votedFor: 3, votedForBoot: 7003 });

    // A second process with ID 3 (another boot ID) asks for the same term: it is not the one we voted for.
    n.step({ ...voteRequest(3, 1, 1), bootId: 9003 }, T + 10);
    const other = n.ready();
    assert.deepEqual(sent(other, 'vote').map(({ message: v }) => [v.granted, v.reason]), [[false, 'already-voted']]);
    assert.equal(other.persist, null, 'the vote stays with the first process');

    // The first one's resent request gets the same answer as before.
    n.step(voteRequest(3, 1, 1), T + 20);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => v.granted), [true]);
  });

  it('a vote read from a state file that names no boot is never repeated', () => {
    const n = node(1, { persisted: { term: 4, votedFor: 3 } });
    idleUntil(n, T);
    n.step(voteRequest(3, 4, 4), T);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => [v.granted, v.reason]), [[false, 'already-voted']]);
  });

  it('hearing another process with our ID speak in a higher term spends our votes up to it, on the disk, before anything leaves, without adopting it', () => {
    const n = node(3);
    idleUntil(n, T);
    n.step({ ...heartbeat(3, 5), bootId: 9003 }, T);
    const ready = n.ready();
    assert.ok(ready.events.some((e) => e.type === 'alarm' && e.raised));
    assert.deepEqual(ready.persist, { term: 0, votedFor: null, votedForBoot: 0, spentThroughTerm: 5 });
    assert.equal(n.term, 0, "the term is our ID's, not the cluster's: not adopted (a coordinator would be deposed)");

    // It grants nobody a vote of terms 1 to 5, not even once the alarm has cleared; term 6 it may.
    n.tick(T + 4000);
    n.ready();
    n.step(voteRequest(2, 4, 4), T + 4001);
    n.step(voteRequest(2, 5, 5), T + 4002);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => [v.voteTerm, v.granted, v.reason]), [[4, false, 'already-voted'], [5, false, 'already-voted']]);
    n.step(voteRequest(2, 6, 6), T + 4003);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => [v.voteTerm, v.granted]), [[6, true]]);
  });

  it('after hearing its twin lead term 1, a node campaigns for term 2, never 1, even after a restart from its disk', () => {
    // Node 3 of three, at term 0, hears another process with its ID lead term 1 (seed 29009458).
    const n = node(3, { size: 3 });
    idleUntil(n, T);
    n.step({ ...heartbeat(3, 1, { role: 'leader', leader: 3, round: 4 }), bootId: 9003 }, T);
    const disk = n.ready().persist;
    assert.deepEqual(disk, { term: 0, votedFor: null, votedForBoot: 0, spentThroughTerm: 1 });

    // The twin stops; this node restarts from its disk and, after its quarantine, campaigns.
    const restarted = node(3, { size: 3, persisted: disk, nowMs: T + 100 });
    let now = T + 100;
    const terms: number[] = [];
    for (let i = 0; i < 60 && terms.length === 0; i++) {
      now += 100;
      hearPeers(restarted, [1, 2], now, 1);
      restarted.tick(now);
      terms.push(...sent(restarted.ready(), 'vote-request').map(({ message: r }) => r.voteTerm));
    }
    assert.ok(terms.length > 0, 'it campaigned');
    assert.ok(terms.every((t) => t >= 2), `asked for terms ${terms.join(', ')}`);
  });

  it('a datagram of its twin addressed to a peer (multicast, as to a peer of unknown address) raises the alarm and spends the term too', () => {
    const n = node(3);
    idleUntil(n, T);
    const toPeer = msg(3, 2, { type: 'vote', preVote: true, voteTerm: 2, granted: false, reason: 'stale-term', retryAfterMs: 0, prefer: null }, 1);
    n.step({ ...toPeer, bootId: 9003 }, T);
    const ready = n.ready();
    assert.ok(ready.events.some((e) => e.type === 'alarm' && e.raised), 'the alarm is raised');
    assert.deepEqual(ready.persist, { term: 0, votedFor: null, votedForBoot: 0, spentThroughTerm: 2 });
  });

  it('hearing its twin in its own term spends the vote it cast there: no repeat', () => {
    const n = node(1);
    n.step(voteRequest(3, 2, 2), T);
    assert.deepEqual(n.ready().persist, { term: 2, votedFor: 3, votedForBoot: 7003 });
    n.step({ ...heartbeat(1, 2), bootId: 9001 }, T + 10);
    assert.deepEqual(n.ready().persist, { term: 2, votedFor: 3, votedForBoot: 0 }, 'the vote stays, bound to nobody');
    n.tick(T + 4000); // the alarm clears (the silence limit, 3 s)
    n.ready();
    n.step(voteRequest(3, 2, 2), T + 4001);
    assert.deepEqual(sent(n.ready(), 'vote').map(({ message: v }) => v.granted), [false]);
  });
});
