import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterView } from '../../src/lab/cluster-view.ts';
import type { LabNodeSnapshot, LabSnapshot, LabTimelineEntry } from '../../src/lab/messages.ts';
import {
  ACTION_MATCH_MS,
  MAX_TIMELINE_ROWS,
  NO_SNAPSHOT_VERDICT,
  STALL_MS,
  agreementRows,
  agreementStats,
  conditionLabel,
  currentLeader,
  describeAction,
  formatAgreeMs,
  formatElapsed,
  labFacts,
  nodeCardView,
  nodeCardViews,
  nodeRanges,
  parseSnapshot,
  refusedText,
  sideClass,
  sideLetter,
  sideOfNode,
  sideViews,
  timelineRows,
  unsupportedNotice,
  unsupportedText,
  verdict,
} from '../../src/ui/lab/lab-view.ts';
import {
  NEEDS_TWO_GROUPS_TEXT,
  applyAvailability,
  assignGroup,
  cycleGroup,
  draftFromGroups,
  draftGroups,
  groupsText,
  isGroupLetter,
  isolatePreset,
  sameGroups,
  splitLabel,
  splitPreset,
  syncDraft,
} from '../../src/ui/lab/partition.ts';

const NOW = 1_700_000_000_000;

/** A running follower of `leader` that hears everyone. */
function node(id: number, overrides: Partial<LabNodeSnapshot> = {}): LabNodeSnapshot {
  return {
    id,
    condition: 'running',
    role: 'follower',
    term: 3,
    leader: 5,
    quorum: { have: 5, need: 3 },
    ip: `10.77.1.${id}`,
    lastEvent: 'leader',
    lastEventAt: NOW - 2_500,
    stalledUntil: null,
    dashboard: `./nodes/${id}/`,
    ...overrides,
  };
}

/** Five nodes, n5 leading, the network whole; `change` edits the nodes before the view is judged. */
function lab(options: { nodes?: LabNodeSnapshot[]; groups?: number[][]; pending?: LabSnapshot['pending']; timeline?: LabTimelineEntry[]; mode?: LabSnapshot['mode'] } = {}): LabSnapshot {
  const nodes = options.nodes ?? [1, 2, 3, 4, 5].map((id) => node(id, id === 5 ? { role: 'leader' } : {}));
  const groups = options.groups ?? [];
  const netns = (options.mode ?? 'netns') === 'netns';
  return {
    mode: options.mode ?? 'netns',
    modeReason: netns ? 'root: one network namespace per node' : 'not root',
    voters: nodes.length,
    heartbeatMs: 100,
    memberBeatMs: 1000,
    timeoutMs: 500,
    nodes,
    groups,
    lossPercent: 0,
    view: clusterView(nodes, groups, nodes.length),
    pending: options.pending ?? null,
    timeline: options.timeline ?? [],
    supports: { unplug: netns, partition: netns, loss: netns },
  };
}

function entry(ts: number, kind: LabTimelineEntry['kind'], text: string, durationMs: number | null = null, nodeId: number | null = null): LabTimelineEntry {
  return { ts, kind, text, node: nodeId, durationMs };
}

