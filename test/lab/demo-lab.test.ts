/**
 * The lab's judgement, without a network: when a cluster counts as agreed (per side of a
 * partition), and the timing of "action → agreed again", over stand-in hosts whose nodes report
 * what the test says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterView, type LabNodeView } from '../../src/lab/cluster-view.ts';
import { DemoLab } from '../../src/lab/demo-lab.ts';
import { parseLabAction } from '../../src/lab/lab-server.ts';
import type { LabNodeSnapshot, LabSnapshot } from '../../src/lab/messages.ts';
import type { LabDashboards } from '../../src/lab/node-dashboards.ts';
import { StandInHosts } from './stand-in-hosts.ts';
import { eventLine } from '../../src/contract/event-line.ts';
import type { DetailsOf } from '../../src/contract/events.ts';

const node = (id: number, role: string, leader: number | null, condition: LabNodeView['condition'] = 'running'): LabNodeView => ({
  id,
  condition,
  role,
  term: 1,
  leader,
  quorum: null,
});

describe('cluster view', () => {
  it('agrees when every running node names the same coordinator, which leads', () => {
    const view = clusterView([node(1, 'follower', 3), node(2, 'follower', 3), node(3, 'leader', 3)], [], 3);
    assert.equal(view.agreed, true);
    assert.deepEqual(view.sides, [{ members: [1, 2, 3], canElect: true, leader: 3, agreed: true }]);
    assert.deepEqual(view.leaders, [3]);
  });

  it('does not agree while the named coordinator is gone or someone disagrees', () => {
    assert.equal(clusterView([node(1, 'follower', 3), node(2, 'follower', 3), node(3, 'leader', 3, 'down')], [], 3).agreed, false);
    assert.equal(clusterView([node(1, 'follower', 2), node(2, 'leader', 2), node(3, 'follower', 3)], [], 3).agreed, false);
  });

  it('judges each side of a partition: a leader where a majority is, none elsewhere', () => {
    const groups = [[1, 2], [3, 4, 5]];
    const healthy = [node(1, 'follower', null), node(2, 'follower', null), node(3, 'follower', 5), node(4, 'follower', 5), node(5, 'leader', 5)];
    const view = clusterView(healthy, groups, 5);
    assert.equal(view.agreed, true);
    assert.deepEqual(view.sides.map((s) => [s.canElect, s.leader]), [[false, null], [true, 5]]);
    // The minority's old coordinator has not stepped down yet: not agreed, and two claim to lead.
    const stale = [node(1, 'leader', 1), ...healthy.slice(1)];
    const staleView = clusterView(stale, groups, 5);
    assert.equal(staleView.agreed, false);
    assert.deepEqual(staleView.leaders, [1, 5]);
  });

  it('counts an unplugged node that still says it leads (it could act), but not a frozen one', () => {
    const view = clusterView([node(1, 'leader', 1, 'unplugged'), node(2, 'leader', 2, 'stalled'), node(3, 'leader', 3)], [], 3);
    assert.deepEqual(view.leaders, [1, 3]);
  });
});

function lab(size = 3, supports = { unplug: true, partition: true, loss: true }): { lab: DemoLab; hosts: StandInHosts; said: string[] } {
  const hosts = new StandInHosts(size);
  const said: string[] = [];
  const onAgreed = (text: string): number => said.push(text);
  return { hosts, said, lab: new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000, supports, onAgreed }) };
}

describe('demo lab', () => {
  it('times each action until the cluster agrees again', async () => {
    const { lab: l, hosts, said } = lab();
    l.startAll();
    for (const id of [1, 2]) hosts.say(id, 'follower', 3);
    assert.notEqual(l.snapshot().pending, null, 'not agreed before n3 says it leads');
    hosts.say(3, 'leader', 3, 'elected');
    assert.equal(l.snapshot().pending, null);
    assert.match(l.snapshot().timeline.find((e) => e.kind === 'agreed')!.text, /^agreed again after \d+ ms \(start all nodes, \d+ ms after the last node's first line\): n3$/);
    assert.deepEqual(said, [l.snapshot().timeline.find((e) => e.kind === 'agreed')!.text], 'the demo prints it');
    assert.deepEqual(l.act({ action: 'kill', node: 3 }), { ok: true });
    assert.equal(l.snapshot().nodes[2]!.condition, 'down');
    assert.notEqual(l.snapshot().pending, null, 'the others still name the dead coordinator');
    await new Promise((resolve) => setTimeout(resolve, 30));
    hosts.say(2, 'leader', 2, 'elected');
    hosts.say(1, 'follower', 2);
    const snapshot = l.snapshot();
    assert.equal(snapshot.pending, null);
    const agreed = snapshot.timeline.filter((e) => e.kind === 'agreed');
    assert.equal(agreed.length, 2);
    assert.ok(agreed[1]!.durationMs! >= 25, `kill → agreed took ${agreed[1]!.durationMs} ms`);
    assert.match(agreed[1]!.text, /kill -9 n3.*n2/);
    // Unasked (a preemption, say): timed from the event that broke the agreement.
    hosts.say(2, 'follower', null, 'demoted');
    assert.match(l.snapshot().pending?.action ?? '', /n2 stops leading/);
    hosts.say(2, 'leader', 2, 'elected');
    assert.equal(l.snapshot().pending, null);
    await l.stop(0);
    assert.ok(hosts.calls.includes('destroy'));
  });

  it('refuses what cannot be done, and says why', async () => {
    const { lab: l } = lab(3, { unplug: false, partition: false, loss: false });
    l.startAll();
    assert.match(l.act({ action: 'restart', node: 1 }).error!, /n1 is running/);
    assert.match(l.act({ action: 'kill', node: 9 }).error!, /no node n9/);
    assert.match(l.act({ action: 'unplug', node: 1 }).error!, /needs? network namespaces/);
    assert.match(l.act({ action: 'partition', groups: [[1], [2, 3]] }).error!, /need network namespaces/);
    assert.match(l.act({ action: 'stall', node: 1, ms: 0 }).error!, /1 to 60000 ms/);
    await l.stop(0);
    const { lab: full } = lab(3);
    full.startAll();
    assert.match(full.act({ action: 'partition', groups: [[1, 2], [2, 3]] }).error!, /one group only/);
    assert.match(full.act({ action: 'partition', groups: [[1, 2, 3]] }).error!, /two non-empty groups/);
    assert.match(full.act({ action: 'loss', percent: 95 }).error!, /0 to 90/);
    await full.stop(0);
  });

  it('heals everything at once: partition, loss and cables', async () => {
    const { lab: l, hosts } = lab();
    l.startAll();
    l.act({ action: 'partition', groups: [[1], [2, 3]] });
    l.act({ action: 'loss', percent: 20 });
    l.act({ action: 'unplug', node: 2 });
    assert.equal(l.snapshot().nodes[1]!.condition, 'unplugged');
    l.act({ action: 'heal' });
    const snapshot = l.snapshot();
    assert.deepEqual([snapshot.groups, snapshot.lossPercent, snapshot.nodes[1]!.condition], [[], 0, 'running']);
    assert.deepEqual(hosts.calls.slice(-2), ['heal', 'replug 2']);
    await l.stop(0);
  });

  it('shows the quorum each node hears now, read from its own dashboard while a page watches, and links to that dashboard', async () => {
    const hosts = new StandInHosts(5);
    const heard = new Map<number, { have: number; need: number }>();
    const reads: number[] = [];
    const dashboards: LabDashboards = {
      flags: (id) => ['--dashboard-socket', `n${id}.sock`],
      quorum: async (id) => (reads.push(id), heard.get(id) ?? null),
      link: (id) => `./nodes/${id}/`,
    };
    const l = new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000, supports: { unplug: true, partition: true, loss: true }, dashboards });
    l.startAll();
    assert.ok(hosts.calls.includes('start 5 --dashboard-socket n5.sock'), hosts.calls.join('\n'));
    for (const id of [1, 2, 3, 4, 5]) hosts.say(id, 'follower', null, 'peer-joined', { have: 5, need: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(reads.length, 0, 'nobody watches: nothing is read');

    // What the page is sent, not just what the lab would say if asked.
    let published: LabSnapshot | null = null;
    const unsubscribe = l.subscribe((snapshot) => (published = snapshot));
    const n5 = (): LabNodeSnapshot | undefined => (published as LabSnapshot | null)?.nodes[4];
    const waitFor = async (what: string, condition: () => boolean): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!condition()) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: n5 shows ${JSON.stringify(n5()?.quorum)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    heard.set(5, { have: 5, need: 3 });
    await waitFor('a read of n5', () => reads.includes(5));
    // Elected by three votes of five: its event lines say 3/3, and none follows as all five
    // acknowledge; its dashboard says 5/3 throughout, as it did before the election.
    hosts.say(5, 'leader', 5, 'elected', { have: 3, need: 3 });
    for (const id of [1, 2, 3, 4]) hosts.say(id, 'follower', 5, 'leader', { have: 5, need: 3 });
    await waitFor('the 3/3 event on the page', () => n5()?.quorum?.have === 3);
    await waitFor('the quorum n5 hears now on the page', () => n5()?.quorum?.have === 5);
    assert.deepEqual(n5()?.quorum, { have: 5, need: 3 });
    assert.equal(n5()?.dashboard, './nodes/5/');
    // An event line newer than the last read wins until the next read.
    hosts.say(5, 'leader', 5, 'peer-dead', { have: 4, need: 3 });
    assert.deepEqual(l.snapshot().nodes[4]!.quorum, { have: 4, need: 3 });
    l.act({ action: 'kill', node: 5 });
    assert.equal(l.snapshot().nodes[4]!.dashboard, null, 'no link to a node that is down');
    unsubscribe();
    await l.stop(0);
  });

  it('takes only well-formed actions from the page', () => {
    assert.deepEqual(parseLabAction({ action: 'kill', node: 2 }), { action: 'kill', node: 2 });
    assert.deepEqual(parseLabAction({ action: 'partition', groups: [[1], [2, 3]] }), { action: 'partition', groups: [[1], [2, 3]] });
    for (const bad of [null, 'kill', { action: 'kill' }, { action: 'kill', node: -1 }, { action: 'kill', node: '2' }, { action: 'partition', groups: [[1, 'x']] }, { action: 'rm -rf' }, { action: 'loss', percent: 1.5 }]) {
      assert.equal(parseLabAction(bad), null, JSON.stringify(bad));
    }
  });
});

describe('demo lab: a node’s stall report', () => {
  it('puts it on the timeline with how long and what became of its lease', async () => {
    const hosts = new StandInHosts(3);
    const l = new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000, supports: { unplug: true, partition: true, loss: true } });
    l.startAll();
    const stalled = (id: number, details: DetailsOf<'stalled'>): void => hosts.onEvent(id, eventLine({ id, role: 'leader', term: 1, leader: null, quorum: { have: 1, need: 2 } }, 'stalled', details));
    stalled(3, { durationMs: 1987, wasLeader: true, leaseLost: true, leaseEndedAt: Date.now() - 1100 });
    stalled(1, { durationMs: 640, wasLeader: false, leaseLost: false, leaseEndedAt: null });
    const rows = l.snapshot().timeline.filter((e) => e.kind === 'stalled');
    assert.deepEqual(rows.map((e) => [e.node, e.text]), [
      [3, 'n3 was frozen for 1987 ms, longer than its lease: it stopped leading while frozen'],
      [1, 'n1 was frozen for 640 ms'],
    ]);
    await l.stop(0);
  });
});
