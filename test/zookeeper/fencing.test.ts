/**
 * The fencing token through ZooKeeper: the leader-only worker of docs/library.md, three processes electing
 * through a real ZooKeeper server, sharing a store that refuses stale tokens. The leader freezes
 * (SIGSTOP) in the middle of job 3, between its work and its commit, until its session expires;
 * the next one takes over with a higher token (a later zxid); when the old one wakes its late
 * write is refused. Judged on the record of every commit attempt: each job committed exactly
 * once, tokens never going down.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FencedStore, assertFencedHistory } from '../net/fenced-store.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { ZkServer, zooKeeperMissing } from './zk-server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const JOBS = 40;
const FROZEN_JOB = 3;

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('leader-only work through ZooKeeper, with the claim zxid as fencing token', { skip: skipUnlessCi(zooKeeperMissing()) }, () => {
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
          env: { ...process.env, WORKER_BACKEND: zk.url('/workers', 'bully'), WORKER_FREEZE_IN_JOB: String(FROZEN_JOB) },
        });
        const lines: string[] = [];
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n').map((l) => JSON.parse(l).what as string)));
        workers.set(id, { child, lines });
      }
      const said = (id: number, pattern: RegExp): boolean => workers.get(id)!.lines.some((l) => pattern.test(l));
      /** What `id` said since it was last elected, and its token (the claim's zxid). */
      const reign = (id: number): { token: number; lines: string[] } => {
        const { lines } = workers.get(id)!;
        const at = lines.findLastIndex((l) => /^elected \d+$/.test(l));
        return at < 0 ? { token: 0, lines: [] } : { token: Number(lines[at]!.split(' ')[1]), lines: lines.slice(at + 1) };
      };
      await waitFor(`a leader freezes in job ${FROZEN_JOB}`, () => [1, 2, 3].some((id) => said(id, /^frozen in job/)), 20_000);
      const frozen = [1, 2, 3].find((id) => said(id, /^frozen in job/))!;
      const oldToken = reign(frozen).token;
      assert.ok(oldToken > 0, 'the fencing token is a zxid');
      // A successor has a newer token and has committed a job (it is working on its second).
      const successor = (): number | undefined =>
        [1, 2, 3].find((id) => id !== frozen && reign(id).token > oldToken && reign(id).lines.filter((l) => /^working on/.test(l)).length >= 2);
      await waitFor('another node takes over with a newer token and commits a job', () => successor() !== undefined, 8000);
      workers.get(frozen)!.child.kill('SIGCONT');
      await waitFor('the old leader is refused', () => said(frozen, new RegExp(`^stale token ${oldToken} for job ${FROZEN_JOB}:`)), 5000);
      await waitFor('all jobs done', () => [...workers.values()].some((w) => w.lines.includes('all done')), 30_000);

      assertFencedHistory(await new FencedStore(storeDir).attempts(), JOBS, { by: frozen, token: oldToken, job: FROZEN_JOB });
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