describe('lab formatting', () => {
  it('collapses runs of three or more IDs', () => {
    assert.equal(nodeRanges([]), 'none');
    assert.equal(nodeRanges([3]), 'n3');
    assert.equal(nodeRanges([1, 2]), 'n1, n2');
    assert.equal(nodeRanges([3, 4, 5]), 'n3–n5');
    assert.equal(nodeRanges([7, 1, 3, 5, 6]), 'n1, n3, n5–n7');
    assert.equal(nodeRanges([4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24]), 'n4–n6, n8–n19, n21–n24');
    assert.equal(nodeRanges([2, 2, 1]), 'n1, n2', 'duplicates once');
  });

  it('counts elapsed time in tenths of a second, rounded down', () => {
    assert.equal(formatElapsed(0), '0.0 s');
    assert.equal(formatElapsed(849), '0.8 s');
    assert.equal(formatElapsed(1_250), '1.2 s');
    assert.equal(formatElapsed(59_999), '59.9 s');
    assert.equal(formatElapsed(125_000), '2 min');
    assert.equal(formatElapsed(-300), '0.0 s', 'a clock a little ahead never shows a negative wait');
    assert.equal(formatElapsed(null), '—');
  });

  it('writes agreement times in exact milliseconds up to 10 s', () => {
    assert.equal(formatAgreeMs(1012), '1012 ms');
    assert.equal(formatAgreeMs(87.4), '87 ms');
    assert.equal(formatAgreeMs(9_999), '9999 ms');
    assert.equal(formatAgreeMs(12_340), '12 s');
    assert.equal(formatAgreeMs(null), '—');
  });

  it('names sides by letter, and nodes in no group by the letter after the last group', () => {
    assert.equal(sideLetter(0), 'A');
    assert.equal(sideLetter(2), 'C');
    assert.equal(sideLetter(26), 'G27');
    assert.equal(sideOfNode(3, []), '');
    assert.equal(sideOfNode(3, [[1, 2], [3, 4, 5]]), 'B');
    assert.equal(sideOfNode(5, [[1, 2]]), 'B');
    assert.equal(sideClass('A'), 'side-A');
    assert.equal(sideClass('C'), 'side-C');
    assert.equal(sideClass('D'), 'side-other');
  });

  it('describes every action in words', () => {
    assert.equal(describeAction({ action: 'kill', node: 3 }), 'Kill n3');
    assert.equal(describeAction({ action: 'restart', node: 3 }), 'Restart n3');
    assert.equal(describeAction({ action: 'unplug', node: 2 }), 'Unplug n2');
    assert.equal(describeAction({ action: 'replug', node: 2 }), 'Replug n2');
    assert.equal(describeAction({ action: 'stall', node: 4, ms: 3000 }), 'Stall n4 for 3.0 s');
    assert.equal(describeAction({ action: 'partition', groups: [[1, 2], [3, 4, 5]] }), 'Partition A n1, n2 | B n3–n5');
    assert.equal(describeAction({ action: 'loss', percent: 20 }), 'Packet loss 20 %');
    assert.equal(describeAction({ action: 'heal' }), 'Heal everything');
    assert.equal(refusedText({ action: 'unplug', node: 2 }, 'not in loopback mode'), 'Unplug n2 refused: not in loopback mode');
    assert.equal(refusedText({ action: 'heal' }, undefined), 'Heal everything refused: no reason given');
  });

  it('states the lab in a few facts', () => {
    assert.deepEqual(labFacts({ ...lab(), memberBeatMs: 100 }), ['5 nodes', '5 voters', 'heartbeat 100 ms', 'timeout 500 ms']);
    // With the member rate: both rates, and the followers' longer limit of three member beats.
    assert.deepEqual(labFacts({ ...lab(), timeoutMs: 1_000, memberBeatMs: 1_000 }), ['5 nodes', '5 voters', 'rounds 100 ms', 'member beat 1 s', 'timeout 1.0 s / 3.0 s']);
    assert.deepEqual(labFacts({ ...lab(), timeoutMs: 5_000, memberBeatMs: 1_000 }).slice(2), ['rounds 100 ms', 'member beat 1 s', 'timeout 5.0 s']);
  });
});

