/**
 * What `conclave run` loads at start: only what its flags ask for. prom-client and the ZooKeeper
 * client cost tens of milliseconds each, the dashboard's server about ten, paid by every node of a
 * cluster that starts at once.
 * One-node clusters on loopback without multicast; their only seed is a port nobody listens on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const MODULE_LOG = new URL('../helpers/module-log.mjs', import.meta.url).pathname;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-start-cost-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts a node with `flags` until it prints a line that `until` accepts (by default its first),
 * stops it, and returns the modules it loaded.
 */
async function modulesLoaded(flags: string[], until: (line: string) => boolean = () => true): Promise<string[]> {
  const log = join(dir, 'modules.log');
  const child = spawn(
    process.execPath,
    ['--import', MODULE_LOG, CLI, 'run', '--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0', '--data-dir', join(dir, 'n1'), '--json', ...flags],
    { env: { ...process.env, CONCLAVE_KEY: '1:0123456789abcdef0123', MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    let out = '';
    const first = await new Promise<boolean>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.split('\n').some(until)) resolve(true);
      });
      child.once('exit', () => resolve(false));
      setTimeout(() => resolve(false), 20_000);
    });
    assert.ok(first, `the node did not print the line awaited: ${out}${err}`);
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null)));
  }
  rmSync(join(dir, 'n1'), { recursive: true, force: true });
  return readFileSync(log, 'utf8').trim().split('\n');
}

const loads = (modules: string[], name: string): boolean => modules.some((url) => url.includes(`/node_modules/${name}/`));
/** The dashboard's server: its module, or its chunk of the command's bundle (scripts/build.mjs). */
const loadsDashboard = (modules: string[]): boolean => modules.some((url) => url.includes('/dashboard/server.') || /\/cli-bundle\/server-\w+\.js$/.test(url));

describe('conclave run at start', () => {
  it('a LAN node loads neither prom-client nor the ZooKeeper client; with --metrics-port it loads prom-client', async () => {
    const plain = await modulesLoaded([]);
    assert.ok(loads(plain, 'protobufjs'), 'the log lists node_modules packages at all');
    assert.ok(plain.some((url) => url.includes('/dist/cli-bundle/')), 'the command runs its bundle');
    assert.equal(loads(plain, 'prom-client'), false);
    assert.equal(loads(plain, 'node-zookeeper-client'), false);
    assert.equal(loadsDashboard(plain), false, 'the dashboard server is loaded only with --dashboard-port');

    const withMetrics = await modulesLoaded(['--metrics-port', '0']);
    assert.equal(loads(withMetrics, 'prom-client'), true);
    assert.equal(loads(withMetrics, 'node-zookeeper-client'), false);
  });

  it('with --dashboard-port it loads the dashboard server', async () => {
    // The server is loaded after the node's first line, on its way to the `dashboard` line.
    const withDashboard = await modulesLoaded(['--dashboard-port', '0'], (line) => line.includes('"event":"dashboard"'));
    assert.equal(loadsDashboard(withDashboard), true);
  });
});
