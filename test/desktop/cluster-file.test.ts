/**
 * The desktop app started from a cluster file, by its argument or by CONCLAVE_CLUSTER_FILE: it
 * finds its ID in the file (here by the loopback address, which every machine has) and says so;
 * a bad file exits 2 naming it, with no window. One node on loopback without multicast.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runDesktopApp } from '../../src/desktop/desktop-app.ts';
import { TestProcess, TestShell } from './desktop-app-shell.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-desktop-cluster-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NETWORK = ['--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0'];

function clusterFile(content: object): string {
  const path = join(dir, 'lab.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

async function startApp(args: string[], env: NodeJS.ProcessEnv): Promise<{ shell: TestShell; proc: TestProcess }> {
  const shell = new TestShell();
  const proc = new TestProcess([...args, ...NETWORK, '--data-dir', join(dir, 'n7')], { CONCLAVE_KEY: '1:0123456789abcdef0123', ...env });
  await runDesktopApp(shell, proc);
  return { shell, proc };
}

describe('desktop app from a cluster file', () => {
  const lab = { cluster: 'lab', voters: { 7: '127.0.0.1' }, heartbeatMs: 50, timeoutMs: 300, dampingMs: 0 };

  for (const how of ['argument', 'environment'] as const) {
    it(`by ${how === 'argument' ? '--cluster-file' : 'CONCLAVE_CLUSTER_FILE'}: finds its ID and opens the window`, async () => {
      const path = clusterFile(lab);
      const { shell, proc } = await startApp(how === 'argument' ? ['--cluster-file', path] : [], how === 'argument' ? {} : { CONCLAVE_CLUSTER_FILE: path });
      assert.deepEqual(shell.exits, [], proc.err);
      assert.equal(shell.windows.length, 1);
      assert.match(proc.err, /conclave: cluster file .*lab\.json: this machine is n7 \(address matches "127\.0\.0\.1"\) of 1 voter in cluster "lab", config [0-9a-f]+/);
      assert.equal(shell.windows[0]!.node.id, 7);
      shell.quit();
      assert.equal(await shell.exited(), 0);
    });
  }

  it('a bad file: exit 2 naming the file and the field, no window', async () => {
    const { shell, proc } = await startApp(['--cluster-file', clusterFile({ ...lab, timeoutMS: 300 })], {});
    assert.deepEqual(shell.exits, [2]);
    assert.equal(shell.windows.length, 0);
    assert.match(proc.err, /lab\.json: \$\.timeoutMS: unknown field \(did you mean "timeoutMs"\?\)/);
  });
});