describe('lab verdict', () => {
  it('says who coordinates when the cluster agrees', () => {
    const v = verdict(lab({ timeline: [entry(NOW - 5_000, 'action', 'kill n4'), entry(NOW - 3_988, 'agreed', 'agreed', 1012)] }), NOW);
    assert.equal(v.state, 'agreed');
    assert.equal(v.headline, 'Agreed: n5 is coordinator (term 3)');
    assert.equal(v.detail, 'agreed again after 1012 ms');
    assert.equal(v.partitioned, false);
    assert.equal(v.sides.length, 1);
    assert.equal(v.sides[0]!.title, 'Whole network');
    assert.equal(v.sides[0]!.letter, '');
    assert.equal(v.sides[0]!.text, 'n5 coordinator (term 3)');
    assert.equal(v.sides[0]!.count, '5 running · majority 3');
  });

  it('waits, with a running counter, while an action has not been agreed after', () => {
    const nodes = [1, 2, 3, 4].map((id) => node(id, { role: 'candidate', leader: null })).concat(node(5, { condition: 'down', role: null }));
    const v = verdict(lab({ nodes, pending: { action: 'kill n5', since: NOW - 1_230 } }), NOW);
    assert.equal(v.state, 'waiting');
    assert.equal(v.headline, 'Waiting for agreement… 1.2 s');
    assert.equal(v.detail, 'after: kill n5');
    assert.equal(v.announcement, 'Waiting for agreement', 'screen readers are not told every tenth of a second');
    assert.equal(v.sides[0]!.text, 'electing… not agreed yet');
  });

  it('waits without a counter when the nodes disagree but no action is pending', () => {
    const nodes = [1, 2, 3, 4, 5].map((id) => node(id, { leader: id < 3 ? 4 : 5, role: id === 5 ? 'leader' : 'follower' }));
    const v = verdict(lab({ nodes }), NOW);
    assert.equal(v.state, 'waiting');
    assert.equal(v.headline, 'Waiting for agreement…');
  });

  it('shouts about split brain, whatever else is going on', () => {
    const nodes = [1, 2, 3, 4, 5].map((id) => node(id, { role: id >= 4 ? 'leader' : 'follower', leader: id >= 4 ? id : 5 }));
    const v = verdict(lab({ nodes, pending: { action: 'heal', since: NOW - 100 } }), NOW);
    assert.equal(v.state, 'split-brain');
    assert.equal(v.headline, 'SPLIT BRAIN: 2 leaders');
    assert.match(v.detail ?? '', /n4 and n5 both act as coordinator/);
  });

  it('gives each side of a partition its letter, its quorum and its leader', () => {
    const nodes = [1, 2].map((id) => node(id, { leader: null, quorum: { have: 2, need: 3 } })).concat([3, 4, 5].map((id) => node(id, { role: id === 5 ? 'leader' : 'follower', term: 4 })));
    const snapshot = lab({ nodes, groups: [[1, 2], [3, 4, 5]] });
    const v = verdict(snapshot, NOW);
    assert.equal(v.state, 'agreed');
    assert.equal(v.partitioned, true);
    assert.equal(v.headline, 'Agreed: n5 is coordinator (term 4) on side B');
    assert.deepEqual(
      v.sides.map((s) => [s.title, s.membersText, s.canElect, s.leader, s.text]),
      [
        ['Side A', 'n1, n2', false, null, 'no quorum — cannot elect'],
        ['Side B', 'n3–n5', true, 5, 'n5 coordinator (term 4)'],
      ],
    );
    assert.equal(v.sides[0]!.tone, 'bad');
    assert.equal(v.sides[1]!.tone, 'good');
  });

  it('says when a minority side still follows, or is led by, the old coordinator', () => {
    const following = [1, 2].map((id) => node(id, { leader: 5 })).concat([3, 4, 5].map((id) => node(id, { leader: null, role: 'candidate' })));
    const a = sideViews(lab({ nodes: following, groups: [[1, 2], [3, 4, 5]] }));
    assert.equal(a[0]!.text, 'no quorum — still following n5');
    const leading = [1, 2].map((id) => node(id, { leader: 2, role: id === 2 ? 'leader' : 'follower' })).concat([3, 4, 5].map((id) => node(id, { leader: 5, role: id === 5 ? 'leader' : 'follower' })));
    const b = sideViews(lab({ nodes: leading, groups: [[1, 2], [3, 4, 5]] }));
    assert.equal(b[0]!.text, 'no quorum — n2 must step down');
  });

  it('agrees on no coordinator when too few voters run', () => {
    const nodes = [1, 2].map((id) => node(id, { leader: null })).concat([3, 4, 5].map((id) => node(id, { condition: 'down', role: null, leader: null })));
    const v = verdict(lab({ nodes }), NOW);
    assert.equal(v.state, 'agreed');
    assert.equal(v.headline, 'Agreed: no coordinator — no quorum');
    assert.equal(v.detail, '2 of 5 voters running; a majority needs 3.');
  });

  it('says so when no node runs at all', () => {
    const nodes = [1, 2, 3].map((id) => node(id, { condition: 'down', role: null }));
    const v = verdict(lab({ nodes }), NOW);
    assert.equal(v.headline, 'No node is running');
    assert.equal(v.sides.length, 0);
  });

  it('has a verdict before the first snapshot', () => {
    assert.equal(NO_SNAPSHOT_VERDICT.state, 'waiting');
    assert.deepEqual(NO_SNAPSHOT_VERDICT.sides, []);
  });

  it('finds the coordinator to isolate', () => {
    assert.equal(currentLeader(lab()), 5);
    const nodes = [1, 2, 3, 4, 5].map((id) => node(id, { leader: null, role: id === 4 ? 'leader' : 'candidate' }));
    assert.equal(currentLeader(lab({ nodes })), 4, 'a node that claims to lead, without agreement');
    const none = [1, 2, 3].map((id) => node(id, { leader: null, role: 'candidate' }));
    assert.equal(currentLeader(lab({ nodes: none })), null);
  });
});

