/**
 * The browser host on loopback (no multicast: a stand-in node feeds it): the bundle with its
 * security headers, the event stream, and the controls' guards.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import type { ControlAction, DashboardMessage } from '../../src/dashboard/messages.ts';
import { DashboardServer } from '../../src/dashboard/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/dashboard/static-files.ts';
import { hostAllowed } from '../../src/dashboard/web-host.ts';
import type { RuntimeStatus } from '../../src/contract/status.ts';
import { systemClock } from '../../src/contract/system-clock.ts';

class StandInNode extends EventEmitter {
  term = 3;
  status(): RuntimeStatus {
    return { id: 1, role: 'leader', term: this.term, leader: 1, quorum: { have: 2, need: 2, voters: 3 }, peers: [] } as unknown as RuntimeStatus;
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads SSE messages until `enough` says so, then disconnects. */
function readStream(port: number, enough: (messages: DashboardMessage[]) => boolean): Promise<DashboardMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: DashboardMessage[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/stream' }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream');
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('data: ')) messages.push(JSON.parse(block.slice(6)) as DashboardMessage);
          if (enough(messages)) {
            req.destroy();
            resolve(messages);
          }
        }
      });
    });
    req.on('error', (error) => (enough(messages) ? undefined : reject(error)));
    req.end();
  });
}

