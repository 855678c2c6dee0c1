import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeartbeatSample } from '../../src/dashboard/messages.ts';
import type { DetailsOf, EventKind, NodeEvent, NodeEventOf } from '../../src/contract/events.ts';
import { quorumSize } from '../../src/core/quorum.ts';
import { beatKind, chartMarks } from '../../src/ui/lib/beats.ts';
import { BINS_PER_WINDOW, binSizeMs, buildChartFrame, isNiceTick, niceFloor, peerColor, peerSetKey, yRangeMs } from '../../src/ui/lib/chart-series.ts';
import { ClockOffsetEstimator, OFFSET_WINDOW } from '../../src/ui/lib/clock-offset.ts';
import { CONTROLS_OFF_TEXT, controlAvailability, controlResultText, tokenFromHash } from '../../src/ui/lib/controls.ts';
import { MAX_VOTERS_SHOWN, causeInWords, deriveCoordinator } from '../../src/ui/lib/coordinator.ts';
import { NO_VALUE, formatAgo, formatClockTime, formatDurationMs, formatPhi, formatRateMs, nodeLabel, nodeList } from '../../src/ui/lib/format.ts';
import { HeartbeatWindow } from '../../src/ui/lib/heartbeat-window.ts';
import { PEER_STATE_LABELS, nextSort, peerRowView, peerStateLabel, sortPeers, type PeerRow } from '../../src/ui/lib/peers.ts';
import { NO_QUORUM_TEXT, quorumView } from '../../src/ui/lib/quorum.ts';
import { aloneBanners } from '../../src/ui/lib/alone.ts';
import type { LanStatus } from '../../src/contract/status.ts';
import type { AloneDiagnosis } from '../../src/contract/alone.ts';
import { MAX_TIMELINE_ENTRIES, describeEvent, filterTimeline, prependEntry, timelineEntry, timelineFromEvents } from '../../src/ui/lib/timeline.ts';
import { syntheticEvent, syntheticHello, syntheticSamples, syntheticStatus } from './fixtures.ts';

describe('formatting', () => {
  it('writes durations in the unit a reader expects', () => {
    const table: Array<[number | null, string]> = [
      [0, '0 ms'],
      [850, '850 ms'],
      [999.4, '999 ms'],
      [999.6, '1.0 s'], // never "1000 ms"
      [1234, '1.2 s'],
      [9_940, '9.9 s'],
      [9_960, '10 s'],
      [42_400, '42 s'],
      [59_700, '1 min'], // never "60 s" or "59 s"
      [180_000, '3 min'],
      [3_599_000, '59 min'],
      [3_600_000, '1 h'],
      [3_723_000, '1 h 2 min'],
      [3 * 86_400_000, '3 d'],
      [-5, '0 ms'],
      [null, NO_VALUE],
      [Number.NaN, NO_VALUE],
      [Number.POSITIVE_INFINITY, NO_VALUE],
    ];
    for (const [ms, expected] of table) assert.equal(formatDurationMs(ms), expected, `${ms} ms`);
  });

  it('writes beat intervals without a needless decimal', () => {
    assert.equal(formatRateMs(100), '100 ms');
    assert.equal(formatRateMs(1_000), '1 s');
    assert.equal(formatRateMs(1_500), '1.5 s');
    assert.equal(formatRateMs(null), NO_VALUE);
  });

  it('writes relative times in whole units, rounded down', () => {
    assert.equal(formatAgo(400), 'just now');
    assert.equal(formatAgo(1_000), '1 s ago');
    assert.equal(formatAgo(3_999), '3 s ago');
    assert.equal(formatAgo(185_000), '3 min ago');
    assert.equal(formatAgo(null), NO_VALUE);
  });

  it('writes the time of day with milliseconds, zero-padded', () => {
    assert.equal(formatClockTime(new Date(2024, 0, 2, 13, 4, 5, 67).getTime()), '13:04:05.067');
    assert.equal(formatClockTime(new Date(2024, 0, 2, 0, 0, 0, 0).getTime()), '00:00:00.000');
  });

  it('writes phi with one decimal and caps it', () => {
    assert.equal(formatPhi(1.26), '1.3');
    assert.equal(formatPhi(0), '0.0');
    assert.equal(formatPhi(1e9), '> 99.9');
    // Infinity arrives as null after JSON.
    assert.equal(formatPhi(null), NO_VALUE);
  });

  it('writes IDs as the CLI does', () => {
    assert.equal(nodeLabel(5), 'n5');
    assert.equal(nodeLabel(null), 'none');
    assert.equal(nodeList([1, 3]), 'n1, n3');
    assert.equal(nodeList([]), 'none');
  });
});