describe('lab node cards', () => {
  it('links to the node\'s own dashboard only at the lab\'s own path', () => {
    assert.equal(nodeCardView(node(3), lab(), NOW).dashboard, './nodes/3/');
    for (const bad of [null, 'javascript:alert(1)', 'http://evil.example/', '//evil.example/nodes/3/', './nodes/3/../../x', './nodes/x/']) {
      assert.equal(nodeCardView(node(3, { dashboard: bad }), lab(), NOW).dashboard, null, String(bad));
    }
  });

  it('shows a running follower with Kill, Unplug and Stall', () => {
    const card = nodeCardView(node(3), lab(), NOW);
    assert.equal(card.label, 'n3');
    assert.equal(card.conditionText, 'running');
    assert.equal(card.conditionSymbol, '●');
    assert.equal(card.role, 'follower');
    assert.equal(card.term, '3');
    assert.equal(card.leaderText, '→ n5');
    assert.equal(card.quorumText, '5/3');
    assert.equal(card.quorumOk, true);
    assert.equal(card.lastEvent, 'leader');
    assert.equal(card.lastEventAgo, '2 s ago');
    assert.equal(card.isCoordinator, false);
    assert.equal(card.side, '');
    assert.deepEqual([card.power.name, card.cable.name, card.stall.name], ['Kill n3', 'Unplug n3', 'Stall n3']);
    assert.deepEqual([card.power.enabled, card.cable.enabled, card.stall.enabled], [true, true, true]);
    assert.deepEqual(card.stall.action, { action: 'stall', node: 3, ms: STALL_MS });
  });

  it('marks the coordinator, and what it believes', () => {
    const card = nodeCardView(node(5, { role: 'leader' }), lab(), NOW);
    assert.equal(card.isCoordinator, true);
    assert.equal(card.leaderText, '→ itself');
    assert.equal(nodeCardView(node(2, { leader: null }), lab(), NOW).leaderText, 'no leader');
  });

  it('turns Kill into Restart when the node is down, and says why the rest is off', () => {
    const card = nodeCardView(node(2, { condition: 'down', role: 'leader' }), lab(), NOW);
    assert.equal(card.power.name, 'Restart n2');
    assert.deepEqual(card.power.action, { action: 'restart', node: 2 });
    assert.equal(card.power.enabled, true);
    assert.equal(card.cable.enabled, false);
    assert.match(card.cable.why ?? '', /down/);
    assert.equal(card.stall.enabled, false);
    assert.equal(card.isCoordinator, false, 'a dead leader coordinates nothing');
    assert.equal(card.roleIsStale, true);
  });

  it('turns Unplug into Replug when the cable is out', () => {
    const card = nodeCardView(node(4, { condition: 'unplugged' }), lab(), NOW);
    assert.equal(card.cable.name, 'Replug n4');
    assert.deepEqual(card.cable.action, { action: 'replug', node: 4 });
    assert.equal(card.cable.enabled, true);
    assert.equal(card.power.name, 'Kill n4');
    assert.equal(card.conditionText, 'unplugged');
  });

  it('counts down a stall', () => {
    const card = nodeCardView(node(1, { condition: 'stalled', stalledUntil: NOW + 2_140 }), lab(), NOW);
    assert.equal(card.stalledLeft, 'resumes in 2.1 s');
    assert.equal(card.stall.enabled, false);
    assert.equal(card.stall.why, 'n1 is already stalled.');
  });

  it('disables Unplug in loopback mode, as the mode’s doing', () => {
    const card = nodeCardView(node(1), lab({ mode: 'loopback' }), NOW);
    assert.equal(card.cable.enabled, false);
    assert.equal(card.cable.unsupported, true);
    assert.equal(card.cable.why, unsupportedText('unplug', 'loopback'));
    assert.equal(card.power.enabled, true);
  });

  it('shows each node’s side during a partition', () => {
    const snapshot = lab({ groups: [[1, 2], [3, 4, 5]] });
    assert.deepEqual(
      nodeCardViews(snapshot, NOW).map((c) => c.side),
      ['A', 'A', 'B', 'B', 'B'],
    );
  });

  it('keeps ID order whatever order the nodes arrive in', () => {
    const nodes = [3, 1, 2].map((id) => node(id));
    assert.deepEqual(
      nodeCardViews(lab({ nodes }), NOW).map((c) => c.id),
      [1, 2, 3],
    );
  });

  it('has a label and a symbol for every condition', () => {
    for (const condition of ['running', 'down', 'unplugged', 'stalled', 'paused']) {
      const label = conditionLabel(condition);
      assert.equal(label.text, condition);
      assert.notEqual(label.symbol, '');
    }
    assert.equal(conditionLabel('weird').symbol, '?');
  });

  it('unknown quorum and term read as no value', () => {
    const card = nodeCardView(node(1, { quorum: null, term: null, lastEvent: null, lastEventAt: null }), lab(), NOW);
    assert.equal(card.quorumText, '—');
    assert.equal(card.quorumOk, null);
    assert.equal(card.term, '—');
    assert.equal(card.lastEvent, 'no event yet');
    assert.equal(card.lastEventAgo, '');
  });
});

