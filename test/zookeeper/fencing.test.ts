/**
 * The fencing token through ZooKeeper: the README's leader-only worker, three processes electing
 * through a real ZooKeeper server, sharing a store that refuses stale tokens. The leader is frozen
 * (SIGSTOP) in the middle of a job until its session expires; the next one takes over with a
 * higher token (a later zxid); when the old one wakes its late write is refused. Each job is done once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FencedStore } from '../net/fenced-store.ts';
import { ZkServer, zooKeeperMissing } from './zk-server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const JOBS = 40;

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('leader-only work through ZooKeeper, with the claim zxid as fencing token', { skip: zooKeeperMissing() ?? false }, () => {
  it('a frozen leader that wakes up cannot overwrite its successor: each job is done once', async () => {
    const zk = await ZkServer.start({ tickMs: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'conclave-zk-fencing-'));
    const workers = new Map<number, { child: ChildProcess; lines: string[] }>();
    try {
      const storeDir = join(dir, 'store');
      mkdirSync(storeDir);
      for (const id of [1, 2, 3]) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/net/leader-worker.ts', String(id), '3', '-', '-', '-', storeDir, String(JOBS)], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, WORKER_BACKEND: zk.url('/workers', 'bully') },
        });
        const lines: string[] = [];
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n').map((l) => JSON.parse(l).what as string)));
        workers.set(id, { child, lines });
      }
      const said = (id: number, pattern: RegExp): boolean => workers.get(id)!.lines.some((l) => pattern.test(l));
      await waitFor('n3 leads and works', () => said(3, /^elected \d+$/) && said(3, /^working on/), 15_000);
      const oldToken = Number(/^elected (\d+)$/.exec(workers.get(3)!.lines.find((l) => /^elected/.test(l))!)![1]);
      workers.get(3)!.child.kill('SIGSTOP'); // frozen in the middle of a job
      await waitFor('n2 takes over and works', () => said(2, /^elected \d+$/) && workers.get(2)!.lines.filter((l) => /^working on/.test(l)).length >= 2, 8000);
      const newToken = Number(/^elected (\d+)$/.exec(workers.get(2)!.lines.find((l) => /^elected/.test(l))!)![1]);
      assert.ok(newToken > oldToken, `the successor's token ${newToken} is above ${oldToken}`);
      workers.get(3)!.child.kill('SIGCONT');
      await waitFor('the old leader is refused', () => said(3, new RegExp(`^stale token ${oldToken} for job`)), 5000);
      await waitFor('all jobs done', () => [...workers.values()].some((w) => w.lines.includes('all done')), 30_000);

      const store = await new FencedStore(storeDir).read();
      assert.deepEqual(Object.keys(store.results).map(Number).sort((a, b) => a - b), Array.from({ length: JOBS }, (_, i) => i + 1));
      assert.deepEqual(store.rejected.map((r) => [r.by, r.token]), [[3, oldToken]], "exactly the frozen leader's late write was refused");
    } finally {
      for (const { child } of workers.values()) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
      zk.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
