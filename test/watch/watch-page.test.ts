/** The observer's page: served with the dashboard's rules, and drawn from a snapshot (cards, or a table for 50). */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM, chromiumMissing, watchForErrors } from '../net/browser.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import type { ObserverSnapshot } from '../../src/watch/observer.ts';
import { startWatchServer } from '../../src/watch/watch-server.ts';
import { WatchView } from '../../src/watch/watch-view.ts';
import type { WebHost } from '../../src/dashboard/web-host.ts';

/** A cluster of `size` seen for 3 s: all but the never-heard ones follow the highest live ID. */
function snapshot(size: number, neverHeard: number[]): ObserverSnapshot {
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const view = new WatchView({ voters, timeoutMs: 1000, memberBeatMs: 1000, startMs: 0 });
  const live = voters.filter((id) => !neverHeard.includes(id));
  const leader = Math.max(...live);
  for (let t = 0; t <= 3000; t += 500) {
    for (const id of live) view.heard({ from: id, role: id === leader ? 'leader' : 'follower', term: 1, leader, hears: live.filter((x) => x !== id), canLead: true, intervalMs: id === leader ? 100 : 1000 }, t);
    view.tick(t);
  }
  return { ...view.snapshot(3000), cluster: 'lab', configId: 'abc', listening: '239.255.77.7:7707 on eth0 (10.0.0.9)', datagrams: 42, drops: { 'bad-mac': 1 }, timeoutMs: 1000, memberBeatMs: 1000 };
}

function get(web: WebHost, path: string, host = `127.0.0.1:${web.port}`): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the watch page', () => {
  let current = snapshot(5, [2]);
  let web: WebHost;
  before(async () => {
    web = await startWatchServer({ snapshot: () => current, onTick: () => () => {} }, { host: '127.0.0.1', port: 0 });
  });
  after(() => web.close());

  it('is served with the dashboard\'s security headers, and refuses another site\'s Host', async () => {
    const page = await get(web, '/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(page.body, /<script type="module" src="\/watch.js">/);
    assert.equal((await get(web, '/watch.js')).status, 200);
    assert.equal((await get(web, '/', `evil.example:${web.port}`)).status, 421);
    const json = JSON.parse((await get(web, '/api/watch/snapshot')).body) as ObserverSnapshot;
    assert.deepEqual(json.cards.map((c) => c.heard), ['live', 'never', 'live', 'live', 'live']);
  });

  const missing = chromiumMissing();
  it('draws a card per voter, says who was never heard, and turns to a table for 50 machines', { skip: skipUnlessCi(missing), timeout: 60_000 }, async () => {
    const { chromium } = await import('playwright');
    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
      const page = await browser.newPage();
      const errors = watchForErrors(page);
      await page.goto(web.url);
      await page.locator('#verdict', { hasText: 'led by n5' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.card').count(), 5);
      assert.match(await page.locator('.card.never').innerText(), /n2[\s\S]*never heard/);
      assert.match(await page.locator('#about').innerText(), /refused: bad-mac 1/);
      assert.match(await page.locator('.card').first().innerText(), /beat gaps\s+last 500 ms, mean 500, max 500/);

      current = snapshot(50, [7, 8]);
      await page.reload();
      await page.locator('#verdict', { hasText: 'led by n50' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('.card').count(), 0);
      assert.equal(await page.locator('tr').count(), 51);
      assert.equal(await page.locator('tr.never').count(), 2);
      assert.match(await page.locator('tr').nth(1).innerText(), /500 \/ 500 \/ 500 ms/);
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
    }
  });
});