describe('coordinator panel', () => {
  it('names the coordinator, its votes of those needed and the cause', () => {
    const status = syntheticStatus({ peers: 4, selfId: 3, leaderForMs: 42_000 });
    const view = deriveCoordinator(status, 1_500);
    assert.equal(view.leader, 5);
    assert.equal(view.leaderLabel, 'n5');
    assert.equal(view.isSelf, false);
    assert.equal(view.term, status.term);
    // Durations are relative to the snapshot: they keep counting while no new one arrives.
    assert.equal(view.leaderForMs, 43_500);
    assert.ok(view.election !== null);
    assert.equal(view.election.votesReceived, 3);
    assert.equal(view.election.votesNeeded, 3);
    assert.deepEqual(view.election.voters, [1, 2, 5]);
    assert.equal(causeInWords(view.election.cause), 'failover after a timeout');
    assert.equal(view.campaign, null);
  });

  it('knows when this node is the coordinator', () => {
    const view = deriveCoordinator(syntheticStatus({ peers: 4, selfId: 5 }), 0);
    assert.equal(view.isSelf, true);
  });

  it('says "none" without a coordinator, and explains no election', () => {
    const view = deriveCoordinator(syntheticStatus({ peers: 4, noQuorum: true }), 0);
    assert.equal(view.leader, null);
    assert.equal(view.leaderLabel, 'none');
    assert.equal(view.leaderForMs, null);
    assert.equal(view.election, null);
  });

  it('does not explain a coordinator by an election that made another one', () => {
    const status = syntheticStatus({ peers: 4, leader: 4 });
    status.lastElection = { term: 6, leader: 5, cause: 'cold-start', votedBy: [1, 2, 5] };
    assert.equal(deriveCoordinator(status, 0).election, null);
  });

  it('describes a running campaign', () => {
    const status = syntheticStatus({ peers: 4, selfId: 2, noQuorum: true, campaign: 'pre-vote', term: 7 });
    const view = deriveCoordinator(status, 0);
    assert.ok(view.campaign !== null);
    assert.equal(view.campaign.text, 'pre-vote for term 8, granted 2 of 3');
  });

  it('lists a few voters and counts the rest at 100 peers', () => {
    const view = deriveCoordinator(syntheticStatus({ peers: 100 }), 0);
    assert.ok(view.election !== null);
    assert.equal(view.election.votesReceived, 51);
    assert.equal(view.election.voters.length, MAX_VOTERS_SHOWN);
    assert.equal(view.election.moreVoters, 51 - MAX_VOTERS_SHOWN);
  });

  it('puts every election cause in words', () => {
    assert.equal(causeInWords('cold-start'), 'cold start');
    assert.equal(causeInWords('failover'), 'failover after a timeout');
    assert.equal(causeInWords('resignation'), 'resignation');
    assert.equal(causeInWords('preemption'), 'preemption by a higher ID');
    assert.equal(causeInWords('something-new'), 'something-new');
  });
});

describe('quorum', () => {
  it('holds with a majority and says so in the exact words', () => {
    const view = quorumView({ have: 3, need: 3, voters: 5 });
    assert.equal(view.state, 'ok');
    assert.equal(view.missing, 0);
    assert.equal(view.text, '3 of 5 voters reachable · 3 needed');
  });

  it('is lost one short of a majority', () => {
    const view = quorumView(syntheticStatus({ peers: 4, noQuorum: true }).quorum);
    assert.equal(view.state, 'lost');
    assert.equal(view.have, 2);
    assert.equal(view.missing, 1);
    assert.equal(view.text, '2 of 5 voters reachable · 3 needed');
    assert.match(NO_QUORUM_TEXT, /^No quorum — this side cannot elect$/);
  });
});

