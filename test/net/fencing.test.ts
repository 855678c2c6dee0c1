/**
 * The fencing token at work: three worker processes (the leader-only worker of docs/library.md) share a
 * store that refuses stale tokens. The leader freezes (SIGSTOP) in the middle of job 3, between
 * its work and its commit, the others elect a new leader that carries on, and when the old one
 * wakes up its late write is refused. Judged on the record of every commit attempt: each job
 * committed exactly once, tokens never going down.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FencedStore, assertFencedHistory } from './fenced-store.ts';
import { KEY, Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const JOBS = 40;
const FROZEN_JOB = 3;
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
          String(node.id), '3', 'eth0', join(lab.dir, `w${node.id}`), KEY, storeDir, String(JOBS)], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, WORKER_FREEZE_IN_JOB: String(FROZEN_JOB) },
        });
        const lines: string[] = [];
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n').map((l) => JSON.parse(l).what as string)));
        workers.set(node.id, { child, lines });
      }
      const said = (id: number, pattern: RegExp): boolean => workers.get(id)!.lines.some((l) => pattern.test(l));
      /** What `id` said since it was last elected, and that term (its fencing token). */
      const reign = (id: number): { token: number; lines: string[] } => {
        const { lines } = workers.get(id)!;
        const at = lines.findLastIndex((l) => /^elected \d+$/.test(l));
        return at < 0 ? { token: 0, lines: [] } : { token: Number(lines[at]!.split(' ')[1]), lines: lines.slice(at + 1) };
      };
      await lab.waitFor(`a leader freezes in job ${FROZEN_JOB}`, () => lab.nodes.some((n) => said(n.id, /^frozen in job/)), 15_000);
      const frozen = lab.nodes.find((n) => said(n.id, /^frozen in job/))!.id;
      const oldToken = reign(frozen).token;
      // A successor has a newer token and has committed a job (it is working on its second).
      const successor = (): number | undefined =>
        lab.nodes.find((n) => n.id !== frozen && reign(n.id).token > oldToken && reign(n.id).lines.filter((l) => /^working on/.test(l)).length >= 2)?.id;
      await lab.waitFor('another node takes over with a newer token and commits a job', () => successor() !== undefined, 8000);
      workers.get(frozen)!.child.kill('SIGCONT');
      await lab.waitFor('the old leader is refused', () => said(frozen, new RegExp(`^stale token ${oldToken} for job ${FROZEN_JOB}:`)), 5000);
      await lab.waitFor('all jobs done', () => [...workers.values()].some((w) => w.lines.includes('all done')), 20_000);

      assertFencedHistory(await new FencedStore(storeDir).attempts(), JOBS, { by: frozen, token: oldToken, job: FROZEN_JOB });
    } finally {
      for (const { child } of workers.values()) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
      lab.destroy();
    }
  });
});
