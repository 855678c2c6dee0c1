/**
 * `conclave watch` on a sixth test host beside five `conclave run` nodes on one bridge: the
 * leader is killed and restarted, the cluster split 2 | 3 and healed, the leader unplugged and
 * plugged back in, and the observer's record must name, for every node, the leader the node's
 * own log names, within one member beat (a follower's slow heartbeat carries its news) plus the
 * slack of a loaded machine. The observer's namespace must send no UDP datagram at all.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import { runCheck } from '../../src/cli/check-command.ts';
import type { NodeEvent } from '../../src/contract/events.ts';
import type { ObserverSnapshot } from '../../src/watch/observer.ts';
import type { WatchRecordLine } from '../../src/watch/record-line.ts';
import { Lab } from './lab.ts';
import { agreedAt } from '../helpers/agreed-at.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const MEMBER_BEAT_MS = 1000;
/** A loaded 2-core machine runs six processes here: a late beat or a late log line. */
const SLACK_MS = 600;
/** The observer's wall clock and the nodes' are the same machine's: a line may only be stamped a little apart. */
const SAME_CLOCK_SLACK_MS = 150;
/** On the observer namespace's own loopback: no other process is there. */
const PAGE_PORT = 7781;

// The 2 | 3 partition is an nftables rule.
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

/** UDP datagrams the namespace's kernel sent (/proc/net/snmp is per network namespace). */
function udpOutDatagrams(lab: Lab, ns: string): number {
  const lines = lab.exec(ns, ['cat', '/proc/net/snmp']).split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values![names!.indexOf('OutDatagrams')]);
}

/** The node's leader at `atMs` by its own log (its last line at or before then). */
function leaderAt(events: NodeEvent[], atMs: number): number | null | undefined {
  return events.filter((e) => e.ts <= atMs).at(-1)?.leader;
}

/** Whether the node's own log named `leader` at some moment within [fromMs, toMs]. */
function namedWithin(events: NodeEvent[], leader: number | null, fromMs: number, toMs: number): boolean {
  return leaderAt(events, fromMs) === leader || events.some((e) => e.ts >= fromMs && e.ts <= toMs && e.leader === leader);
}