describe('peers table', () => {
  const TIMINGS = { heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000 };

  function peers(): PeerRow[] {
    const rows = syntheticStatus({ peers: 6, selfId: 7 }).peers;
    // Two peers with equal phi, one with none (Infinity after JSON), addresses out of text order.
    rows[0]!.phi = 2;
    rows[3]!.phi = 2;
    rows[4]!.phi = null as unknown as number;
    rows[1]!.address = '10.0.0.10';
    rows[2]!.address = '10.0.0.9';
    rows[5]!.address = null;
    return rows;
  }

  it('sorts by a column, equal values by ID, in both directions', () => {
    const list = peers();
    const byPhi = sortPeers(list, { key: 'phi', direction: 'descending' }).map((p) => p.id);
    assert.equal(byPhi[0], 5, 'no phi (infinite) is the most suspicious');
    const tied = byPhi.filter((id) => id === 1 || id === 4);
    assert.deepEqual(tied, [1, 4], 'equal phi: ID order');
    const ascending = sortPeers(list, { key: 'phi', direction: 'ascending' }).map((p) => p.id);
    assert.deepEqual(ascending.slice(-3), [1, 4, 5]);
    // The input is left alone.
    assert.deepEqual(list.map((p) => p.id), [1, 2, 3, 4, 5, 6]);
  });

  it('sorts addresses as numbers and puts missing ones last either way', () => {
    const list = peers();
    const up = sortPeers(list, { key: 'address', direction: 'ascending' }).map((p) => p.address);
    assert.deepEqual(up, ['10.0.0.2', '10.0.0.5', '10.0.0.6', '10.0.0.9', '10.0.0.10', null]);
    const down = sortPeers(list, { key: 'address', direction: 'descending' }).map((p) => p.address);
    assert.equal(down[0], '10.0.0.10');
    assert.equal(down.at(-1), null);
  });

  it('sorts by state with trouble first, ties by ID', () => {
    const list = peers();
    list[2]!.state = 'dead';
    list[5]!.state = 'suspect';
    list[1]!.state = 'suspect';
    assert.deepEqual(sortPeers(list, { key: 'state', direction: 'ascending' }).map((p) => p.id), [3, 2, 6, 1, 4, 5]);
  });

  it('flips the direction on the same column and starts ascending on another', () => {
    const first = nextSort({ key: 'id', direction: 'ascending' }, 'id');
    assert.deepEqual(first, { key: 'id', direction: 'descending' });
    assert.deepEqual(nextSort(first, 'id'), { key: 'id', direction: 'ascending' });
    assert.deepEqual(nextSort(first, 'jitter'), { key: 'jitter', direction: 'ascending' });
  });

  it('renders a row as text, counting the time since the snapshot', () => {
    const peer = peers()[5]!;
    peer.lastHeardAgoMs = 300;
    peer.meanIntervalMs = 101.4;
    peer.jitterMs = 7.6;
    peer.phi = 0.44;
    peer.timeoutMs = 1000;
    peer.impliedTimeoutMs = 212;
    const row = peerRowView(peer, peer.id, 900, TIMINGS);
    assert.equal(row.lastHeard, '1.2 s');
    assert.equal(row.address, NO_VALUE);
    assert.equal(row.isCoordinator, true);
    assert.equal(row.meanInterval, '101 ms');
    assert.equal(row.jitter, '± 8 ms');
    assert.equal(row.phi, '0.4');
    assert.equal(row.timeout, '1.0 s');
    assert.equal(row.impliedTimeout, '212 ms');
    assert.equal(peerRowView(peer, null, 0, TIMINGS).isCoordinator, false);
    assert.equal(peerRowView({ ...peer, route: undefined }, null, 0, TIMINGS).via, null, 'an older node sends no route');
    assert.equal(peerRowView({ ...peer, route: 'group' }, null, 0, TIMINGS).via, null, 'the group is the usual way: no tag');
    assert.equal(peerRowView({ ...peer, route: 'direct' }, null, 0, TIMINGS).via, 'unicast');
  });

  it("shows each peer's announced rate and its own timeout: the coordinator's rounds, the followers' member beats", () => {
    // n1's view: n5 coordinates, n2–n4 follow it.
    const status = syntheticStatus({ peers: 4, selfId: 1 });
    const rows = status.peers.map((peer) => peerRowView(peer, status.leader, 0, status.timings));
    const leader = rows.find((row) => row.id === 5)!;
    assert.equal(leader.beat, 'rounds 100 ms');
    assert.equal(leader.beatKind, 'rounds');
    assert.equal(leader.timeout, '1.0 s');
    assert.match(leader.timeoutHint, /the timeout/);
    for (const row of rows.filter((r) => r.id !== 5)) {
      assert.equal(row.beat, 'member beat 1 s', `n${row.id}`);
      assert.equal(row.beatKind, 'member');
      assert.equal(row.timeout, '3.0 s', 'three missed member beats, not the 1 s timeout');
      assert.match(row.timeoutHint, /3 missed 1 s beats/);
      assert.match(row.meanInterval, /^(99\d ms|1\.0 s)$/);
    }
    assert.match(leader.meanInterval, /^\d+ ms$/);
    // With no coordinator, everyone beats fast.
    const campaign = syntheticStatus({ peers: 4, selfId: 2, noQuorum: true, campaign: 'vote' });
    const alive = campaign.peers.find((peer) => peer.state === 'alive')!;
    assert.equal(peerRowView(alive, null, 0, campaign.timings).beat, 'fast beat 100 ms');
    // A node from before the two rates announces none: the fast rate and the timeout it sent.
    const old = { ...status.peers[0]!, beatIntervalMs: undefined };
    assert.equal(peerRowView(old, 5, 0, { heartbeatMs: 100, timeoutMs: 1000 }).beat, 'fast beat 100 ms');
    assert.equal(beatKind({ role: 'follower', leader: 5, state: 'alive', beatIntervalMs: 100 }, { heartbeatMs: 100, memberBeatMs: 100, timeoutMs: 1000 }), 'member');
  });

  it("sorts by each peer's own timeout: the coordinator's rounds time out first", () => {
    const status = syntheticStatus({ peers: 4, selfId: 1, leader: 3 });
    assert.deepEqual(sortPeers(status.peers, { key: 'timeout', direction: 'ascending' }).map((p) => p.id), [3, 2, 4, 5]);
    assert.deepEqual(sortPeers(status.peers, { key: 'timeout', direction: 'descending' }).map((p) => p.id), [2, 4, 5, 3]);
    assert.equal(sortPeers(status.peers, { key: 'meanInterval', direction: 'ascending' })[0]!.id, 3);
  });

  it('marks the role of a peer that is not heard as its last known one', () => {
    const peer = peers()[1]!;
    for (const [state, stale] of [['alive', false], ['suspect', false], ['dead', true], ['left', true]] as const) {
      assert.equal(peerRowView({ ...peer, state }, null, 0, TIMINGS).roleIsStale, stale, state);
    }
  });

  it('labels every peer state with a word and a distinct symbol', () => {
    const symbols = Object.values(PEER_STATE_LABELS).map((label) => label.symbol);
    assert.equal(new Set(symbols).size, symbols.length);
    assert.equal(peerStateLabel('suspect').text, 'suspect');
    assert.equal(peerStateLabel('weird').text, 'weird');
  });
});

