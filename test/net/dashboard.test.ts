/**
 * The dashboard end to end: five real `conclave run` nodes on network namespaces, each serving
 * its dashboard, read by real Chromium from an observer host on the same switch. It must show the
 * right coordinator, term and quorum; the re-election after kill -9; the no-quorum state on the
 * minority side of a partition; live peer rows and chart; and resign and pause must work from the
 * page. Screenshots of each state go to test-artifacts/dashboard/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect, type Browser, type Page } from 'playwright/test';
import { assertDurableTermsAndVotes, assertNoOverlap } from './checks.ts';
import { chromiumMissing, launchIn, watchForErrors } from './browser.ts';
import { Lab } from './lab.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';
import { isEvent } from '../helpers/event-kind.ts';

const ARTIFACTS = new URL('../../test-artifacts/dashboard/', import.meta.url).pathname;
const DASHBOARD_PORT = 8080;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = skipUnlessCi(chromiumMissing()) || (support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead');

describe('the dashboard in Chromium, against a five-node cluster', { skip }, () => {
  let lab: Lab;
  let browser: Browser;
  const pages = new Map<number, { page: Page; errors: string[] }>();

  /** The dashboard URL of node `id`, with its control token when `withToken`. */
  const url = (id: number, withToken = true): string => {
    const announced = lab.node(id).current.find(isEvent('dashboard'));
    assert.ok(announced, `n${id} announced its dashboard`);
    const token = withToken && announced.controls ? `#token=${announced.token}` : '';
    return `http://${lab.node(id).ip}:${DASHBOARD_PORT}/${token}`;
  };
  const open = async (id: number, withToken = true): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    // Without the token, the refused control request is an expected 401.
    const errors = watchForErrors(page, withToken ? [] : [/status of 401/]);
    pages.set(id, { page, errors });
    await page.goto(url(id, withToken));
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 10_000 });
    return page;
  };
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    lab = Lab.create(5);
    const observer = lab.addHost('obs', 200);
    lab.startAll(['--dashboard-port', String(DASHBOARD_PORT), '--dashboard-host', '0.0.0.0', '--dashboard-controls']);
    await lab.waitFor('all agree on n5', () => lab.agreed() === 5, 10_000);
    browser = await launchIn(observer.ns, lab.dir);
  });

  after(async () => {
    await browser?.close();
    if (lab !== undefined) {
      try {
        assertNoOverlap(lab);
        assertDurableTermsAndVotes(lab);
      } finally {
        lab.destroy();
      }
    }
    for (const [id, { errors }] of pages) assert.deepEqual(errors, [], `n${id}'s page logged errors`);
  });

  it('shows the coordinator, its term and the quorum; the peer rows and the chart fill in', async () => {
    const page = await open(1);
    const term = lab.latest(1)!.term;
    await expect(page.getByTestId('role')).toHaveText('follower');
    await expect(page.getByTestId('coordinator-id')).toHaveText('n5');
    await expect(page.getByTestId('term')).toHaveText(String(term));
    await expect(page.getByTestId('quorum')).toHaveAttribute('data-state', 'ok');
    await expect(page.getByTestId('quorum')).toContainText('5 of 5');
    await expect(page.getByTestId('no-quorum')).toHaveCount(0);
    for (const peer of [2, 3, 4, 5]) await expect(page.locator(`[data-testid="peers"] tr[data-peer="${peer}"]`)).toHaveAttribute('data-state', 'alive');
    await expect(page.locator(`[data-testid="peers"] tr[data-peer="2"]`)).toContainText(lab.node(2).ip);

    // Live: the plotted heartbeats keep growing.
    const chart = page.getByTestId('heartbeat-chart');
    await expect.poll(async () => Number(await chart.getAttribute('data-samples')), { timeout: 5_000 }).toBeGreaterThan(20);
    const before = Number(await chart.getAttribute('data-samples'));
    await expect.poll(async () => Number(await chart.getAttribute('data-samples')), { timeout: 5_000 }).toBeGreaterThan(before + 10);
    await shot(page, '1-healthy-follower');

    // On a 1280×800 screen every column of the peers table is in view: nothing scrolls sideways.
    await page.setViewportSize({ width: 1280, height: 800 });
    const table = await page.getByTestId('peers').evaluate((t) => ({ scrollWidth: t.parentElement!.scrollWidth, clientWidth: t.parentElement!.clientWidth }));
    await page.screenshot({ path: join(ARTIFACTS, '1b-follower-1280x800.png') });
    assert.ok(table.scrollWidth <= table.clientWidth, `the peers table is clipped at 1280 px: ${JSON.stringify(table)}`);
    await page.setViewportSize({ width: 1440, height: 1000 });

    const leaderPage = await open(5);
    await expect(leaderPage.getByTestId('role')).toHaveText('leader');
    await expect(leaderPage.getByTestId('coordinator-id')).toHaveText('n5');
    await shot(leaderPage, '2-healthy-leader');
    await leaderPage.close();
    pages.delete(5);
  });

  it('shows the re-election after kill -9 of the coordinator', async () => {
    const page = pages.get(1)!.page;
    const termBefore = lab.latest(1)!.term;
    await lab.signal(5, 'SIGKILL');
    await expect(page.getByTestId('coordinator-id')).toHaveText('n4', { timeout: 10_000 });
    const term = Number(await page.getByTestId('term').textContent());
    assert.ok(term > termBefore, `the term moved on (${termBefore} → ${term})`);
    await expect(page.locator('[data-testid="peers"] tr[data-peer="5"]')).toHaveAttribute('data-state', /dead|suspect/);
    await expect(page.locator('[data-testid="timeline"] li[data-event="leader"]').first()).toBeVisible();
    await expect(page.getByTestId('quorum')).toContainText('4 of 5');
    await shot(page, '3-after-failover');
  });

  it('shows "no quorum" on the minority side of a partition, and a coordinator on the majority side', async () => {
    const minority = pages.get(1)!.page;
    lab.partition([[1], [2, 3, 4]]);
    await expect(minority.getByTestId('no-quorum')).toBeVisible({ timeout: 10_000 });
    await expect(minority.getByTestId('no-quorum')).toContainText('No quorum — this side cannot elect');
    await expect(minority.getByTestId('quorum')).toHaveAttribute('data-state', 'lost');
    await expect(minority.getByTestId('coordinator-id')).toHaveText('none');
    await shot(minority, '4-minority-no-quorum');

    const majority = await open(4);
    await expect(majority.getByTestId('role')).toHaveText('leader');
    await expect(majority.getByTestId('quorum')).toHaveAttribute('data-state', 'ok');
    await expect(majority.locator('[data-testid="peers"] tr[data-peer="1"]')).toHaveAttribute('data-state', /dead|suspect/);
    await shot(majority, '5-majority-leader');

    lab.heal();
    await expect(minority.getByTestId('coordinator-id')).toHaveText('n4', { timeout: 10_000 });
    await expect(minority.getByTestId('no-quorum')).toHaveCount(0);
  });

  it('resigns from the page: the coordinator steps down and says why', async () => {
    const page = pages.get(4)!.page;
    const since = Date.now();
    await page.getByRole('button', { name: 'Resign' }).click();
    await expect(page.getByTestId('control-status')).not.toContainText(/error|wrong|off/i);
    await lab.waitFor('n4 steps down on request', () => lab.node(4).events.some((e) => e.ts >= since && e.event === 'demoted' && e.reason === 'requested'), 5_000);
    await expect(page.locator('[data-testid="timeline"] li[data-event="demoted"]').first()).toBeVisible({ timeout: 5_000 });
    // A leader again (n3 by handover, or n4 by preemption), agreed by all four.
    await lab.waitFor('a coordinator again', () => lab.agreed([1, 2, 3, 4]) !== null, 10_000);
    await shot(page, '6-after-resign');
  });

  it('pauses and resumes from the page, like pulling and replugging the cable', async () => {
    const page = pages.get(1)!.page;
    const watcher = pages.get(4)!.page;
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('paused-banner')).toBeVisible({ timeout: 5_000 });
    await expect(watcher.locator('[data-testid="peers"] tr[data-peer="1"]')).toHaveAttribute('data-state', /dead|suspect/, { timeout: 5_000 });
    await expect(page.getByTestId('no-quorum')).toBeVisible({ timeout: 5_000 });
    await shot(page, '7-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByTestId('paused-banner')).toHaveCount(0, { timeout: 5_000 });
    await expect(watcher.locator('[data-testid="peers"] tr[data-peer="1"]')).toHaveAttribute('data-state', 'alive', { timeout: 5_000 });
    await expect(page.getByTestId('quorum')).toHaveAttribute('data-state', 'ok', { timeout: 5_000 });
    assert.ok(lab.node(1).events.some((e) => e.event === 'paused') && lab.node(1).events.some((e) => e.event === 'resumed'));
  });

  it('refuses the controls without the token', async () => {
    const page = await open(2, false);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('control-status')).toContainText(/token/i, { timeout: 5_000 });
    assert.ok(!lab.node(2).events.some((e) => e.event === 'paused'), 'n2 did not pause');
  });
});
