/**
 * The fencing token at work: three worker processes (the README's leader-only worker) share a
 * store that refuses stale tokens. The leader is frozen (SIGSTOP) in the middle of a job, the
 * others elect a new leader that carries on, and when the old one wakes up its late write is
 * refused. Every job ends up done exactly once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FencedStore } from './fenced-store.ts';
import { KEY, Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const JOBS = 40;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

describe('leader-only work with a fencing token', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('a frozen leader that wakes up cannot overwrite its successor: each job is done once', async () => {
    const lab = Lab.create(3);
    const workers = new Map<number, { child: ChildProcess; lines: string[] }>();
    try {
      const storeDir = join(lab.dir, 'store');
      mkdirSync(storeDir);
      for (const node of lab.nodes) {
        const child = spawn('ip', ['netns', 'exec', node.ns, process.execPath, '--import', 'tsx', 'test/net/leader-worker.ts',
          String(node.id), '3', 'eth0', join(lab.dir, `w${node.id}`), KEY, storeDir, String(JOBS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        const lines: string[] = [];
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n').map((l) => JSON.parse(l).what as string)));
        workers.set(node.id, { child, lines });
      }
      const said = (id: number, pattern: RegExp): boolean => workers.get(id)!.lines.some((l) => pattern.test(l));
      await lab.waitFor('n3 works on job 3', () => said(3, /^working on 3$/), 10_000);
      workers.get(3)!.child.kill('SIGSTOP'); // frozen in the middle of job 3
      await lab.waitFor('n2 takes over and works', () => said(2, /^elected 2$/) && said(2, /^working on/), 5000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      workers.get(3)!.child.kill('SIGCONT');
      await lab.waitFor('the old leader is refused', () => said(3, /^stale token 1 for job 3/), 5000);
      await lab.waitFor('all jobs done', () => [...workers.values()].some((w) => w.lines.includes('all done')), 20_000);

      const store = await new FencedStore(storeDir).read();
      assert.deepEqual(Object.keys(store.results).map(Number).sort((a, b) => a - b), Array.from({ length: JOBS }, (_, i) => i + 1));
      assert.deepEqual(store.rejected.map((r) => [r.by, r.token, r.job]), [[3, 1, 3]], 'exactly the frozen leader\'s late write was refused');
      assert.equal(store.results['3']!.by, 2, 'job 3 was done by the successor');
    } finally {
      for (const { child } of workers.values()) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
      lab.destroy();
    }
  });
});