describe('timeline', () => {
  const status = syntheticStatus({ peers: 4, selfId: 5 });
  const event = <K extends EventKind>(kind: K, details: DetailsOf<K>): NodeEventOf<K> => syntheticEvent(status, kind, details, 1_700_000_000_000);

  it('tells an election with its cause and votes', () => {
    const text = describeEvent(event('elected', { cause: 'preemption', votedBy: [5, 1, 2] })).text;
    assert.equal(text, 'n5 elected coordinator for term 7 (preemption by a higher ID): 3 votes of 3 needed, from n5, n1, n2');
  });

  it('tells why a coordinator stepped down', () => {
    const described = describeEvent(event('demoted', { reason: 'lease-expired', leaseTerm: 6, leaseEndedAt: 1_700_000_000_000 }));
    assert.equal(described.kind, 'election');
    assert.match(described.text, /^n5 stepped down from term 6: its lease ran out/);
  });

  it('tells refused and granted votes apart', () => {
    const refused = describeEvent(event('vote', { candidate: 4, forTerm: 8, preVote: false, granted: false, reason: 'already-voted' }));
    assert.equal(refused.kind, 'vote');
    assert.equal(refused.text, 'Refused vote to n4 for term 8: already voted in this term');
    const granted = describeEvent(event('vote', { candidate: 4, forTerm: 8, preVote: true, granted: true, reason: null }));
    assert.equal(granted.text, 'Granted pre-vote to n4 for term 8');
    assert.notEqual(granted.symbol, refused.symbol);
  });

  it('tells drops with reason, count and sender', () => {
    const described = describeEvent(event('dropped', { reason: 'bad-mac', count: 3, total: 12, from: 9, source: null, detail: '' }));
    assert.equal(described.kind, 'drop');
    assert.equal(described.text, 'Dropped 3 datagrams: bad MAC (wrong key or tampered) from n9 (12 in all)');
  });

  it('tells where dropped datagrams came from: the address, with the ID they claimed if any', () => {
    const garbage = describeEvent(event('dropped', { reason: 'malformed', count: 40, total: 900, from: null, source: '10.0.0.66:40123', detail: 'field 1: wire type 7' }));
    assert.equal(garbage.text, 'Dropped 40 datagrams: malformed datagram from 10.0.0.66:40123 (900 in all) — field 1: wire type 7');
    const claimed = describeEvent(event('dropped', { reason: 'impostor', count: 1, total: 1, from: 3, source: '10.0.0.66:7707', detail: '' }));
    assert.equal(claimed.text, 'Dropped 1 datagram: impostor (someone else’s ID) from n3 (10.0.0.66:7707) (1 in all)');
  });

  it('tells a stall: how long the node was frozen, and whether its lease ran out meanwhile', () => {
    const follower = describeEvent(event('stalled', { durationMs: 1987, wasLeader: false, leaseLost: false, leaseEndedAt: null }));
    assert.equal(follower.label, 'stalled');
    assert.equal(follower.tone, 'warn');
    assert.match(follower.text, /^n5 was frozen for 2\.0 s \(a pause, a stop signal or a suspend: its timers ran that late\)$/);
    const leaseHeld = describeEvent(event('stalled', { durationMs: 600, wasLeader: true, leaseLost: false, leaseEndedAt: null }));
    assert.match(leaseHeld.text, /^n5 was frozen for 600 ms .*; its lease held$/);
    const leaseLost = describeEvent(event('stalled', { durationMs: 2400, wasLeader: true, leaseLost: true, leaseEndedAt: 1_699_999_998_500 }));
    assert.equal(leaseLost.kind, 'election', 'it changed who leads: shown with the elections');
    assert.equal(leaseLost.tone, 'bad');
    assert.equal(leaseLost.text, 'n5 was frozen for 2.4 s, longer than its lease: it stopped leading while frozen, and the others could elect');
    assert.notEqual(leaseLost.symbol, describeEvent(event('paused', {})).symbol, 'not taken for a pause from the dashboard');
    assert.equal(filterTimeline([timelineEntry(event('stalled', { durationMs: 2400, wasLeader: true, leaseLost: true, leaseEndedAt: 1_699_999_998_500 }), 1)], 'elections').length, 1);
  });

  it('tells peer changes and pauses', () => {
    const dead = describeEvent(event('peer-dead', { peer: 3 }));
    assert.equal(dead.kind, 'peer');
    assert.equal(dead.tone, 'bad');
    assert.match(dead.text, /^n3 declared dead/);
    assert.equal(describeEvent(event('paused', {})).text, 'n5 paused: not sending or receiving');
    assert.match(describeEvent(event('leader', { previous: 5 })).text, /^Coordinator is now n5/);
  });

  it('still shows an event it does not know, by name', () => {
    // A line of a kind this build does not know: the union has no such member.
    const described = describeEvent({ ...event('paused', {}), event: 'brand-new' } as unknown as NodeEvent);
    assert.equal(described.label, 'brand-new');
    assert.equal(described.text, 'brand-new');
  });

  it('keeps the newest first and at most the bound', () => {
    let entries = timelineFromEvents([], 0);
    for (let i = 0; i < MAX_TIMELINE_ENTRIES + 50; i++) entries = prependEntry(entries, timelineEntry(event('term', { previous: i }), i));
    assert.equal(entries.length, MAX_TIMELINE_ENTRIES);
    assert.equal(entries[0]!.seq, MAX_TIMELINE_ENTRIES + 49);
    assert.equal(entries.at(-1)!.seq, 50);
  });

  it('turns a hello’s events (oldest first) into a timeline (newest first), bounded', () => {
    const events = Array.from({ length: 10 }, (_, i) => ({ ...event('term', { previous: i }), ts: 1000 + i }));
    const entries = timelineFromEvents(events, 100, 4);
    assert.deepEqual(entries.map((e) => e.ts), [1009, 1008, 1007, 1006]);
    assert.equal(new Set(entries.map((e) => e.seq)).size, 4);
  });

  it('filters by kind, elections including votes', () => {
    const entries = [
      timelineEntry(event('dropped', { reason: 'replayed', count: 1, total: 1, from: 2, source: '10.0.0.3:42424', detail: '' }), 1),
      timelineEntry(event('vote', { candidate: 4, forTerm: 8, preVote: false, granted: true, reason: null }), 2),
      timelineEntry(event('peer-joined', { peer: 2 }), 3),
      timelineEntry(event('elected', { cause: 'failover', votedBy: [5] }), 4),
    ];
    assert.deepEqual(filterTimeline(entries, 'drops').map((e) => e.seq), [1]);
    assert.deepEqual(filterTimeline(entries, 'elections').map((e) => e.seq), [2, 4]);
    assert.deepEqual(filterTimeline(entries, 'peers').map((e) => e.seq), [3]);
    assert.equal(filterTimeline(entries, 'all').length, 4);
  });
});

