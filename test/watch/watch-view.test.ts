/** The observer's view, driven by heartbeats and a virtual clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatchView, verdictText, type HeardBeat } from '../../src/watch/watch-view.ts';
import { sidesFromHears } from '../../src/watch/sides.ts';

const TIMEOUT_MS = 1000;
const MEMBER_BEAT_MS = 1000;
const VOTERS = [1, 2, 3, 4, 5];

function view(startMs = 0, voters = VOTERS): WatchView {
  return new WatchView({ voters, timeoutMs: TIMEOUT_MS, memberBeatMs: MEMBER_BEAT_MS, startMs });
}

/** A settled cluster's heartbeat of `from`: leader `leader`, hearing every other live node of `live`. */
function beat(from: number, leader: number | null, live: number[], term = 1): HeardBeat {
  const leads = leader === from;
  return { from, role: leads ? 'leader' : 'follower', term, leader, hears: live.filter((id) => id !== from), canLead: true, intervalMs: leads || leader === null ? 100 : 1000 };
}

/** Every node of `live` beats once at `atMs`, following `leader` and hearing `heard`. */
function round(v: WatchView, atMs: number, live: number[], leader: number | null, term = 1, heard = live): void {
  for (const id of live) v.heard({ ...beat(id, leader, heard, term) }, atMs);
  v.tick(atMs);
}

describe('sides from hears', () => {
  it('one side when all hear each other; two when a partition cuts both ways; none joined by a one-way link', () => {
    assert.deepEqual(sidesFromHears([{ id: 1, hears: [2, 3] }, { id: 2, hears: [1, 3] }, { id: 3, hears: [1, 2] }]), [[1, 2, 3]]);
    assert.deepEqual(
      sidesFromHears([{ id: 1, hears: [2] }, { id: 2, hears: [1] }, { id: 3, hears: [4, 5] }, { id: 4, hears: [3, 5] }, { id: 5, hears: [3, 4] }]),
      [[1, 2], [3, 4, 5]],
    );
    assert.deepEqual(sidesFromHears([{ id: 1, hears: [2] }, { id: 2, hears: [] }]), [[1], [2]]);
  });
});

