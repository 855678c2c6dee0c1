/**
 * The desktop app's renderer side without Electron (its binary cannot be downloaded on CI): the
 * built preload runs in Chromium over a stand-in of Electron's contextBridge and ipcRenderer, whose
 * channels answer from a real DashboardFeed; the page must pick the bridge over the event stream,
 * show the node, and send controls through it without a token.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { expect, type Browser, type Page } from 'playwright/test';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import type { DashboardMessage } from '../../src/dashboard/messages.ts';
import { DashboardServer } from '../../src/dashboard/server.ts';
import type { RuntimeStatus } from '../../src/runtime/conclave-node.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { chromiumMissing, launchIn, watchForErrors } from '../net/browser.ts';
import { syntheticStatus } from '../ui/fixtures.ts';

const PRELOAD = new URL('../../dist/electron/preload.cjs', import.meta.url);

/** What the sandbox gives a preload, reduced to the two modules it uses; IPC goes to the test. */
const SANDBOX_STAND_IN = `
  const listeners = new Map();
  window.__deliver = (channel, message) => (listeners.get(channel) ?? []).forEach((f) => f({ sender: 'main' }, message));
  const require = (name) => {
    if (name !== 'electron') throw new Error('the sandbox has no ' + name);
    return {
      contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) },
      ipcRenderer: {
        invoke: (channel, arg) => window.__invoke(channel, arg),
        on: (channel, f) => listeners.set(channel, [...(listeners.get(channel) ?? []), f]),
        removeListener: (channel, f) => listeners.set(channel, (listeners.get(channel) ?? []).filter((g) => g !== f)),
      },
    };
  };
`;

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
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    // Only to load the bundle from; the data comes over the bridge.
    server = await DashboardServer.start(feed, { host: '127.0.0.1', port: 0, token: null, onControl: () => ({ ok: false, error: 'not here' }) });
    browser = await launchIn(null, '');
    page = await browser.newPage();
    errors = watchForErrors(page);
    await page.exposeFunction('__invoke', (channel: string, arg: unknown) => {
      invoked.push([channel, arg]);
      if (channel === 'conclave:hello') return feed.hello();
      if (channel === 'conclave:control' && arg === 'pause') {
        node.paused = true;
        return { ok: true };
      }
      return { ok: false, error: 'no such control' };
    });
    await page.addInitScript({ content: `${SANDBOX_STAND_IN}\n${readFileSync(PRELOAD, 'utf8')}` });
    feed.subscribe((message: DashboardMessage) => void page.evaluate(([m]) => (globalThis as unknown as { __deliver(c: string, m: unknown): void }).__deliver('conclave:message', m), [message]).catch(() => {}));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    feed.close();
  });

  it('exposes exactly one function per channel, and the page uses them instead of the stream', async () => {
    await page.goto(server.url);
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
