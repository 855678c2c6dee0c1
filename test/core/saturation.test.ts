/**
 * Under load (docs/protocol.md, "Under load"): a node whose own datagrams lately took longer than
 * a heartbeat to come back sends no early beat, neither a greeting nor news; it beats at its member
 * rate, the load the machine is sized for. On a calm machine both come within a heartbeat.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeId, Outgoing } from '../../src/core/index.ts';
import type { ElectionNode } from '../../src/core/node.ts';
import { BOOT, hearPeers, heartbeat, leaderRound, msg, node, sent } from '../helpers/core.ts';

const HEARTBEAT = 100;
const MEMBER_BEAT = 1000;

/** n3 beats at boot; its own beat comes back after `loopbackMs` (its receive queue). */
function booted(loopbackMs: number): ElectionNode {
  const n = node(3, { size: 5 });
  n.tick(BOOT);
  const [own] = sent(n.ready(), 'heartbeat');
  assert.ok(own !== undefined, 'a beat at boot');
  n.step(own.message, BOOT + loopbackMs);
  n.ready();
  return n;
}

/** Beats `n` sends from `fromMs` up to `untilMs`, ticking every millisecond. */
function beatsBetween(n: ElectionNode, fromMs: number, untilMs: number): number[] {
  const at: number[] = [];
  for (let t = fromMs; t <= untilMs; t++) {
    n.tick(t);
    if (sent(n.ready(), 'heartbeat').length > 0) at.push(t);
  }
  return at;
}

/** `peer` is heard for the first time; returns whether `n` beat at once. */
function join(n: ElectionNode, peer: NodeId, atMs: number): boolean {
  n.step(heartbeat(peer, 0, { intervalMs: MEMBER_BEAT }), atMs);
  return sent(n.ready(), 'heartbeat').length > 0;
}

