/**
 * Five real `conclave run` processes on test hosts made of network namespaces: cold start,
 * kill -9, unplugged cable, partitions, healing, loss, restarts, hostile datagrams. Every test
 * ends by checking all the JSON logs: no two leader intervals overlap, no term goes back, no
 * node votes twice in a term.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertDurableTermsAndVotes, assertLogFilesPass, assertNoOverlap } from './checks.ts';
import { KEY, Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { agreedAt } from '../helpers/agreed-at.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const TIMEOUT = 1000;
const LEASE = 900;
const HEARTBEAT = 100;
const ANSWER_TIMEOUT = 200;
/**
 * A crash's failover as docs/protocol.md describes it: the followers' promise ends a timeout
 * after the last lease round they heard (before the kill); the highest survivor then campaigns at
 * once, or after one answer timeout if it still counted the dead leader as alive; a pre-vote and
 * a vote, each resent after a heartbeat if lost: T + A + 2H, 1.4 s (measured: 917 to 1019 ms,
 * docs/cli.md). One extra timeout anywhere makes it 2T at least: that is the bound, which leaves a
 * loaded 2-core machine 600 ms.
 */
const CRASH_FAILOVER_BOUND_MS = 2 * TIMEOUT;
/**
 * The leader's step-down timer fires at its lease's end; one that fires half a timeout late or
 * more the node itself reports as a stall (`stalled`). Lateness below that is the machine's.
 */
const STEP_DOWN_BOUND_MS = LEASE + TIMEOUT / 2;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const measured: string[] = [];

/**
 * Runs a scenario on a fresh lab of `size`, then the log checks: on the lab's record of each
 * process, and as `conclave check` on the nodes' log files; always tears the lab down.
 */
async function withLab(size: number, scenario: (lab: Lab) => Promise<void>, clusterSize = size): Promise<void> {
  const lab = Lab.create(size, clusterSize);
  try {
    await scenario(lab);
    assertNoOverlap(lab);
    assertDurableTermsAndVotes(lab);
    const { changes, apparentOffset } = assertLogFilesPass(lab);
    const described = changes.map((c) => `${c.kind} ${c.next.node} ${Math.round(c.electedAfterMs)}/${c.allNamedAfterMs === null ? '-' : Math.round(c.allNamedAfterMs)} ms`);
    // One clock: any apparent offset is a vote line written late (the process descheduled).
    measured.push(`conclave check on the files: clean; elected/named by all: ${described.join(', ') || 'no election'}; apparent clock offset ${apparentOffset?.offsetMs ?? 0} ms`);
  } finally {
    lab.destroy();
  }
}

/** Starts every node and waits until all agree on `expected`. */
async function coldStart(lab: Lab, expected: number, flags: string[] = []): Promise<number> {
  lab.startAll(flags);
  return lab.waitFor(`all agree on n${expected}`, () => lab.agreed() === expected, 10_000);
}

/** Each node's events since `since`, a line each, for a failure's message. */
function eventsSince(lab: Lab, ids: number[], since: number): string {
  return ids.flatMap((id) => lab.node(id).events.filter((e) => e.ts >= since - 200).map((e) => `n${id} ${JSON.stringify(e)}`)).join('\n');
}

