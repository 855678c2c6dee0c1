/**
 * The lab's judgement, without a network: when a cluster counts as agreed (per side of a
 * partition), and the timing of "action → agreed again", over stand-in hosts whose nodes report
 * what the test says.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { clusterView, type LabNodeView } from '../../src/lab/cluster-view.ts';
import { DemoLab, type LabHosts } from '../../src/lab/demo-lab.ts';
import { parseLabAction } from '../../src/lab/lab-server.ts';
import type { NodeEvent } from '../../src/runtime/conclave-node.ts';

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

class StandInHosts implements LabHosts {
  readonly nodes: Array<{ id: number; ip: string; process: ChildProcess | null }>;
  onEvent: (id: number, event: NodeEvent) => void = () => {};
  onExit: (id: number, code: number | null, signal: NodeJS.Signals | null) => void = () => {};
  readonly calls: string[] = [];
  constructor(size: number) {
    this.nodes = Array.from({ length: size }, (_, i) => ({ id: i + 1, ip: `10.0.0.${i + 1}`, process: null }));
  }
  start(id: number): void {
    this.calls.push(`start ${id}`);
  }
  async signal(id: number, signal: NodeJS.Signals): Promise<number | null> {
    this.calls.push(`${signal} ${id}`);
    this.onExit(id, null, signal);
    return null;
  }
  unplug(id: number): void {
    this.calls.push(`unplug ${id}`);
  }
  replug(id: number): void {
    this.calls.push(`replug ${id}`);
  }
  partition(groups: number[][]): void {
    this.calls.push(`partition ${JSON.stringify(groups)}`);
  }
  loss(percent: number): void {
    this.calls.push(`loss ${percent}`);
  }
  heal(): void {
    this.calls.push('heal');
  }
  destroy(): void {
    this.calls.push('destroy');
  }
  say(id: number, role: string, leader: number | null, event = 'leader'): void {
    this.onEvent(id, { ts: Date.now(), event, id, role: role as NodeEvent['role'], term: 1, leader, quorum: { have: 3, need: 2 } });
  }
}

function lab(size = 3, supports = { unplug: true, partition: true, loss: true }): { lab: DemoLab; hosts: StandInHosts } {
  const hosts = new StandInHosts(size);
  return { hosts, lab: new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, timeoutMs: 1000, supports }) };
}

describe('demo lab', () => {
  it('times each action until the cluster agrees again', async () => {
    const { lab: l, hosts } = lab();
    l.startAll();
    for (const id of [1, 2]) hosts.say(id, 'follower', 3);
    assert.notEqual(l.snapshot().pending, null, 'not agreed before n3 says it leads');
    hosts.say(3, 'leader', 3, 'elected');
    assert.equal(l.snapshot().pending, null);
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

  it('takes only well-formed actions from the page', () => {
    assert.deepEqual(parseLabAction({ action: 'kill', node: 2 }), { action: 'kill', node: 2 });
    assert.deepEqual(parseLabAction({ action: 'partition', groups: [[1], [2, 3]] }), { action: 'partition', groups: [[1], [2, 3]] });
    for (const bad of [null, 'kill', { action: 'kill' }, { action: 'kill', node: -1 }, { action: 'kill', node: '2' }, { action: 'partition', groups: [[1, 'x']] }, { action: 'rm -rf' }, { action: 'loss', percent: 1.5 }]) {
      assert.equal(parseLabAction(bad), null, JSON.stringify(bad));
    }
  });
});
