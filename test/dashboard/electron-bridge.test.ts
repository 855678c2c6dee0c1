/**
 * The desktop app's renderer side without Electron (its binary cannot be downloaded on CI): the
 * built preload runs in Chromium over a stand-in of Electron's contextBridge and ipcRenderer, whose
 * channels answer from a real DashboardFeed; the page must pick the bridge over the event stream,
 * show the node, and send controls through it without a token.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { expect, type Page } from 'playwright/test';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import type { DashboardMessage } from '../../src/dashboard/messages.ts';
import type { RuntimeStatus } from '../../src/contract/status.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { chromiumMissing } from '../net/browser.ts';
import { syntheticStatus } from '../ui/fixtures.ts';
import { openBridgePage, type BridgePage } from './bridge-page.ts';

class StandInNode extends EventEmitter {
  paused = false;
  status(): RuntimeStatus {
    const status = syntheticStatus({ peers: 4, selfId: 2, paused: this.paused });
    return status;
  }
}

describe('the desktop renderer over the preload bridge', { skip: skipUnlessCi(chromiumMissing()) }, () => {
  const node = new StandInNode();
  const feed = new DashboardFeed(node, { controls: { enabled: true, needsToken: false }, publishIntervalMs: 100 });
  const invoked: Array<[string, unknown]> = [];
  let bridge: BridgePage;
  let page: Page;
  let errors: string[];

  before(async () => {
    bridge = await openBridgePage(feed, (channel: string, arg: unknown) => {
      invoked.push([channel, arg]);
      if (channel === 'conclave:hello') return feed.hello();
      if (channel === 'conclave:control' && arg === 'pause') {
        node.paused = true;
        return { ok: true };
      }
      return { ok: false, error: 'no such control' };
    });
    ({ page, errors } = bridge);
    feed.subscribe((message: DashboardMessage) => void bridge.deliver(message).catch(() => {}));
  });

  after(async () => {
    await bridge?.close();
    feed.close();
  });

  it('exposes exactly one function per channel, and the page uses them instead of the stream', async () => {
    await page.goto(bridge.server.url);
    const api = await page.evaluate(() => Object.keys((globalThis as unknown as { conclave: object }).conclave).sort());
    assert.deepEqual(api, ['control', 'hello', 'onMessage']);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 10_000 });
    await expect(page.getByText('Desktop app · IPC')).toBeVisible();
    await expect(page.getByTestId('coordinator-id')).toHaveText('n5');
    await expect(page.locator('[data-testid="peers"] tr[data-peer="5"]')).toHaveAttribute('data-state', 'alive');
    assert.equal(invoked.filter(([channel]) => channel === 'conclave:hello').length, 1);
  });

  it('sends a control through the bridge, with no token field', async () => {
    await expect(page.getByLabel('Control token')).toHaveCount(0);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('paused-banner')).toBeVisible({ timeout: 5_000 });
    assert.deepEqual(invoked.filter(([channel]) => channel === 'conclave:control'), [['conclave:control', 'pause']]);
    assert.deepEqual(errors, []);
  });
});