describe('dashboard server', () => {
  const ui = mkdtempSync(join(tmpdir(), 'conclave-ui-'));
  const secret = join(ui, '..', 'conclave-secret.txt');
  const node = new StandInNode();
  const controls: ControlAction[] = [];
  let feed: DashboardFeed;
  let open: DashboardServer;
  let guarded: DashboardServer;

  before(async () => {
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(ui, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(secret, 'secret');
    feed = new DashboardFeed(node, { controls: { enabled: true, needsToken: true }, publishIntervalMs: 20 });
    const onControl = (action: ControlAction) => (controls.push(action), { ok: true });
    open = await DashboardServer.start(feed, { host: '127.0.0.1', port: 0, token: null, onControl, uiDir: ui });
    guarded = await DashboardServer.start(feed, { host: '127.0.0.1', port: 0, token: 'sesame', onControl, uiDir: ui });
  });
  after(async () => {
    await open.close();
    await guarded.close();
    feed.close();
    rmSync(ui, { recursive: true, force: true });
    rmSync(secret, { force: true });
  });

  it('serves the bundle with a strict Content-Security-Policy, and nothing outside it', async () => {
    const page = await call(open.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>t<\/title>/);
    assert.equal(page.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['cache-control'], 'no-cache');
    const asset = await call(open.port, '/assets/app-1234.js');
    assert.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(asset.headers['cache-control']), /immutable/);
    for (const path of ['/../conclave-secret.txt', '/%2e%2e/conclave-secret.txt', '/assets/../../conclave-secret.txt', '/nope.js']) {
      const reply = await call(open.port, path);
      assert.equal(reply.status, 404, path);
      assert.doesNotMatch(reply.body, /secret/);
    }
    assert.equal((await call(open.port, '/%E0%A4%A')).status, 400);
    assert.equal((await call(open.port, '/', { method: 'DELETE' })).status, 405);
  });

  it('answers only to its own host name on loopback (DNS rebinding): names that merely start like loopback are another site', async () => {
    const port = open.port;
    const forged = [
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `127.0.0.1.evil.example`,
      `localhost.evil.example:${port}`,
      `[::1].evil:${port}`,
      `[::1]evil:${port}`,
      `::1:${port}`,
      `127.evil.example:${port}`,
      `127.1:${port}`,
      `0x7f000001:${port}`,
      `127.0.0.1@evil.example:${port}`,
      `127.0.0.1:${port}@evil.example`,
      `localhost.:${port}`,
      `127.0.0.1:${port + 1}`,
    ];
    for (const host of forged) {
      for (const path of ['/api/status', '/api/stream', '/']) {
        const reply = await call(port, path, { headers: { host } });
        assert.equal(reply.status, 421, `${host} ${path}`);
        assert.doesNotMatch(reply.body, /"term"/);
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.0.0.2:${port}`, `[::1]:${port}`, `[::ffff:127.0.0.1]:${port}`, `LOCALHOST:${port}`]) {
      const ok = await call(port, '/api/status', { headers: { host } });
      assert.equal(ok.status, 200, host);
      assert.equal((JSON.parse(ok.body) as RuntimeStatus).term, 3);
    }
  });

  it('bound wider than loopback, still refuses other sites\' names', () => {
    const mine = hostname().toLowerCase();
    for (const ok of ['192.168.1.5:80', '[fe80::1]:80', `${mine}:80`, `${mine}.local:80`, `localhost:80`, '127.0.0.1:80']) assert.equal(hostAllowed(ok, '0.0.0.0', 80), true, ok);
    for (const bad of ['evil.example:80', `${mine}.evil.example:80`, `127.0.0.1.evil.example:80`, '192.168.1.5:81', '', undefined]) assert.equal(hostAllowed(bad, '0.0.0.0', 80), false, String(bad));
    assert.equal(hostAllowed('[::ffff:127.0.0.1]:80', '127.0.0.1', 80), true);
    assert.equal(hostAllowed('192.168.1.5:80', '127.0.0.1', 80), false);
    assert.equal(hostAllowed('192.168.1.5:80', '192.168.1.5', 80), true, 'the exact bound address');
  });

  it('streams a hello with the recent past, then snapshots and events as they happen', async () => {
    node.emit('event', { ts: 1, event: 'elected', id: 1, role: 'leader', term: 3, leader: 1, quorum: { have: 2, need: 2 } });
    // Intervals are measured on arrival by the monotonic clock, not from `atMs` (the same twice
    // here): the sample lies within what the test measures around the two arrivals, however late
    // a loaded machine fires the timer.
    const atMs = Date.now();
    const firstBefore = systemClock.nowMs();
    node.emit('heartbeat', { from: 2, atMs });
    const firstAfter = systemClock.nowMs();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const secondBefore = systemClock.nowMs();
    node.emit('heartbeat', { from: 2, atMs });
    const secondAfter = systemClock.nowMs();
    const reading = readStream(open.port, (messages) => messages.some((m) => m.type === 'event') || messages.length > 50);
    setTimeout(() => node.emit('event', { ts: 2, event: 'paused', id: 1, role: 'leader', term: 4, leader: 1, quorum: { have: 2, need: 2 } }), 50);
    const [hello, ...rest] = await reading;
    assert.equal(hello?.type, 'hello');
    if (hello?.type !== 'hello') return;
    assert.equal(hello.status.term, 3);
    assert.deepEqual(hello.events.map((e) => e.event), ['elected']);
    assert.equal(hello.samples.length, 1);
    assert.equal(hello.samples[0]![0], 2);
    const intervalMs = hello.samples[0]![2];
    const [shortestMs, longestMs] = [secondBefore - firstAfter - 0.1, secondAfter - firstBefore + 0.1]; // samples are rounded to 0.1 ms
    assert.ok(intervalMs >= shortestMs && intervalMs <= longestMs, `interval ${intervalMs} ms, not within ${shortestMs.toFixed(1)}–${longestMs.toFixed(1)}`);
    assert.deepEqual(hello.controls, { enabled: true, needsToken: true });
    assert.ok(rest.some((m) => m.type === 'status'), 'a snapshot follows on the beat');
    assert.ok(rest.some((m) => m.type === 'event' && m.event.event === 'paused'), 'events are pushed');
  });

  it('keeps the controls off without a token, and needs the right one with it', async () => {
    const off = await call(open.port, '/api/control/resign', { method: 'POST' });
    assert.equal(off.status, 403);
    assert.match(off.body, /--dashboard-controls/);
    assert.equal((await call(guarded.port, '/api/control/resign', { method: 'POST' })).status, 401);
    assert.equal((await call(guarded.port, '/api/control/resign', { method: 'POST', headers: { authorization: 'Bearer sesamE' } })).status, 401);
    assert.equal((await call(guarded.port, '/api/control/resign', { headers: { authorization: 'Bearer sesame' } })).status, 405);
    assert.equal((await call(guarded.port, '/api/control/explode', { method: 'POST', headers: { authorization: 'Bearer sesame' } })).status, 404);
    assert.deepEqual(controls, []);
    const ok = await call(guarded.port, '/api/control/pause', { method: 'POST', headers: { authorization: 'Bearer sesame' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(controls, ['pause']);
  });

  it('refuses a prefix of the control token, and the token with anything after it', async () => {
    // (Whitespace around a header's value is not part of it, by HTTP's grammar: not tried.)
    const before = controls.length;
    const refused = ['s', 'sesam', 'sesamee', 'sesame x', 'sesamesesame', 'sesame,sesame'];
    for (const given of refused) {
      const reply = await call(guarded.port, '/api/control/pause', { method: 'POST', headers: { authorization: `Bearer ${given}` } });
      assert.equal(reply.status, 401, JSON.stringify(given));
    }
    assert.equal(controls.length, before, 'no control was taken');
    const ok = await call(guarded.port, '/api/control/pause', { method: 'POST', headers: { authorization: 'Bearer sesame' } });
    assert.equal(ok.status, 200, 'the token itself still works');
  });

  it('keeps the heartbeat history to its window while nobody watches', () => {
    const quiet = new StandInNode();
    const windowed = new DashboardFeed(quiet, { controls: { enabled: false, needsToken: true }, historyMs: 1000 });
    const start = Date.now();
    for (let i = 0; i <= 10_000; i++) quiet.emit('heartbeat', { from: 7, atMs: start + i * 10 });
    const hello = windowed.hello();
    windowed.close();
    assert.ok(hello.type === 'hello');
    // 100 s of arrivals every 10 ms, with a 1 s window (+5 s slack before a batch trim).
    assert.ok(hello.samples.length <= 600 + 1, `${hello.samples.length} samples kept`);
  });
});
