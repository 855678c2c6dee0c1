/**
 * `conclave run` when a flag's value fails only at start (a port taken, an address not ours, a
 * data directory that cannot be): one line naming the flag, exit status 2, no stack trace. They
 * fail before the node opens its sockets; and should one not, these nodes use no multicast and
 * send only on loopback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-start-errors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A one-node cluster on loopback: no multicast, its one seed a port nobody listens on. */
function run(flags: string[]): { status: number | null; stderr: string } {
  const base = ['run', '--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0'];
  const dataDir = flags.includes('--data-dir') ? [] : ['--data-dir', join(dir, 'n1')];
  const result = spawnSync(process.execPath, [CLI, ...base, ...dataDir, ...flags], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, CONCLAVE_KEY: '1:0123456789abcdef0123' } });
  return { status: result.status, stderr: result.stderr };
}

function assertOneLine(stderr: string, named: RegExp): void {
  assert.match(stderr, named);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.deepEqual(stderr.trim().split('\n').length, 2, `one line, and where to look: ${stderr}`);
  assert.match(stderr, /see 'conclave run --help'/);
}

describe('start-up errors', () => {
  it('--metrics-port on a port in use: exit 2 naming the flag', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { status, stderr } = run(['--metrics-port', String(port)]);
      assert.equal(status, 2, stderr);
      assertOneLine(stderr, new RegExp(`^conclave: --metrics-port ${port}: the port is in use on 127\\.0\\.0\\.1$`, 'm'));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('--metrics-host not an address of this machine: exit 2 naming the flag', () => {
    // 198.51.100.0/24 is for documentation (RFC 5737): never this machine's.
    const { status, stderr } = run(['--metrics-port', '0', '--metrics-host', '198.51.100.77']);
    assert.equal(status, 2, stderr);
    assertOneLine(stderr, /^conclave: --metrics-host 198\.51\.100\.77: not an address of this machine$/m);
  });

  it('--data-dir where no directory can be: exit 2 naming the flag', () => {
    const { status, stderr } = run(['--data-dir', '/dev/null/x']);
    assert.equal(status, 2, stderr);
    assertOneLine(stderr, /^conclave: --data-dir \/dev\/null\/x: cannot be used as a data directory: a part of the path is a file, not a directory \(ENOTDIR\)$/m);
  });

});
