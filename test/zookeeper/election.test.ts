/**
 * The ZooKeeper backend against a real ZooKeeper server (Debian's package): real `conclave run
 * --backend zookeeper://…` processes, in both modes. Every test ends by checking all the JSON
 * logs: no two nodes ever led at the same time.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect } from 'playwright/test';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { chromiumMissing, launchIn, watchForErrors } from '../net/browser.ts';
import { assertLogFilesPass, assertNoOverlap } from '../net/checks.ts';
import { ZkServer, zooKeeperMissing } from './zk-server.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { agreedAt } from '../helpers/agreed-at.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/conclave.js');
const ARTIFACTS = join(ROOT, 'test-artifacts/dashboard');
const SESSION_MS = 1000;
const TICK_MS = 200;
/**
 * A failover that goes wrong costs at least one more session timeout (a successor that waits for
 * an expiry of its own, or misses the watch and the refreshes); a right one takes a timeout, a
 * tick and a round trip. Bounds just below that extra timeout leave the JVM server, its expiry
 * thread and the nodes most of a second on a loaded 2-core machine; the figures are printed.
 */
const WRONG_FAILOVER_MS = 2 * SESSION_MS;
const measured: string[] = [];

/** Three nodes electing through `zk` under `path`, started and stopped by PID. */
function zkLab(zk: ZkServer, path: string, mode: 'bully' | 'fair', size = 3): NetnsLab {
  return NetnsLab.create(size, size, {
    mode: 'loopback',
    command: ({ nodeId, flags }) => [
      process.execPath, '--enable-source-maps', CLI, 'run', '--id', String(nodeId), '--backend', zk.url(path, mode),
      '--timeout-ms', String(SESSION_MS), '--cluster', 'lab', '--json', ...flags,
    ],
  });
}

async function startInOrder(lab: NetnsLab, order: number[]): Promise<void> {
  for (const id of order) {
    lab.start(id);
    await lab.waitFor(`n${id} registered`, () => lab.node(id).current.some((e) => e.event === 'registered'), 15_000);
  }
}

function electedToken(lab: NetnsLab, id: number, since = 0): number {
  const elected = lab.node(id).events.filter(isEvent('elected')).filter((e) => e.ts >= since).at(-1);
  assert.ok(elected !== undefined && 'token' in elected, `n${id} was elected through ZooKeeper`);
  return elected.token;
}