describe('heartbeat window', () => {
  it('keeps only the last historyMs, measured from the newest arrival', () => {
    const window = new HeartbeatWindow(1_000);
    window.append([
      [1, 0, 100],
      [1, 500, 100],
      [2, 900, 100],
    ]);
    assert.equal(window.size, 3);
    window.append([[1, 1_600, 100]]);
    assert.deepEqual(window.samplesOf(1), [[1_600, 100]]);
    assert.deepEqual(window.samplesOf(2), [[900, 100]]);
    window.append([[1, 2_000, 400]]);
    // Peer 2 has nothing left in the window: it is forgotten.
    assert.deepEqual(window.peers(), [1]);
  });

  it('skips arrivals it already holds (a status overlapping the hello)', () => {
    const window = new HeartbeatWindow(60_000);
    const samples: HeartbeatSample[] = [
      [3, 100, 100],
      [3, 200, 100],
    ];
    window.append(samples);
    window.append(samples);
    window.append([[3, 150, 50]]);
    assert.deepEqual(window.samplesOf(3), [
      [100, 100],
      [200, 100],
    ]);
  });

  it('holds at most maxPerPeer arrivals per peer, the newest', () => {
    const window = new HeartbeatWindow(1e9, 5);
    window.append(Array.from({ length: 100 }, (_, i): HeartbeatSample => [1, i * 10, 10]));
    assert.equal(window.size, 5);
    assert.deepEqual(window.samplesOf(1).map(([at]) => at), [950, 960, 970, 980, 990]);
  });

  it('stays bounded at 100 peers over ten minutes of 10 Hz heartbeats', () => {
    const window = new HeartbeatWindow(60_000);
    const status = syntheticStatus({ peers: 100, memberBeatMs: 100 });
    for (let t = 0; t < 600_000; t += 200) window.append(syntheticSamples(status, t, t + 200));
    // 600 per peer (one per 100 ms over a minute), whatever ran before.
    assert.ok(window.size <= 100 * 601, `${window.size}`);
    assert.ok(window.size >= 100 * 599, `${window.size}`);
  });

  it('starts over on reset', () => {
    const window = new HeartbeatWindow(1_000);
    window.append([[1, 10, 10]]);
    window.reset(5_000);
    assert.equal(window.size, 0);
    assert.equal(window.newestAtMs, null);
    assert.equal(window.windowMs, 5_000);
  });
});

