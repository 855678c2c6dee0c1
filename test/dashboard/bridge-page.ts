/**
 * The desktop renderer without Electron (its binary cannot be downloaded on CI): the built
 * preload in Chromium over a stand-in of Electron's contextBridge and ipcRenderer. The page loads
 * the bundle from a real dashboard server; its data comes over the stand-in's channels, whose
 * requests go to `invoke` and whose pushes the test makes with `deliver`.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright/test';
import type { DashboardFeed } from '../../src/dashboard/feed.ts';
import { DashboardServer } from '../../src/dashboard/server.ts';
import { launchIn, watchForErrors } from '../net/browser.ts';

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

export interface BridgePage {
  server: DashboardServer;
  browser: Browser;
  page: Page;
  /** The page's console errors and failed requests. */
  errors: string[];
  /** Pushes a message on `conclave:message`, as the main process's webContents.send would. */
  deliver(message: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function openBridgePage(feed: DashboardFeed, invoke: (channel: string, arg: unknown) => unknown): Promise<BridgePage> {
  // Only to load the bundle from; the data comes over the bridge.
  const server = await DashboardServer.start(feed, { host: '127.0.0.1', port: 0, token: null, onControl: () => ({ ok: false, error: 'not here' }) });
  const browser = await launchIn(null, '');
  const page = await browser.newPage();
  const errors = watchForErrors(page);
  await page.exposeFunction('__invoke', invoke);
  await page.addInitScript({ content: `${SANDBOX_STAND_IN}\n${readFileSync(PRELOAD, 'utf8')}` });
  return {
    server,
    browser,
    page,
    errors,
    deliver: (message) => page.evaluate(([m]) => (globalThis as unknown as { __deliver(c: string, m: unknown): void }).__deliver('conclave:message', m), [message]),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