describe('ZooKeeper backend (a real ZooKeeper server)', { skip: skipUnlessCi(zooKeeperMissing()) }, () => {
  let zk: ZkServer;
  before(async () => {
    zk = await ZkServer.start({ tickMs: TICK_MS });
  });
  after(() => {
    zk?.destroy();
    if (measured.length > 0) console.log(`measured (session timeout ${SESSION_MS} ms, ZooKeeper tick ${TICK_MS} ms):\n  ${measured.join('\n  ')}`);
  });

  for (const mode of ['bully', 'fair'] as const) {
    it(`${mode}: three nodes elect one leader; kill -9 of the leader gives a new one within the session timeout`, async () => {
      const lab = zkLab(zk, `/conclave/${mode}`, mode);
      try {
        // Bully: the highest ID leads. Fair: the first to register does, so n2 goes first.
        await startInOrder(lab, mode === 'bully' ? [1, 2, 3] : [2, 1, 3]);
        const [first, next] = mode === 'bully' ? [3, 2] : [2, 1];
        await lab.waitFor(`all agree on n${first}`, () => lab.agreed() === first, 10_000);
        for (const node of lab.nodes) assert.equal(node.current[0]?.event, 'started', `n${node.id}'s first line is 'started'`);
        const firstToken = electedToken(lab, first);
        assert.ok(firstToken > 0, 'the fencing token is a zxid');

        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 200));
        const killedAt = Date.now();
        await lab.signal(first, 'SIGKILL');
        const others = [1, 2, 3].filter((id) => id !== first);
        await lab.waitFor(`the others agree on n${next}`, () => lab.agreed(others) === next, 3 * SESSION_MS + 2000);
        const electedMs = lab.node(next).events.find((e) => e.ts >= killedAt && e.event === 'elected')!.ts - killedAt;
        const agreedMs = agreedAt(lab, others, next, killedAt) - killedAt;
        measured.push(`${mode}: kill -9 failover: n${next} elected after ${electedMs} ms, all agreed after ${agreedMs} ms`);
        // The ensemble expires the session a timeout after the last request it had, checked once
        // per tick: the successor, woken by its watch, claims within the timeout plus a tick and a
        // round trip. The others read the claim on their next refresh (a sixth of the timeout).
        assert.ok(electedMs < WRONG_FAILOVER_MS, `n${next} was elected after ${electedMs} ms: a session timeout too late`);
        assert.ok(agreedMs < WRONG_FAILOVER_MS + SESSION_MS / 6, `all agreed after ${agreedMs} ms: a session timeout too late`);
        assert.ok(electedToken(lab, next, killedAt) > firstToken, 'the new token is above the old one');
        // In fair mode each candidate watched only its predecessor: n3 (behind n1) never had to act.
        if (mode === 'fair') assert.equal(lab.node(3).events.filter((e) => e.event === 'elected').length, 0);
        assertNoOverlap(lab);
        assertLogFilesPass(lab);
      } finally {
        lab.destroy();
      }
    });
  }

  it('stopping the ZooKeeper server: every node stops leading within the session timeout, and they recover when it returns', async () => {
    const lab = zkLab(zk, '/conclave/outage', 'bully');
    try {
      lab.startAll();
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 10_000);
      const tokenBefore = electedToken(lab, 3);
      const stoppedAt = Date.now();
      await zk.stop('SIGKILL');
      const nobodyMs = await lab.waitFor('nobody leads or follows a leader', () => lab.nodes.every((n) => lab.latest(n.id)!.leader === null), 3 * SESSION_MS);
      const demoted = lab.node(3).events.filter(isEvent('demoted')).find((e) => e.ts >= stoppedAt);
      assert.ok(demoted !== undefined && 'leaseEndedAt' in demoted, 'the leader said it stopped');
      const leaseEndedMs = Math.round(demoted.leaseEndedAt - stoppedAt);
      measured.push(`ZooKeeper killed: the leader's lease ended after ${leaseEndedMs} ms, it said so after ${demoted.ts - stoppedAt} ms (${demoted.reason}); nobody followed a leader after ${nobodyMs} ms`);
      // Safety: the lease ended before the ensemble could have expired the session and let another
      // claim. It runs two thirds of a session from the last write that succeeded, sent before the
      // kill, so a late line on a loaded machine does not move it.
      assert.ok(leaseEndedMs <= SESSION_MS, `the lease ended ${leaseEndedMs} ms after the server died`);
      assert.ok(demoted.ts - stoppedAt < WRONG_FAILOVER_MS, `said it stopped leading ${demoted.ts - stoppedAt} ms after the server died`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(lab.nodes.every((n) => !n.events.some((e) => e.ts >= stoppedAt && e.event === 'elected')), 'nobody was elected without ZooKeeper');

      const resumedAt = Date.now();
      await zk.resume();
      const recoverMs = await lab.waitFor(
        'n3 elected again, and all agree on it',
        () => lab.node(3).events.some((e) => e.ts >= stoppedAt && e.event === 'elected') && lab.agreed() === 3,
        20_000,
      );
      measured.push(`ZooKeeper back: a leader again ${recoverMs} ms after it answered (${Date.now() - resumedAt} ms)`);
      assert.ok(electedToken(lab, 3, stoppedAt) > tokenBefore, 'a new claim, a higher token');
      assertNoOverlap(lab);
      assertLogFilesPass(lab);
    } finally {
      lab.destroy();
      if (!zk.running) await zk.resume();
    }
  });

  it('after an outage a leader that is no longer designated gives its old claim up, so the designated one leads (bully, no preemption)', async () => {
    const lab = zkLab(zk, '/conclave/handback', 'bully', 4);
    try {
      for (const id of [1, 2, 3]) lab.start(id, ['--no-preempt']);
      await lab.waitFor('all agree on n3', () => lab.agreed([1, 2, 3]) === 3, 10_000);
      lab.start(4, ['--no-preempt']);
      await lab.waitFor('n4 registered', () => lab.node(4).current.some((e) => e.event === 'registered'), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(lab.agreed(), 3, 'without preemption n3 keeps leading although n4 is higher');
      // n3's session outlives the outage, and with it its claim; n4 is now the one designated.
      const stoppedAt = Date.now();
      await zk.stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await zk.resume();
      await lab.waitFor('n4 leads', () => lab.agreed() === 4, 10_000);
      assert.ok(lab.node(4).events.some((e) => e.ts >= stoppedAt && e.event === 'elected'));
      assertNoOverlap(lab);
      assertLogFilesPass(lab);
    } finally {
      lab.destroy();
      if (!zk.running) await zk.resume();
    }
  });

  it('a stalled leader (SIGSTOP past its session) is replaced; on waking it has stopped leading, and registers again', async () => {
    const lab = zkLab(zk, '/conclave/stall', 'bully');
    try {
      lab.startAll();
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 10_000);
      const child = lab.node(3).process!;
      const stalledAt = Date.now();
      child.kill('SIGSTOP');
      await lab.waitFor('n1 and n2 agree on n2', () => lab.agreed([1, 2]) === 2, 3 * SESSION_MS + 2000);
      measured.push(`stalled leader replaced after ${agreedAt(lab, [1, 2], 2, stalledAt) - stalledAt} ms`);
      child.kill('SIGCONT');
      await lab.waitFor('n3 learns its session expired', () => lab.node(3).events.some((e) => e.ts >= stalledAt && e.event === 'session' && e.state === 'expired'), 10_000);
      const demoted = lab.node(3).events.filter(isEvent('demoted')).find((e) => e.ts >= stalledAt);
      assert.ok(demoted !== undefined && 'leaseEndedAt' in demoted);
      assert.ok(demoted.leaseEndedAt <= stalledAt + SESSION_MS, 'its lease had ended during the stall');
      await lab.waitFor('n3 registered again', () => lab.node(3).events.filter((e) => e.event === 'registered').length === 2, 10_000);
      // The highest ID takes over again, after the damping period.
      await lab.waitFor('n3 leads again', () => lab.agreed() === 3, 15_000);
      assertNoOverlap(lab);
      assertLogFilesPass(lab);
    } finally {
      lab.node(3).process?.kill('SIGCONT');
      lab.destroy();
    }
  });

  it('the dashboard shows the ensemble, the session, the znodes in order and who watches whom', { skip: skipUnlessCi(chromiumMissing()) }, async () => {
    const lab = zkLab(zk, '/conclave/page', 'bully');
    const browser = await launchIn(null, lab.dir);
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      await startInOrder(lab, [1, 3]);
      lab.start(2, ['--dashboard-port', '0']);
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 10_000);
      const announced = await (async () => {
        await lab.waitFor('n2 serves its dashboard', () => lab.node(2).current.some((e) => e.event === 'dashboard'), 10_000);
        return lab.node(2).current.find((e) => e.event === 'dashboard')!;
      })();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
      const errors = watchForErrors(page);
      await page.goto(String(announced.url));
      await expect(page.getByTestId('zk-session')).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
      await expect(page.getByTestId('coordinator-id')).toHaveText('n3');
      await expect(page.getByTestId('zk-servers')).toHaveText(`127.0.0.1:${zk.port}`);
      const rows = page.getByTestId('znodes').locator('tbody tr');
      await expect(rows).toHaveCount(3);
      // Bully order: n3 (holds the claim, watches the list), n2 (watches n3's znode), n1 (watches n2's).
      const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-znode') ?? ''));
      assert.deepEqual(names.map((n) => n.split('-')[1]), ['3', '2', '1']);
      await expect(rows.nth(0)).toHaveClass(/leads/);
      await expect(rows.nth(1).getByTestId('watches')).toContainText(names[0]!);
      await expect(rows.nth(2).getByTestId('watches')).toContainText(names[1]!);
      await expect(rows.nth(1)).toHaveClass(/self/);
      await page.screenshot({ path: join(ARTIFACTS, 'zookeeper.png'), fullPage: true });

      await lab.signal(3, 'SIGKILL');
      await expect(page.getByTestId('coordinator-id')).toHaveText('n2', { timeout: 5000 });
      await expect(rows).toHaveCount(2);

      await zk.stop('SIGKILL');
      await expect(page.getByTestId('zk-session')).toHaveAttribute('data-state', 'suspended', { timeout: 5000 });
      await expect(page.getByTestId('no-quorum')).toContainText('No ZooKeeper session');
      await expect(page.getByTestId('coordinator-id')).toHaveText('none');
      await page.screenshot({ path: join(ARTIFACTS, 'zookeeper-outage.png'), fullPage: true });
      await zk.resume();
      await expect(page.getByTestId('coordinator-id')).toHaveText('n2', { timeout: 15_000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      lab.destroy();
      if (!zk.running) await zk.resume();
    }
  });
});