describe('heartbeat chart series', () => {
  it('bins arrivals on a shared time axis, keeping the longest gap of a bin', () => {
    const window = new HeartbeatWindow(60_000);
    const binMs = binSizeMs(60_000);
    assert.equal(binMs, 100);
    const endMs = 1_000_000;
    window.append([
      [1, endMs - 1_000, 100],
      [1, endMs - 960, 40], // same bin as the one before: the larger gap stays
      [2, endMs - 500, 300],
      [7, endMs - 400, 999], // not plotted: not in the peer list
    ]);
    const frame = buildChartFrame(window, [1, 2], endMs, 60_000);
    const [xs, ys1, ys2] = frame.data;
    assert.equal(frame.data.length, 3);
    assert.equal(xs.length, BINS_PER_WINDOW + 1);
    assert.ok(xs.every((x, i) => i === 0 || x > xs[i - 1]!));
    assert.equal(xs.at(-1), endMs / 1000);
    const bin1 = xs.indexOf((endMs - 1_000) / 1000);
    assert.equal(ys1![bin1], 100);
    assert.equal(ys1!.filter((y) => y !== null).length, 1);
    assert.equal(ys2![xs.indexOf((endMs - 500) / 1000)], 300);
    assert.equal(frame.plotted, 3);
    assert.equal(frame.maxIntervalMs, 300);
    assert.equal(frame.minIntervalMs, 40);
  });

  it('plots nothing outside the window and copes with no data', () => {
    const window = new HeartbeatWindow(60_000);
    window.append([[1, 1_000, 100]]);
    const frame = buildChartFrame(window, [1], 1_000 + 61_000, 60_000);
    assert.equal(frame.plotted, 0);
    assert.ok(frame.data[1]!.every((y) => y === null));
    assert.equal(frame.minIntervalMs, Infinity);
  });

  it("marks both rates and each one's timeout, from the peers' own announcements", () => {
    const follower = chartMarks(syntheticStatus({ peers: 4, selfId: 1 }).peers, syntheticStatus({ peers: 4, selfId: 1 }).timings);
    assert.deepEqual(
      follower.rates.map((mark) => [mark.intervalMs, mark.label]),
      [
        [100, 'leader rounds every 100 ms'],
        [1_000, 'member beats every 1 s'],
      ],
    );
    assert.deepEqual(
      follower.limits.map((mark) => [mark.limitMs, mark.label]),
      [
        [1_000, 'timeout 1.0 s for leader rounds'],
        [3_000, 'timeout 3.0 s for member beats (3 × 1 s)'],
      ],
    );
    // The coordinator's own dashboard: only followers, so only the slow rate and its limit.
    const leader = syntheticStatus({ peers: 4, selfId: 5 });
    assert.deepEqual(chartMarks(leader.peers, leader.timings).limits.map((mark) => mark.limitMs), [3_000]);
    // No coordinator: the reachable peers beat fast; the dead ones mark nothing.
    const lost = syntheticStatus({ peers: 4, noQuorum: true });
    const lostMarks = chartMarks(lost.peers, lost.timings);
    assert.deepEqual(lostMarks.rates.map((mark) => mark.label), ['fast beats every 100 ms']);
    assert.deepEqual(lostMarks.limits.map((mark) => mark.label), ['timeout 1.0 s for fast beats']);
    // Nobody beating: the node's timeout alone.
    assert.deepEqual(chartMarks([], lost.timings), { rates: [], limits: [{ limitMs: 1_000, kinds: [], label: 'timeout 1.0 s' }] });
  });

  it('keeps both rates and every peer timeout in view', () => {
    const status = syntheticStatus({ peers: 4, selfId: 1 });
    const window = new HeartbeatWindow(60_000);
    const endMs = 1_000_000;
    window.append(syntheticSamples(status, endMs - 60_000, endMs));
    const frame = buildChartFrame(window, status.peers.map((p) => p.id), endMs, 60_000);
    // The coordinator's rounds near 100 ms, the member beats near 1 s.
    assert.ok(frame.minIntervalMs > 60 && frame.minIntervalMs < 100, `${frame.minIntervalMs}`);
    assert.ok(frame.maxIntervalMs > 1_000 && frame.maxIntervalMs < 1_100, `${frame.maxIntervalMs}`);
    const marks = chartMarks(status.peers, status.timings);
    const [low, high] = yRangeMs(
      marks.limits.map((m) => m.limitMs),
      frame.minIntervalMs,
      frame.maxIntervalMs,
      marks.rates.map((m) => m.intervalMs),
    );
    for (const ms of [frame.minIntervalMs, 100, 1_000, frame.maxIntervalMs, ...status.peers.map((p) => p.timeoutMs)]) {
      assert.ok(low < ms && ms < high, `${ms} ms in [${low}, ${high}]`);
    }
    // The 3 s member limit sits well below the top, with room for its label.
    assert.ok(high >= 3_000 * 1.4, `${high}`);
    // A rate with no gap measured yet (a peer that just switched) still has room below it.
    assert.ok(yRangeMs([3_000], Infinity, 0, [100])[0] < 100);
  });

  it('keeps the timeout line and every gap in view on the log axis', () => {
    const [low, high] = yRangeMs(1_000, 90, 400);
    assert.ok(low > 0 && low <= 90 * 0.7, `${low}`);
    assert.ok(high > 1_000);
    const [, highSpike] = yRangeMs(1_000, 90, 5_000);
    assert.ok(highSpike > 5_000);
    const [lowEmpty] = yRangeMs(1_000, Infinity, 0);
    assert.ok(lowEmpty > 0 && lowEmpty <= 50);
    assert.equal(niceFloor(63), 50);
    assert.equal(niceFloor(190), 100);
    assert.equal(niceFloor(0.3), 0.2);
    assert.ok(isNiceTick(200) && isNiceTick(1_000) && isNiceTick(5));
    assert.ok(!isNiceTick(300) && !isNiceTick(0));
  });

  it('gives each peer its own colour and a key that ignores order', () => {
    const colours = Array.from({ length: 30 }, (_, i) => peerColor(i));
    assert.equal(new Set(colours).size, 30);
    assert.equal(peerSetKey([3, 1, 2]), peerSetKey([1, 2, 3]));
    assert.notEqual(peerSetKey([1, 2]), peerSetKey([1, 2, 3]));
  });
});

