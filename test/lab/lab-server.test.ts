/**
 * The lab page's server on loopback, over stand-in hosts (no network): a page of another site,
 * resolved to this machine (DNS rebinding), reads and drives nothing; an action needs this run's
 * token; and each node's own dashboard, on its Unix socket, is passed through under /nodes/<id>/.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import { DashboardServer } from '../../src/dashboard/server.ts';
import type { WebHost } from '../../src/dashboard/web-host.ts';
import { DemoLab } from '../../src/lab/demo-lab.ts';
import { startLabServer } from '../../src/lab/lab-server.ts';
import { NodeDashboards } from '../../src/lab/node-dashboards.ts';
import type { LanStatus, RuntimeStatus } from '../../src/contract/status.ts';
import { StandInHosts } from './stand-in-hosts.ts';

const TOKEN = '0123456789abcdef0123456789abcdef';
/** Names that start like loopback but are another site's, and headers that are no host at all. */
const FORGED_HOSTS = (port: number): string[] => [
  `127.0.0.1.evil.example:${port}`,
  `localhost.evil.example:${port}`,
  `[::1].evil:${port}`,
  `127.0.0.1.nip.io:${port}`,
  `127.evil.example:${port}`,
  `evil.example:${port}`,
  `127.0.0.1:${port}.evil.example`,
  `127.0.0.1@evil.example:${port}`,
  `::1:${port}`,
  `localhost.:${port}`,
  `127.0.0.1:${port + 1}`,
];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request; a stream's answer is cut after its first bytes. */
function call(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
        if (res.headers['content-type'] === 'text/event-stream') {
          req.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

class StandInNode extends EventEmitter {
  status(): RuntimeStatus {
    return { backend: 'lan', id: 1, role: 'follower', term: 4, leader: 3, quorum: { have: 3, need: 2, voters: 3 }, peers: [] } as unknown as RuntimeStatus;
  }
}

describe('the lab page server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvlabserver-'));
  const ui = join(dir, 'ui');
  const hosts = new StandInHosts(3);
  const dashboards = new NodeDashboards(dir);
  const lab = new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000, supports: { unplug: true, partition: true, loss: true }, dashboards });
  const feed = new DashboardFeed(new StandInNode(), { controls: { enabled: false, needsToken: true } });
  let server: WebHost;
  let n1: DashboardServer;
  const action = (body: unknown, headers: Record<string, string>) =>
    call(server.port, '/api/lab/action', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  before(async () => {
    mkdirSync(ui);
    writeFileSync(join(ui, 'lab.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>node</title>');
    server = await startLabServer(lab, { host: '127.0.0.1', port: 0, token: TOKEN, dashboards, uiDir: ui });
    dashboards.pageAddress = { host: server.host, port: server.port };
    lab.startAll();
    for (const id of [1, 2]) hosts.say(id, 'follower', 3);
    hosts.say(3, 'leader', 3, 'elected');
    // n1's own dashboard as `conclave run` serves it, on the socket the lab gave it.
    n1 = await DashboardServer.start(feed, { host: server.host, port: server.port, token: null, onControl: () => ({ ok: true }), uiDir: ui, socketPath: dashboards.socketPath(1) });
  });

  after(async () => {
    await n1?.close();
    feed.close();
    await server?.close();
    await lab.stop(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses another site\'s Host on the page, its stream, its actions and the nodes\' dashboards, and kills nothing', async () => {
    for (const host of FORGED_HOSTS(server.port)) {
      for (const path of ['/', '/api/lab/stream', '/nodes/1/api/status', '/nodes/1/api/stream']) {
        assert.equal((await call(server.port, path, { headers: { host } })).status, 421, `${host} ${path}`);
      }
      assert.equal((await action({ action: 'kill', node: 1 }, { host, authorization: `Bearer ${TOKEN}` })).status, 421, host);
    }
    assert.deepEqual(hosts.calls.filter((c) => c.startsWith('SIGKILL')), []);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `127.0.0.2:${server.port}`]) {
      assert.equal((await call(server.port, '/api/lab/stream', { headers: { host } })).status, 200, host);
    }
  });

  it('takes an action only with this run\'s token', async () => {
    const kill = { action: 'kill', node: 2 };
    const wrong: Array<Record<string, string>> = [{}, { authorization: 'Bearer ' }, { authorization: `Bearer ${TOKEN.slice(0, -1)}0` }, { authorization: TOKEN }, { 'x-conclave-lab': '1' }];
    for (const headers of wrong) {
      const refused = await action(kill, headers);
      assert.equal(refused.status, 401, JSON.stringify(headers));
      assert.match(refused.body, /lab token/);
    }
    assert.equal((await call(server.port, '/api/lab/action', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(kill) })).status, 415);
    assert.deepEqual(hosts.calls.filter((c) => c.startsWith('SIGKILL')), [], 'nothing was killed');
    assert.equal((await action(kill, { authorization: `Bearer ${TOKEN}` })).status, 200);
    assert.deepEqual(hosts.calls.filter((c) => c.startsWith('SIGKILL')), ['SIGKILL 2']);
    assert.equal((await action({ action: 'restart', node: 2 }, { authorization: `Bearer ${TOKEN}` })).status, 200);
  });

  it('refuses a prefix of the lab token, and the token with anything after it', async () => {
    const kill = { action: 'kill', node: 1 };
    const refused = [TOKEN.slice(0, 1), TOKEN.slice(0, 16), TOKEN.slice(0, -1), `${TOKEN}0`, `${TOKEN} x`, `${TOKEN}${TOKEN}`];
    for (const given of refused) {
      const reply = await action(kill, { authorization: `Bearer ${given}` });
      assert.equal(reply.status, 401, JSON.stringify(given));
    }
    assert.deepEqual(hosts.calls.filter((c) => c === 'SIGKILL 1'), [], 'n1 was not killed');
  });

  it('passes /nodes/<id>/ through to that node\'s own dashboard, read-only', async () => {
    const status = await call(server.port, '/nodes/1/api/status');
    assert.equal(status.status, 200);
    assert.deepEqual((JSON.parse(status.body) as LanStatus).quorum, { have: 3, need: 2, voters: 3 });
    const page = await call(server.port, '/nodes/1/');
    assert.match(page.body, /<title>node<\/title>/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    const stream = await call(server.port, '/nodes/1/api/stream');
    assert.equal(stream.status, 200);
    assert.match(stream.body, /retry: 1000/);
    const bare = await call(server.port, '/nodes/1');
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.location, './1/');
    assert.equal((await call(server.port, '/nodes/4/')).status, 404);
    assert.equal((await call(server.port, '/nodes/2/api/status')).status, 502, 'n2 serves no dashboard here');
    assert.equal((await call(server.port, '/nodes/1/api/control/pause', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status, 405);
    assert.deepEqual(await dashboards.quorum(1), { have: 3, need: 2 });
    assert.equal(await dashboards.quorum(2), null);
    assert.ok(dashboards.flags(2).includes(dashboards.socketPath(2)));
  });
});