describe('the observer\'s view', () => {
  it('lists voters never heard, and builds a card per voter from its heartbeat', () => {
    const v = view();
    v.heard(beat(5, 5, [3, 4, 5]), 10);
    const snapshot = v.snapshot(20);
    assert.deepEqual(snapshot.cards.map((c) => c.heard), ['never', 'never', 'never', 'never', 'live']);
    assert.deepEqual(snapshot.cards[4], { id: 5, heard: 'live', role: 'leader', term: 1, leader: 5, hears: [3, 4], canLead: true, intervalMs: 100, lastHeardMs: 10, beats: 1, beatGaps: null });
    assert.equal(snapshot.warmingUp, true);
  });

  it('records one line per change, not per heartbeat', () => {
    const v = view();
    const first = v.heard(beat(3, 5, VOTERS), 0);
    assert.deepEqual(first, [{ ts: 0, node: 3, role: 'follower', term: 1, leader: 5, hears: [1, 2, 4, 5], canLead: true, intervalMs: 1000, silent: false, lastHeardTs: 0 }]);
    assert.deepEqual(v.heard(beat(3, 5, VOTERS), 1000), []);
    assert.equal(v.heard(beat(3, 4, VOTERS, 2), 2000)[0]!.leader, 4);
  });

  it('a settled cluster agrees on one side led by the highest ID', () => {
    const v = view();
    for (let t = 0; t <= 3000; t += 500) round(v, t, VOTERS, 5);
    const snapshot = v.snapshot(3000);
    assert.equal(snapshot.view.agreed, true);
    assert.deepEqual(snapshot.view.sides, [{ members: VOTERS, canElect: true, leader: 5, agreed: true }]);
    assert.equal(snapshot.warmingUp, false);
    assert.equal(snapshot.timeline.filter((e) => e.kind === 'unsettled').length, 0, 'warming up is no disagreement');
    assert.equal(verdictText(snapshot.view), '{n1,n2,n3,n4,n5} led by n5');
  });

  it('a killed leader turns silent past its silence limit; the timeline times the failover from the first disagreement', () => {
    const v = view();
    for (let t = 0; t <= 3000; t += 100) round(v, t, VOTERS, 5);
    // n5 killed just after 3000: its last beat was at 3000; silent past 3000 + max(timeout, 3 × 100).
    const survivors = [1, 2, 3, 4];
    // Until their own timeout, the survivors still count n5 as heard.
    for (let t = 3100; t <= 3900; t += 100) round(v, t, survivors, 5, 1, VOTERS);
    assert.equal(v.snapshot(3900).cards[4]!.heard, 'live');
    const lines = v.tick(4001);
    assert.deepEqual(lines.map((l) => [l.node, l.silent, l.leader, l.lastHeardTs]), [[5, true, 5, 3000]]);
    assert.equal(v.snapshot(4001).unsettledSinceMs, 4001, 'the survivors follow a node no longer heard');
    // The survivors elect n4 in term 2.
    round(v, 4400, survivors, 4, 2);
    const snapshot = v.snapshot(4500);
    assert.equal(snapshot.unsettledSinceMs, null);
    assert.deepEqual(snapshot.view.sides, [{ members: survivors, canElect: true, leader: 4, agreed: true }]);
    const settled = snapshot.timeline.filter((e) => e.kind === 'settled');
    assert.deepEqual(settled.map((e) => [e.ts, e.durationMs]), [[4400, 399]]);
    assert.equal(snapshot.cards[4]!.heard, 'silent');
    assert.match(snapshot.timeline.find((e) => e.kind === 'silent')!.text, /n5 silent \(last heard 1001 ms ago/);
  });

  it('a partition seen from one side: the far side goes silent, the near side cannot elect', () => {
    const v = view();
    for (let t = 0; t <= 3000; t += 100) round(v, t, VOTERS, 5);
    // The observer is with 1 and 2; 3, 4 and 5 are cut off from both.
    // Until their own timeout, 1 and 2 still hear the far side; n3 and n4 beat slowly, so they
    // fall silent only three of their beats after the last.
    for (let t = 3100; t <= 6100; t += 100) round(v, t, [1, 2], t < 4000 ? 5 : null, 1, t < 4000 ? VOTERS : [1, 2]);
    const snapshot = v.snapshot(6100);
    assert.deepEqual(snapshot.cards.map((c) => c.heard), ['live', 'live', 'silent', 'silent', 'silent']);
    assert.deepEqual(snapshot.view.sides, [{ members: [1, 2], canElect: false, leader: null, agreed: true }]);
    assert.equal(verdictText(snapshot.view), '{n1,n2} cannot elect (no majority)');
    assert.equal(snapshot.timeline.at(-1)!.kind, 'settled');
  });

  it('a silent node heard again is live again, and says so in one line', () => {
    const v = view();
    for (let t = 0; t <= 3000; t += 100) round(v, t, VOTERS, 5);
    for (let t = 3100; t <= 6200; t += 100) round(v, t, [2, 3, 4, 5], 5, 1, [2, 3, 4, 5]);
    assert.equal(v.snapshot(6200).cards[0]!.heard, 'silent');
    const lines = v.heard(beat(1, null, [1]), 6300);
    assert.deepEqual(lines.map((l) => [l.node, l.silent, l.leader]), [[1, false, null]]);
    assert.match(v.snapshot(6300).timeline.at(-1)!.text, /^n1 heard: follower t1, no leader/);
    assert.equal(v.snapshot(6300).cards[0]!.heard, 'live');
  });

  it('two leaders heard on two sides both count as leaders', () => {
    const v = view(0, [1, 2, 3]);
    v.heard(beat(3, 3, [1, 3]), 5000);
    v.heard(beat(1, 3, [1, 3]), 5000);
    v.heard({ ...beat(2, 2, [2]), hears: [] }, 5000);
    assert.deepEqual(v.snapshot(5000).view.leaders, [2, 3]);
  });

  it('measures each node\'s beat inter-arrival times over the last minute, not across a silence', () => {
    const v = view();
    assert.equal(v.snapshot(0).cards[0]!.beatGaps, null, 'never heard');
    for (const atMs of [0, 100, 250, 350]) v.heard(beat(1, 1, [1]), atMs);
    assert.deepEqual(v.snapshot(400).cards[0]!.beatGaps, { lastMs: 100, meanMs: 117, maxMs: 150, count: 3 });
    v.tick(5000);
    assert.equal(v.snapshot(5000).cards[0]!.heard, 'silent');
    v.heard(beat(1, 1, [1]), 5000);
    v.heard(beat(1, 1, [1]), 5120);
    assert.deepEqual(v.snapshot(5200).cards[0]!.beatGaps, { lastMs: 120, meanMs: 118, maxMs: 150, count: 4 }, 'the 4650 ms of silence is no gap');
    assert.deepEqual(v.snapshot(60_400).cards[0]!.beatGaps, { lastMs: 120, meanMs: 120, maxMs: 120, count: 1 }, 'a minute later, only the last gap is left');
    assert.equal(v.snapshot(70_000).cards[0]!.beatGaps, null);
  });
});