describe('lab modes', () => {
  it('says once what loopback mode cannot do', () => {
    assert.equal(unsupportedNotice(lab()), null);
    const text = unsupportedNotice(lab({ mode: 'loopback' }));
    assert.match(text ?? '', /^Unplug, Partition and Packet loss are off in loopback mode/);
    assert.equal(
      unsupportedNotice({ mode: 'loopback', supports: { unplug: true, partition: true, loss: false } }),
      'Packet loss is off in loopback mode: it needs one network namespace per node, which only the netns mode has.',
    );
  });
});

describe('partition builder', () => {
  const ids = [1, 2, 3, 4, 5];

  it('starts from the partition in force', () => {
    assert.deepEqual(draftFromGroups(ids, []), { 1: 'A', 2: 'A', 3: 'A', 4: 'A', 5: 'A' });
    assert.deepEqual(draftFromGroups(ids, [[1, 2], [3, 4, 5]]), { 1: 'A', 2: 'A', 3: 'B', 4: 'B', 5: 'B' });
    assert.deepEqual(draftFromGroups(ids, [[5]]), { 1: 'B', 2: 'B', 3: 'B', 4: 'B', 5: 'A' }, 'the rest is one more group');
    assert.deepEqual(draftFromGroups(ids, [[1], [2], [3], [4]]), { 1: 'A', 2: 'B', 3: 'C', 4: 'C', 5: 'C' }, 'three groups at most');
  });

  it('follows the lab’s nodes, and returns the same draft when nothing changed', () => {
    const draft = draftFromGroups(ids, [[1, 2], [3, 4, 5]]);
    assert.equal(syncDraft(draft, ids), draft);
    assert.deepEqual(syncDraft(draft, [1, 2, 3, 6]), { 1: 'A', 2: 'A', 3: 'B', 6: 'A' });
  });

  it('assigns and cycles groups without touching the old draft', () => {
    const draft = draftFromGroups(ids, []);
    const moved = assignGroup(draft, 3, 'C');
    assert.equal(moved[3], 'C');
    assert.equal(draft[3], 'A');
    assert.equal(cycleGroup(draft, 1)[1], 'B');
    assert.equal(cycleGroup(moved, 3)[3], 'A');
    assert.equal(isGroupLetter('B'), true);
    assert.equal(isGroupLetter('D'), false);
  });

  it('isolates the leader', () => {
    assert.deepEqual(draftGroups(isolatePreset(ids, 5)!, ids), [[1, 2, 3, 4], [5]]);
    assert.equal(isolatePreset(ids, null), null);
    assert.equal(isolatePreset(ids, 9), null);
  });

  it('splits the lowest ⌊n/2⌋ IDs from the rest', () => {
    assert.deepEqual(draftGroups(splitPreset(ids), ids), [[1, 2], [3, 4, 5]]);
    assert.equal(splitLabel(5), 'Split 2 | 3');
    const many = Array.from({ length: 25 }, (_, i) => 25 - i);
    const groups = draftGroups(splitPreset(many), many);
    assert.equal(groups[0]!.length, 12);
    assert.deepEqual(groups[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(groups[1]!.length, 13);
    assert.equal(splitLabel(25), 'Split 12 | 13');
    assert.equal(splitLabel(4), 'Split 2 | 2');
  });

  it('produces the action’s groups: non-empty, in letter order, IDs ascending', () => {
    const draft = { 5: 'C', 1: 'C', 2: 'A', 3: 'A', 4: 'C' } as const;
    assert.deepEqual(draftGroups(draft, [5, 4, 3, 2, 1]), [[2, 3], [1, 4, 5]]);
  });

  it('applies only a real partition, and only where the mode can', () => {
    const whole = draftFromGroups(ids, []);
    assert.deepEqual(applyAvailability(whole, ids, true, 'x'), { enabled: false, why: NEEDS_TWO_GROUPS_TEXT });
    assert.deepEqual(applyAvailability(splitPreset(ids), ids, true, 'x'), { enabled: true, why: null });
    assert.deepEqual(applyAvailability(splitPreset(ids), ids, false, 'not in loopback'), { enabled: false, why: 'not in loopback' });
  });

  it('writes groups and compares them regardless of order', () => {
    assert.equal(groupsText([]), 'whole network');
    assert.equal(groupsText([[1, 2], [3, 4, 5]]), 'A n1, n2 | B n3–n5');
    assert.equal(sameGroups([[1, 2], [3, 4, 5]], [[5, 4, 3], [2, 1]]), true);
    assert.equal(sameGroups([[1, 2], [3, 4, 5]], [[1], [2, 3, 4, 5]]), false);
  });
});

describe('lab timeline and agreement times', () => {
  const timeline: LabTimelineEntry[] = [
    entry(NOW - 10_000, 'action', 'kill n5', null, 5),
    entry(NOW - 9_800, 'event', 'n4 suspects n5', null, 4),
    entry(NOW - 8_988, 'agreed', 'all agree: n4 coordinates', 1012),
    entry(NOW - 5_000, 'action', 'partition [1,2] | [3,4,5]'),
    entry(NOW - 4_200, 'warning', 'n4 lost its quorum', null, 4),
    entry(NOW - 3_600, 'agreed', 'all sides agree', 1400),
    entry(NOW - 2_000, 'event', 'n2 resumed', null, 2),
    entry(NOW - 1_500, 'agreed', 'agreed after n2 resumed', 500),
  ];

  it('lists the timeline newest first, with the agreement time up front', () => {
    const rows = timelineRows(timeline);
    assert.equal(rows.length, timeline.length);
    assert.equal(rows[0]!.text, 'agreed after n2 resumed');
    assert.equal(rows[0]!.headline, 'agreed again after 500 ms');
    assert.equal(rows.at(-1)!.kind, 'action');
    assert.equal(rows.at(-1)!.node, 'n5');
    assert.equal(rows.find((r) => r.kind === 'event')!.headline, null);
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'keys are unique');
  });

  it('keeps keys unique for identical entries and stable as old ones fall off', () => {
    const twice = [entry(NOW, 'event', 'same'), entry(NOW, 'event', 'same')];
    const keys = timelineRows(twice).map((r) => r.key);
    assert.notEqual(keys[0], keys[1]);
    const before = timelineRows(timeline).map((r) => r.key);
    const after = timelineRows(timeline.slice(1)).map((r) => r.key);
    assert.deepEqual(after, before.slice(0, -1));
  });

  it('shows a node’s own stall report as its own kind of row, apart from warnings', () => {
    const rows = timelineRows([entry(NOW - 500, 'stalled', 'n3 was frozen for 1987 ms, longer than its lease: it stopped leading while frozen', null, 3)]);
    assert.equal(rows[0]!.label, 'stalled');
    assert.equal(rows[0]!.tone, 'warn');
    assert.equal(rows[0]!.symbol, '❄\uFE0E');
    assert.equal(rows[0]!.node, 'n3');
    assert.notEqual(rows[0]!.label, timelineRows([entry(NOW, 'warning', 'x')])[0]!.label);
  });

  it('bounds the timeline', () => {
    const long = Array.from({ length: MAX_TIMELINE_ROWS + 50 }, (_, i) => entry(NOW + i, 'event', `e${i}`));
    const rows = timelineRows(long);
    assert.equal(rows.length, MAX_TIMELINE_ROWS);
    assert.equal(rows[0]!.text, `e${MAX_TIMELINE_ROWS + 49}`);
  });

  it('pairs each agreement time with the action it followed', () => {
    const rows = agreementRows(timeline);
    assert.deepEqual(
      rows.map((r) => [r.action, r.msText]),
      [
        ['agreed after n2 resumed', '500 ms'], // no action near NOW - 2000: its own text
        ['partition [1,2] | [3,4,5]', '1400 ms'],
        ['kill n5', '1012 ms'],
      ],
    );
    assert.ok(ACTION_MATCH_MS < 1000);
  });

  it('keeps the last ten, and sums them up', () => {
    const many = Array.from({ length: 14 }, (_, i) => entry(NOW + i * 1000, 'agreed', `a${i}`, 100 * (i + 1)));
    const rows = agreementRows(many);
    assert.equal(rows.length, 10);
    assert.equal(rows[0]!.ms, 1400);
    assert.deepEqual(agreementStats(rows), { median: '950 ms', min: '500 ms', max: '1400 ms' });
    assert.equal(agreementStats([]), null);
  });
});

describe('lab stream', () => {
  it('accepts a snapshot and skips anything else', () => {
    const snapshot = lab();
    assert.deepEqual(parseSnapshot(JSON.stringify(snapshot)), snapshot);
    assert.equal(parseSnapshot('not json'), null);
    assert.equal(parseSnapshot('null'), null);
    assert.equal(parseSnapshot('{"mode":"netns"}'), null);
    assert.equal(parseSnapshot(JSON.stringify({ ...snapshot, view: null })), null);
  });
});