describe('clock offset', () => {
  it('takes the least delayed recent estimate and follows drift', () => {
    const estimator = new ClockOffsetEstimator();
    assert.equal(estimator.offsetMs, 0);
    estimator.observe(10_000 - 150, 10_000);
    estimator.observe(20_000 - 20, 20_000);
    assert.equal(estimator.observe(30_000 - 90, 30_000), -20);
    // After a window of later estimates, the old best is forgotten.
    for (let i = 0; i < OFFSET_WINDOW; i++) estimator.observe(40_000 + i - 500, 40_000 + i);
    assert.equal(estimator.offsetMs, -500);
  });
});

describe('controls', () => {
  const controls = { enabled: true, needsToken: true };

  it('lets only a coordinator resign, and says why not', () => {
    const follower = controlAvailability({ role: 'follower', paused: false, controls, busy: false });
    assert.equal(follower.resign.enabled, false);
    assert.match(follower.resign.why ?? '', /coordinator/);
    assert.equal(controlAvailability({ role: 'leader', paused: false, controls, busy: false }).resign.enabled, true);
  });

  it('offers Pause or Resume, whichever applies', () => {
    const running = controlAvailability({ role: 'follower', paused: false, controls, busy: false });
    assert.deepEqual([running.pause.enabled, running.resume.enabled], [true, false]);
    const paused = controlAvailability({ role: 'follower', paused: true, controls, busy: false });
    assert.deepEqual([paused.pause.enabled, paused.resume.enabled], [false, true]);
  });

  it('disables everything when controls are off, with the flag to turn them on', () => {
    const off = controlAvailability({ role: 'leader', paused: false, controls: { enabled: false, needsToken: false }, busy: false });
    for (const action of ['resign', 'pause', 'resume'] as const) {
      assert.equal(off[action].enabled, false);
      assert.equal(off[action].why, CONTROLS_OFF_TEXT);
    }
    assert.equal(CONTROLS_OFF_TEXT, 'Controls are off: start the node with --dashboard-controls');
  });

  it('reads the token from the link fragment', () => {
    assert.equal(tokenFromHash('#token=abc123'), 'abc123');
    assert.equal(tokenFromHash('#view=x&token=a%2Bb'), 'a+b');
    assert.equal(tokenFromHash('#token='), null);
    assert.equal(tokenFromHash(''), null);
  });

  it('words the result of an action', () => {
    assert.equal(controlResultText('pause', { ok: true }), 'Pause: done.');
    assert.equal(controlResultText('resign', { ok: false, error: 'wrong token' }), 'Resign failed: wrong token');
  });
});