describe('a five-node cluster on network namespaces', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  after(() => {
    if (measured.length > 0) console.log(`measured (heartbeat ${HEARTBEAT} ms, timeout ${TIMEOUT} ms, lease ${LEASE} ms):\n  ${measured.join('\n  ')}`);
  });

  it('cold start: all five agree on the highest ID, in one term; kill -9 of the leader: the next-highest', async () => {
    await withLab(5, async (lab) => {
      const coldMs = await coldStart(lab, 5);
      assert.deepEqual(new Set(lab.nodes.map((n) => lab.latest(n.id)!.term)), new Set([1]), 'one term');
      measured.push(`cold start to agreed leader: ${coldMs} ms`);

      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 100));
      const killedAt = Date.now();
      await lab.signal(5, 'SIGKILL');
      await lab.waitFor('survivors agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 5000);
      const failoverMs = agreedAt(lab, [1, 2, 3, 4], 4, killedAt) - killedAt;
      measured.push(`kill -9 failover: ${failoverMs} ms`);
      assert.ok(failoverMs <= CRASH_FAILOVER_BOUND_MS, `failover took ${failoverMs} ms, more than ${CRASH_FAILOVER_BOUND_MS}; since the kill:\n${eventsSince(lab, [1, 2, 3, 4], killedAt)}`);

      // Restarted with its persisted state: the term does not go back; it takes over after damping.
      const termBefore = lab.latest(4)!.term;
      lab.start(5);
      await lab.waitFor('n5 started', () => lab.node(5).current.some((e) => e.event === 'started'), 5000);
      const started = lab.node(5).current.find(isEvent('started'));
      assert.ok(started !== undefined && 'persistedTerm' in started);
      assert.equal(started.persistedTerm, 1);
      await lab.waitFor('n5 leads again', () => lab.agreed() === 5, 10_000);
      assert.ok(lab.latest(5)!.term > termBefore);
    });
  });

  it('unplugging the leader: it steps down by itself within its lease, and the others elect the next', async () => {
    await withLab(5, async (lab) => {
      await coldStart(lab, 5);
      const unpluggedAt = Date.now();
      lab.unplug(5);
      // The link is surely down once `ip` returned (it may take a while to start on a loaded
      // machine): no round sent after this is acknowledged.
      const cutAt = Date.now();
      await lab.waitFor('survivors agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 5000);
      await lab.waitFor('n5 knows no leader', () => lab.latest(5)!.leader === null, 3000);
      const demoted = lab.node(5).events.filter(isEvent('demoted')).find((e) => e.ts >= unpluggedAt)!;
      const stepDownMs = demoted.ts - cutAt;
      const failoverMs = agreedAt(lab, [1, 2, 3, 4], 4, unpluggedAt) - unpluggedAt;
      measured.push(`unplug failover: ${failoverMs} ms; the unplugged leader stepped down ${stepDownMs} ms after the cut`);
      // Its lease ends at most LEASE after the last round sent before the cut.
      assert.ok(stepDownMs < STEP_DOWN_BOUND_MS, `stepped down ${stepDownMs} ms after the cut (lease ${LEASE} ms)`);
      assert.equal(demoted.reason, 'lease-expired');
      const elected = lab.node(4).events.find((e) => e.ts >= unpluggedAt && e.event === 'elected')!;
      assert.ok(elected.ts > demoted.ts, 'the old leader let go before the new one took over');

      lab.replug(5);
      await lab.waitFor('n5 preempts after the damping period', () => lab.agreed() === 5, 10_000);
    });
  });

  it('partitions 3|2 and 2|2|1: only a majority elects; healing gives one leader, the highest', async () => {
    await withLab(5, async (lab) => {
      await coldStart(lab, 5);
      lab.partition([[1, 2, 3], [4, 5]]);
      await lab.waitFor('the majority agrees on n3', () => lab.agreed([1, 2, 3]) === 3, 5000);
      await lab.waitFor('the minority knows no leader', () => lab.latest(4)!.leader === null && lab.latest(5)!.leader === null, 3000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const id of [4, 5]) {
        const { leader, quorum, role } = lab.latest(id)!;
        assert.equal(leader, null, `n${id} has no leader`);
        assert.notEqual(role, 'leader');
        assert.ok(quorum.have < quorum.need, `n${id} reports no quorum (${quorum.have}/${quorum.need})`);
      }
      assert.equal(lab.agreed([1, 2, 3]), 3);

      lab.partition([[1, 2], [3, 4], [5]]);
      await lab.waitFor('nobody leads', () => lab.nodes.every((n) => lab.latest(n.id)!.leader === null), 5000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.ok(lab.nodes.every((n) => lab.latest(n.id)!.role !== 'leader'));

      lab.heal();
      await lab.waitFor('one leader again, the highest', () => lab.agreed() === 5, 8000);
    });
  });

  it('20% packet loss: still exactly one leader, and a failover still completes', async () => {
    await withLab(5, async (lab) => {
      await coldStart(lab, 5);
      lab.loss(20);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(lab.agreed(), 5);
      const killedAt = Date.now();
      await lab.signal(5, 'SIGKILL');
      const failoverMs = await lab
        .waitFor('survivors agree on n4 under loss', () => lab.agreed([1, 2, 3, 4]) === 4, 8000)
        .catch((error: Error) => assert.fail(`${error.message}\nevents since the kill:\n${eventsSince(lab, [1, 2, 3, 4], killedAt)}`));
      measured.push(`kill -9 at 20% loss: survivors agreed ${failoverMs} ms after the kill`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(lab.agreed([1, 2, 3, 4]), 4);
    });
  });

  it('SIGTERM: the leader resigns, exits 0, and its successor is elected at once', async () => {
    await withLab(5, async (lab) => {
      await coldStart(lab, 5);
      // A resigning coordinator names the highest peer that can lead and acknowledged it just now.
      // A node whose process started late may follow n5 before it hears a quorum (seen on a loaded
      // machine: n5 resigned 90 ms after n4 started, named n3, and n4 preempted n3 3 s later): the
      // rule working, not this test's case. So n4 first hears every peer (it can lead), and its
      // can_lead news and a few acknowledged rounds reach n5.
      const heardBy4 = (): Set<number> => new Set(lab.node(4).events.filter(isEvent('peer-joined')).map((e) => e.peer));
      await lab.waitFor('n4 hears every peer', () => [1, 2, 3, 5].every((id) => heardBy4().has(id)), 5000);
      await new Promise((resolve) => setTimeout(resolve, 5 * HEARTBEAT));
      const stoppedAt = Date.now();
      assert.equal(await lab.signal(5, 'SIGTERM'), 0);
      await lab.waitFor('survivors agree on n4', () => lab.agreed([1, 2, 3, 4]) === 4, 3000);
      const handoverMs = agreedAt(lab, [1, 2, 3, 4], 4, stoppedAt) - stoppedAt;
      measured.push(`SIGTERM handover: ${handoverMs} ms`);
      // Elected on the resignation (its successor named), not after the promise ran out (a failover).
      const elected = lab.node(4).events.filter(isEvent('elected')).filter((e) => e.ts >= stoppedAt);
      assert.deepEqual(elected.map((e) => e.cause), ['resignation'], `n4's elections after the SIGTERM (${handoverMs} ms):\n${eventsSince(lab, [1, 2, 3, 4, 5], stoppedAt)}`);
      assert.ok(handoverMs < TIMEOUT, `handover took ${handoverMs} ms, as long as a failover`);
      assert.equal(lab.node(5).events.find((e) => e.event === 'demoted')?.reason, 'stopping');
    });
  });

  it('garbage, unauthenticated, foreign, replayed and impostor datagrams: dropped and counted, nothing changes', async () => {
    await withLab(5, async (lab) => {
      await coldStart(lab, 5);
      const before = lab.nodes.map((n) => lab.latest(n.id)!.term);
      const host = lab.addHost('evil', 200);
      const result = spawnSync('ip', ['netns', 'exec', host.ns, process.execPath, '--import', 'tsx', 'test/net/inject.ts', host.ip, KEY], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 45_000,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /replayed [1-9]/, 'it captured datagrams to replay');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(lab.running(), [1, 2, 3, 4, 5], 'no node crashed');
      assert.equal(lab.agreed(), 5, 'the leader did not change');
      assert.deepEqual(lab.nodes.map((n) => lab.latest(n.id)!.term), before, 'no term changed');
      const reasons = new Set<string>(lab.node(1).events.filter(isEvent('dropped')).map((e) => e.reason));
      for (const reason of ['oversized', 'unauthenticated', 'bad-mac', 'foreign-cluster', 'replayed', 'impostor']) {
        assert.ok(reasons.has(reason), `n1 counted "${reason}" drops (it saw: ${[...reasons].join(', ')})`);
      }
      assert.ok([...reasons].some((r) => ['malformed', 'truncated', 'missing-body', 'bad-field', 'bad-version'].includes(r)), 'garbage counted');
      // Garbage claims no node ID; its line names the host it came from.
      const garbage = lab.node(1).events.filter(isEvent('dropped')).filter((e) => e.from === null);
      assert.ok(garbage.length > 0 && garbage.every((e) => String(e.source).startsWith(`${host.ip}:`)), `sources: ${garbage.map((e) => e.source).join(', ')}`);
    });
  });

  it('a second process on the same data directory refuses to start; a corrupt state file stops a node with its name', async () => {
    await withLab(3, async (lab) => {
      lab.start(1);
      await lab.waitFor('n1 started', () => lab.node(1).current.some((e) => e.event === 'started'), 5000);
      const node = lab.node(1);
      const cli = (extra: string[]) =>
        spawnSync('ip', ['netns', 'exec', node.ns, process.execPath, join(ROOT, 'bin/conclave.js'), 'run', '--id', '1', '--cluster-size', '3', '--interface', 'eth0', ...extra], { encoding: 'utf8' });
      const second = cli(['--data-dir', join(lab.dir, 'n1'), '--key-file', join(lab.dir, 'key')]);
      assert.equal(second.status, 1);
      assert.match(second.stderr, /in use by another conclave process \(PID \d+\)/);

      writeFileSync(join(lab.dir, 'n2-state'), '');
      const corruptDir = join(lab.dir, 'corrupt');
      spawnSync('mkdir', ['-p', corruptDir]);
      writeFileSync(join(corruptDir, 'state.json'), '{"format":1,"nodeId":1,"term":7,');
      const corrupt = cli(['--data-dir', corruptDir, '--key-file', join(lab.dir, 'key')]);
      assert.equal(corrupt.status, 1);
      assert.match(corrupt.stderr, new RegExp(`${corruptDir}/state.json: is corrupt`));
    });
  });

  it('two live processes with one ID: both raise the duplicate-ID alarm, and neither leads', async () => {
    await withLab(4, async (lab) => {
      await coldStart(lab, 3);
      lab.start(4, [], 3); // a second node 3, on another host
      await lab.waitFor('both raise the alarm', () =>
        [3, 4].every((host) => lab.node(host).current.some((e) => e.event === 'alarm' && e.alarm === 'duplicate-id' && e.raised === true)), 5000);
      await lab.waitFor('n2 leads instead', () => lab.agreed([1, 2]) === 2, 5000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok([3, 4].every((host) => lab.latest(host)!.role !== 'leader'), 'no process with ID 3 leads');
      assert.equal(lab.agreed([1, 2]), 2);
      await lab.signal(4, 'SIGKILL');
      await lab.waitFor('the alarm clears and n3 takes over again', () => lab.agreed([1, 2, 3]) === 3, 10_000);
    }, 3);
  });

  it('serves Prometheus metrics', async () => {
    await withLab(3, async (lab) => {
      lab.startAll(['--metrics-port', '9464']);
      await lab.waitFor('n3 leads', () => lab.agreed() === 3, 8000);
      const scrape = (id: number): string => {
        const result = spawnSync('ip', ['netns', 'exec', lab.node(id).ns, process.execPath, '-e',
          "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))"], { encoding: 'utf8' });
        assert.equal(result.status, 0, result.stderr);
        return result.stdout;
      };
      const text = scrape(3);
      assert.match(text, /^conclave_role\{role="leader",node="3",cluster="lab"\} 1$/m);
      assert.match(text, /^conclave_term\{node="3",cluster="lab"\} 1$/m);
      assert.match(text, /^conclave_peers\{state="alive",node="3",cluster="lab"\} 2$/m);
      assert.match(text, /^conclave_datagrams_sent_total\{kind="heartbeat",node="3",cluster="lab"\} [1-9]/m);
      assert.match(text, /^conclave_datagrams_dropped_total\{reason="impostor",node="3",cluster="lab"\} 0$/m);
      assert.match(text, /^conclave_election_duration_seconds_count\{node="3",cluster="lab"\} 1$/m);

      // The two rates, on the real network: a follower answers each of the leader's rounds
      // (10 a second) but beats itself about once a second.
      const sentBy = (id: number, kind: string): number => {
        const metrics = scrape(id);
        return Number(new RegExp(`^conclave_datagrams_sent_total\\{kind="${kind}",node="${id}",cluster="lab"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
      };
      const before = { beats: sentBy(1, 'heartbeat'), acks: sentBy(1, 'lease-ack'), rounds: sentBy(3, 'heartbeat') };
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const beats = sentBy(1, 'heartbeat') - before.beats;
      const acks = sentBy(1, 'lease-ack') - before.acks;
      const rounds = sentBy(3, 'heartbeat') - before.rounds;
      measured.push(`in 3 s: the leader sent ${rounds} rounds; a follower ${acks} acknowledgements and ${beats} heartbeats`);
      assert.ok(rounds >= 20, `the leader beats at the fast rate: ${rounds} rounds in 3 s`);
      assert.ok(acks >= 20, `the follower acknowledges the rounds: ${acks} in 3 s`);
      // The protocol's bound, not a calm machine's: a regular beat a member beat (1 s), and at most
      // two greetings or news beats between two regular ones (docs/protocol.md, "Rates"), which a
      // loaded machine's flapping peers do send: (3 + 1) × 3 = 12, still far from 30 rounds.
      assert.ok(beats >= 1 && beats <= 12, `the follower beats at the slow rate: ${beats} heartbeats in 3 s`);
    });
  });

  it('hooks: they get the fencing token, run in order, and a hanging one is killed and reported', async () => {
    await withLab(3, async (lab) => {
      const out = join(lab.dir, 'hooks.log');
      const flags = (timeoutMs: number) => [
        '--on-elected', `echo "elected $CONCLAVE_ID $CONCLAVE_LEADER $CONCLAVE_TERM" >> ${out}; sleep 30`,
        '--on-demoted', `echo "demoted $CONCLAVE_ID $CONCLAVE_TERM" >> ${out}`,
        '--hook-timeout-ms', String(timeoutMs),
      ];
      lab.start(1, flags(10_000));
      lab.start(2, flags(10_000));
      lab.start(3, flags(500));
      await lab.waitFor('n3 leads', () => lab.agreed() === 3, 10_000);
      await lab.waitFor('its elected hook is killed after 500 ms', () =>
        lab.node(3).events.some((e) => e.event === 'hook' && e.hook === 'on-elected' && e.timedOut === true), 3000);
      assert.equal(await lab.signal(3, 'SIGTERM'), 0);
      await lab.waitFor('n2 leads, its elected hook sleeping', () => lab.agreed([1, 2]) === 2, 3000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Demoted while its on-elected hook still runs: that one is stopped, then on-demoted runs.
      assert.equal(await lab.signal(2, 'SIGTERM'), 0);
      const hookEvents = lab.node(2).events.filter((e) => e.event === 'hook');
      assert.deepEqual(hookEvents.map((e) => [e.hook, e.superseded]), [['on-elected', true], ['on-demoted', false]]);
      const log = readFileSync(out, 'utf8').trim().split('\n');
      assert.deepEqual(log, ['elected 3 3 1', 'demoted 3 1', 'elected 2 2 2', 'demoted 2 2']);
    });
  });
});