describe('conclave watch on a sixth namespace', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('names each node\'s leader as its own log does, within a member beat, through a kill, a restart, a 2 | 3 partition and its healing, an unplug and a replug; sends nothing', { timeout: 180_000 }, async () => {
    const lab = Lab.create(5);
    let observer: ChildProcess | null = null;
    let pageObserver: ChildProcess | null = null;
    try {
      const host = lab.addHost('obs', 50);
      const before = udpOutDatagrams(lab, host.ns);
      const record = join(lab.dir, 'watch.jsonl');
      observer = spawn('ip', ['netns', 'exec', host.ns, process.execPath, CLI, 'watch', '--cluster', 'lab', '--cluster-size', '5', '--key-file', join(lab.dir, 'key'), '--interface', 'eth0', '--json', '--record', record], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      observer.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      observer.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => observer!.once('exit', (code) => resolve(code)));
      // A second observer beside it serves the page, on the namespace's loopback.
      const keyFlags = ['--cluster', 'lab', '--cluster-size', '5', '--key-file', join(lab.dir, 'key'), '--interface', 'eth0'];
      pageObserver = spawn('ip', ['netns', 'exec', host.ns, process.execPath, CLI, 'watch', ...keyFlags, '--page-port', String(PAGE_PORT)], { stdio: 'ignore' });
      const lines = (): WatchRecordLine[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WatchRecordLine);
      const observed = (id: number): WatchRecordLine | undefined => lines().filter((l) => l.node === id).at(-1);

      lab.startAll();
      await lab.waitFor('all agree on n5', () => lab.agreed() === 5, 15_000);
      await lab.waitFor('the observer sees all five follow n5', () => [1, 2, 3, 4, 5].every((id) => observed(id)?.leader === 5 && !observed(id)!.silent), 5000);

      // The page's observer times disagreements only once it could have heard every voter.
      const pageSnapshot = (): ObserverSnapshot => JSON.parse(lab.exec(host.ns, [process.execPath, '-e', `fetch('http://127.0.0.1:${PAGE_PORT}/api/watch/snapshot').then((r) => r.text()).then((t) => process.stdout.write(t), () => process.stdout.write('null'))`])) as ObserverSnapshot;
      await lab.waitFor('the page\'s observer to have heard every voter', () => pageSnapshot()?.warmingUp === false, 10_000);

      const killedAt = Date.now();
      await lab.signal(5, 'SIGKILL');
      await lab.waitFor('survivors agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 10_000);
      await lab.waitFor(`the observer sees n1..n4 follow n4 and n5 silent\n${stderr}`, () => [1, 2, 3, 4].every((id) => observed(id)?.leader === 4) && observed(5)?.silent === true, 5000);

      const page = pageSnapshot();
      assert.deepEqual(page.view.sides, [{ members: [1, 2, 3, 4], canElect: true, leader: 4, agreed: true }], 'the page\'s verdict');
      assert.deepEqual(page.cards.map((c) => c.heard), ['live', 'live', 'live', 'live', 'silent']);
      const settled = page.timeline.find((e) => e.kind === 'settled' && e.ts > killedAt);
      assert.ok(settled !== undefined, 'the failover is timed on the page');
      // The page's settle time against the nodes' own logs: the last survivor to name n4 named it
      // at most a member beat before the observer heard it say so.
      const agreedByLogs = agreedAt(lab, [1, 2, 3, 4], 4, killedAt);
      console.log(`page: settled ${settled.durationMs} ms after its first sign, ${settled.ts - killedAt} ms after the kill; the nodes' logs agreed ${agreedByLogs - killedAt} ms after it`);
      assert.ok(settled.ts >= agreedByLogs - SAME_CLOCK_SLACK_MS && settled.ts <= agreedByLogs + MEMBER_BEAT_MS + SLACK_MS, `the page settled at ${settled.ts - killedAt} ms, the logs at ${agreedByLogs - killedAt} ms`);
      const gaps = page.cards.filter((c) => c.beatGaps !== null).map((c) => `n${c.id} ${c.beatGaps!.lastMs}/${c.beatGaps!.meanMs}/${c.beatGaps!.maxMs} ms (${c.beatGaps!.count})`);
      console.log(`page: beat gaps last/mean/max (count): ${gaps.join(', ')}`);
      assert.ok(page.cards.slice(0, 4).every((c) => c.beatGaps !== null && c.beatGaps.maxMs >= c.beatGaps.meanMs), 'each live node\'s beat gaps are measured');

      // n5 restarts on its disk and takes over after its damping period.
      lab.start(5);
      await lab.waitFor('n5 leads again', () => lab.agreed() === 5, 15_000);
      await lab.waitFor('the observer sees all five follow n5', () => [1, 2, 3, 4, 5].every((id) => observed(id)?.leader === 5 && !observed(id)!.silent), 5000);

      // A 2 | 3 partition. The observer, on the switch, hears both sides: the minority elects nobody.
      lab.partition([[1, 2], [3, 4, 5]]);
      await lab.waitFor('n1 and n2 know no coordinator', () => lab.latest(1)!.leader === null && lab.latest(2)!.leader === null, 10_000);
      const split = [{ members: [1, 2], canElect: false, leader: null, agreed: true }, { members: [3, 4, 5], canElect: true, leader: 5, agreed: true }];
      await lab.waitFor(`the page shows both sides, the minority without a coordinator: ${JSON.stringify(pageSnapshot()?.view.sides)}`, () => isDeepStrictEqual(pageSnapshot()?.view.sides, split), 10_000);
      lab.heal();
      const whole = [{ members: [1, 2, 3, 4, 5], canElect: true, leader: 5, agreed: true }];
      await lab.waitFor('the page shows one side again, led by n5', () => isDeepStrictEqual(pageSnapshot()?.view.sides, whole), 10_000);

      // Unplugged, a machine is silent to the observer too; plugged back in, it preempts again.
      lab.unplug(5);
      await lab.waitFor('n1..n4 agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 10_000);
      await lab.waitFor('the observer sees n1..n4 follow n4 and n5 silent', () => [1, 2, 3, 4].every((id) => observed(id)?.leader === 4) && observed(5)?.silent === true, 5000);
      lab.replug(5);
      await lab.waitFor('n5 leads again once replugged', () => lab.agreed() === 5, 15_000);
      await lab.waitFor('the observer sees all five follow n5 again', () => [1, 2, 3, 4, 5].every((id) => observed(id)?.leader === 5 && !observed(id)!.silent), 5000);

      observer.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      observer = null;

      const seen = lines();
      assert.equal(readFileSync(record, 'utf8'), stdout, '--record writes what --json prints');
      // The recording, checked as `conclave check watch.jsonl` reads it: no two leaders heard.
      const checked = runCheck([record]);
      console.log(checked.output.split('\n').filter((l) => /Safety|OVERLAP|TERM|failover|→|Without|ms: from/.test(l)).join('\n'));
      assert.equal(checked.code, 0, checked.output);
      // Every line the observer wrote names a leader the node itself named within a member beat before it.
      for (const line of seen.filter((l) => !l.silent)) {
        const { events } = lab.node(line.node);
        assert.ok(
          namedWithin(events, line.leader, line.ts - MEMBER_BEAT_MS - SLACK_MS, line.ts + SAME_CLOCK_SLACK_MS),
          `observer: n${line.node} follows ${line.leader} at ${line.ts}; its log: ${JSON.stringify(events.filter((e) => Math.abs(e.ts - line.ts) < 3000).map((e) => [e.ts, e.event, e.leader]))}`,
        );
      }
      // And each survivor's new leader reached the observer within a member beat of the node naming it.
      const delays: string[] = [];
      for (const id of [1, 2, 3, 4]) {
        const namedAt = lab.node(id).events.find((e) => e.ts >= killedAt && e.leader === 4)!.ts;
        const seenAt = seen.find((l) => l.node === id && l.ts >= killedAt && l.leader === 4)!.ts;
        delays.push(`n${id} ${seenAt - namedAt} ms`);
        assert.ok(seenAt - namedAt >= -SAME_CLOCK_SLACK_MS && seenAt - namedAt <= MEMBER_BEAT_MS + SLACK_MS, `n${id}: named n4 at ${namedAt}, observer saw it at ${seenAt}`);
      }
      const silentAt = seen.find((l) => l.node === 5 && l.silent)!.ts;
      console.log(`observer: new leader seen after the node named it: ${delays.join(', ')}; n5 silent ${silentAt - killedAt} ms after the kill`);
      assert.equal(udpOutDatagrams(lab, host.ns) - before, 0, 'the observer\'s namespace sent no UDP datagram');
      // The counter counts in these namespaces: a node's shows its heartbeats.
      assert.ok(udpOutDatagrams(lab, lab.node(1).ns) > 0, 'a node\'s namespace counts its sends');
    } finally {
      observer?.kill('SIGKILL');
      pageObserver?.kill('SIGKILL');
      lab.destroy();
    }
  });
});