describe('saturation', () => {
  it('a calm node greets a newcomer within a heartbeat', () => {
    const n = booted(2);
    join(n, 1, BOOT + 10);
    assert.deepEqual(beatsBetween(n, BOOT + 11, BOOT + 10 + HEARTBEAT), [BOOT + 10 + HEARTBEAT]);
  });

  it('a greeting goes beyond the group only to the peers it greets (Outgoing.greets); news goes to everyone', () => {
    /** The first heartbeat `n` sends after `fromMs`, ticking every millisecond. */
    const nextBeat = (n: ElectionNode, fromMs: number): Outgoing | undefined => {
      for (let t = fromMs; t <= fromMs + MEMBER_BEAT; t++) {
        n.tick(t);
        const [beat] = sent(n.ready(), 'heartbeat');
        if (beat !== undefined) return beat;
      }
      return undefined;
    };
    const greeting = booted(2);
    join(greeting, 1, BOOT + 10);
    const greets = nextBeat(greeting, BOOT + 11);
    assert.deepEqual(greets?.greets, [1], 'n1 alone is greeted: unicast-only, the others get no copy of this beat');
    assert.equal(greets?.to, 'all', 'the group still gets it');
    assert.equal(nextBeat(greeting, BOOT + 11 + HEARTBEAT)?.greets, undefined, 'the regular beat after it goes to everyone');
    // n2 makes a quorum of five with n1 and n3: n3 can lead now, news for every peer.
    const news = booted(2);
    join(news, 1, BOOT + 10);
    join(news, 2, BOOT + 20);
    const told = nextBeat(news, BOOT + 21);
    assert.equal(told?.message.type === 'heartbeat' && told.message.canLead, true);
    assert.equal(told?.greets, undefined, 'news goes to everyone');
  });

  it('a candidate whose own request never comes back (refused by a full backlog) resends after twice a reply\'s wait, not at the end of its phase (seed 41 of 100 nodes)', () => {
    const n = node(5, { size: 5 });
    n.tick(BOOT);
    const [own] = sent(n.ready(), 'heartbeat');
    n.step(own!.message, BOOT + 2); // it reads its own loopback: replies queue behind its requests
    n.ready();
    hearPeers(n, [1, 2, 3, 4], BOOT + 3);
    const requestsAtMs: number[] = [];
    for (let t = BOOT + 4; t < BOOT + 4000 && requestsAtMs.length < 2; t++) {
      n.tick(t);
      if (sent(n.ready(), 'vote-request').length > 0) requestsAtMs.push(t);
    }
    assert.equal(requestsAtMs.length, 2, 'a request, then a resend');
    const [firstMs, resendMs] = requestsAtMs as [number, number];
    // Round trips are milliseconds here: a reply's wait is a heartbeat.
    assert.ok(resendMs - firstMs <= 2 * HEARTBEAT + 1, `resent ${resendMs - firstMs} ms after the request`);
  });

  it("a follower of a live coordinator greets nobody but it: the coordinator's round tells a newcomer whom to follow (seed 55 of 100 nodes)", () => {
    const n = booted(2);
    // n2 and n4 make a quorum with n3 first: n1's join below changes nothing n3 can tell as news.
    join(n, 2, BOOT + 3);
    join(n, 4, BOOT + 4);
    n.step(leaderRound(5, 1, 1, [1, 2, 3, 4]), BOOT + 5);
    n.ready();
    beatsBetween(n, BOOT + 6, BOOT + 150); // the coordinator itself is greeted
    n.step(leaderRound(5, 1, 2, [1, 2, 3, 4]), BOOT + 151);
    n.ready();
    assert.equal(n.knownLeader(BOOT + 151), 5, 'n3 follows n5');
    join(n, 1, BOOT + 160);
    const beats = beatsBetween(n, BOOT + 161, BOOT + 160 + HEARTBEAT);
    assert.deepEqual(beats, [], `no greeting for n1 within a heartbeat: beats at ${beats.map((t) => t - BOOT)}`);
  });

  it('a node whose own beat came back after 300 ms (600 ms a round trip) greets nobody: its next beat is the regular one', () => {
    const n = booted(300);
    join(n, 1, BOOT + 310);
    // The beat after a process's first comes at [½, 1) of a member beat (spread by its boot ID).
    const beats = beatsBetween(n, BOOT + 311, BOOT + MEMBER_BEAT);
    assert.equal(beats.length, 1, `beats at ${beats.map((t) => t - BOOT)}`);
    assert.ok(beats[0]! >= BOOT + MEMBER_BEAT / 2, `no greeting: the one beat is the regular one, at ${beats[0]! - BOOT}`);
  });

  it('a saturated node tells news (it can lead now) at its regular beat, not at once', () => {
    // Two peers heard: a quorum of five with this node, so it can lead from now on.
    const calm = booted(2);
    assert.deepEqual([join(calm, 1, BOOT + 400), join(calm, 2, BOOT + 400)], [false, true], 'news at once');
    const loaded = booted(300);
    assert.deepEqual([join(loaded, 1, BOOT + 400), join(loaded, 2, BOOT + 400)], [false, false]);
    const beats: boolean[] = [];
    for (let t = BOOT + 401; t <= BOOT + MEMBER_BEAT; t++) {
      loaded.tick(t);
      for (const h of sent(loaded.ready(), 'heartbeat')) {
        assert.ok(t >= BOOT + MEMBER_BEAT / 2, `a beat at ${t - BOOT}, before the regular one`);
        beats.push(h.message.canLead);
      }
    }
    assert.deepEqual(beats, [true], 'the regular beat carries it');
  });

  it('the gauge forgets: two to four timeouts after the last slow loopback, greetings come back', () => {
    const n = booted(300);
    // Beats come back at once from now on.
    let t = BOOT + 301;
    for (; t < BOOT + 5000; t++) {
      n.tick(t);
      for (const own of sent(n.ready(), 'heartbeat')) n.step(own.message, t + 1);
    }
    join(n, 1, t);
    const beats = beatsBetween(n, t + 1, t + HEARTBEAT);
    assert.deepEqual(beats, [t + HEARTBEAT]);
  });

  it('a lost loopback costs one sample, not every later one: beats that come back at once after it still greet within a heartbeat (a 20 % loss lab)', () => {
    const n = node(3, { size: 5 });
    n.tick(BOOT);
    assert.equal(sent(n.ready(), 'heartbeat').length, 1, 'a beat at boot, whose loopback is lost');
    // Every later beat comes back a millisecond after it left. Paired with the beat before it,
    // each would seem a member beat old: patience at its cap for good (a failover took 2.2 s more).
    let t = BOOT + 1;
    let looped = 0;
    for (; t < BOOT + 3 * MEMBER_BEAT; t++) {
      n.tick(t);
      for (const own of sent(n.ready(), 'heartbeat')) {
        n.step(own.message, t + 1);
        looped++;
      }
      n.ready();
    }
    assert.ok(looped >= 2, `${looped} beats came back`);
    join(n, 1, t);
    assert.deepEqual(beatsBetween(n, t + 1, t + HEARTBEAT), [t + HEARTBEAT], 'a greeting within a heartbeat');
  });

  it("a vote that answers a resent request is no round trip (Karn's algorithm): requests lost twice do not slow the next phase's resends", () => {
    const n = node(5, { size: 5 });
    n.tick(BOOT);
    const [own] = sent(n.ready(), 'heartbeat');
    n.step(own!.message, BOOT + 1);
    n.ready();
    hearPeers(n, [1, 2, 3, 4], BOOT + 2);
    /** Ticks every millisecond from `fromMs` until `n` sends a vote request; loops it back at once. */
    const nextRequest = (fromMs: number): { atMs: number; preVote: boolean } => {
      for (let t = fromMs; t < fromMs + 5000; t++) {
        n.tick(t);
        const [request] = sent(n.ready(), 'vote-request');
        if (request === undefined) continue;
        n.step(request.message, t + 1);
        n.ready();
        return { atMs: t, preVote: request.message.preVote };
      }
      throw new Error(`no vote request within 5 s of ${fromMs - BOOT}`);
    };
    const first = nextRequest(BOOT + 3);
    assert.equal(first.preVote, true);
    // The request and its first resend are lost; n1 and n2 answer the second resend at once.
    const resend = nextRequest(first.atMs + 2);
    const again = nextRequest(resend.atMs + 1);
    for (const voter of [1, 2]) n.step(msg(voter, 0, { type: 'vote', preVote: true, voteTerm: 1, granted: true, reason: null, retryAfterMs: 0, prefer: null }, 5), again.atMs + 2);
    const vote = sent(n.ready(), 'vote-request')[0];
    assert.equal(vote?.message.preVote, false, 'a pre-vote quorum: the vote begins');
    n.step(vote.message, again.atMs + 3);
    n.ready();
    // Nobody answers the vote: its first resend comes after a calm reply's wait, a heartbeat.
    const voteResend = nextRequest(again.atMs + 4);
    const gapMs = voteResend.atMs - (again.atMs + 2);
    assert.ok(gapMs <= HEARTBEAT + 2, `the vote was resent ${gapMs} ms after it began (its pre-vote answered ${again.atMs - first.atMs} ms after the first request)`);
  });
});