describe('fixtures', () => {
  it('build a status one voter short of a majority on request', () => {
    for (const peers of [2, 4, 49, 100]) {
      const status = syntheticStatus({ peers, noQuorum: true });
      assert.equal(status.quorum.voters, peers + 1);
      assert.equal(status.quorum.need, quorumSize(peers + 1));
      assert.equal(status.quorum.have, status.quorum.need - 1);
      assert.equal(status.peers.filter((p) => p.state === 'alive').length, status.quorum.have - 1);
      assert.equal(status.leader, null);
    }
  });

  it('build a hello that survives JSON', () => {
    const hello = syntheticHello(syntheticStatus({ peers: 5 }), { nowMs: 1_000_000 });
    const copy = JSON.parse(JSON.stringify(hello)) as typeof hello;
    assert.deepEqual(copy, hello);
    assert.ok(hello.type === 'hello');
    // A minute: ~600 rounds from the coordinator n6, ~60 member beats from each follower.
    const count = (peer: number): number => hello.samples.filter(([id]) => id === peer).length;
    assert.ok(count(6) >= 590 && count(6) <= 610, `${count(6)}`);
    for (const peer of [2, 3, 4, 5]) assert.ok(count(peer) >= 58 && count(peer) <= 62, `n${peer}: ${count(peer)}`);
  });

  it('give the coordinator the fast rate and its followers the member rate', () => {
    const status = syntheticStatus({ peers: 4, selfId: 1 });
    assert.equal(status.timings.memberBeatMs, 1_000);
    assert.deepEqual(
      status.peers.map((p) => [p.id, p.beatIntervalMs, p.timeoutMs]),
      [
        [2, 1_000, 3_000],
        [3, 1_000, 3_000],
        [4, 1_000, 3_000],
        [5, 100, 1_000],
      ],
    );
    for (const peer of status.peers) assert.ok(Math.abs(peer.meanIntervalMs - peer.beatIntervalMs) < 5, `n${peer.id}`);
    const slow = syntheticStatus({ peers: 2, memberBeatMs: 2_000, timeoutMs: 5_000 });
    assert.deepEqual(slow.peers.map((p) => p.timeoutMs), [6_000, 5_000]);
  });
});

describe('alone banners', () => {
  const diagnosis: AloneDiagnosis = { cause: 'foreign-cluster', diagnosis: 'n5 at 10.0.0.5:7707 sends for cluster "lab-b", not "lab"', fix: 'give one of the two its own --group or --port', sources: ['10.0.0.5:7707'], from: 5 };

  it('shows one banner per current cause, with its diagnosis and fix', () => {
    assert.deepEqual(aloneBanners(syntheticStatus()), []);
    const banners = aloneBanners(syntheticStatus({ alone: [diagnosis, { ...diagnosis, cause: 'no-datagram', sources: [], from: null }] }));
    assert.deepEqual(banners.map((b) => b.cause), ['foreign-cluster', 'no-datagram']);
    assert.equal(banners[0]!.title, 'Another cluster shares this group and port');
    assert.equal(banners[0]!.diagnosis, diagnosis.diagnosis);
    assert.equal(banners[0]!.fix, diagnosis.fix);
    assert.match(banners[1]!.title, /^Alone/);
  });

  it('shows none for a node of an older build, whose status has no diagnosis', () => {
    const { alone: _none, ...older } = syntheticStatus();
    assert.deepEqual(aloneBanners(older as unknown as LanStatus), []);
  });

  it('puts the line in the timeline, diagnosis and fix', () => {
    const entry = describeEvent(syntheticEvent(syntheticStatus(), 'alone', { ...diagnosis, dropped: 3, peersHeard: 2, silentForMs: 0 }));
    assert.equal(entry.label, 'alone');
    assert.equal(entry.tone, 'bad');
    assert.equal(entry.text, `${diagnosis.diagnosis}. Fix: ${diagnosis.fix}`);
  });
});
