/**
 * The leader-only worker of docs/library.md, run for real: while its node holds the lease it takes the
 * next job, works on it, and commits the result with the term as fencing token.
 * usage: leader-worker.ts <id> <cluster-size> <interface> <data-dir> <key> <store-dir> <jobs>
 * With WORKER_BACKEND=zookeeper://… it elects through ZooKeeper (interface, data dir and key unused).
 * With WORKER_FREEZE_IN_JOB=<n>, the first worker to finish the work of job n freezes itself
 * (SIGSTOP, as a long GC pause or a VM freeze would) before committing it, until sent SIGCONT.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeys, startNode } from '../../src/index.ts';
import { FencedStore, StaleTokenError } from './fenced-store.ts';

const [id, size, iface, dataDir, key, storeDir, jobs] = process.argv.slice(2);
const store = new FencedStore(storeDir!);
const backend = process.env.WORKER_BACKEND;
const freezeInJob = process.env.WORKER_FREEZE_IN_JOB === undefined ? null : Number(process.env.WORKER_FREEZE_IN_JOB);
const node = await startNode(
  backend === undefined
    ? { id: Number(id), clusterSize: Number(size), interface: iface!, dataDir: dataDir!, cluster: 'workers', keys: parseKeys(`1:${key}`, 'argv') }
    : { id: Number(id), clusterSize: Number(size), cluster: 'workers', backend, timeoutMs: 1000 },
);
const say = (what: string): void => console.log(JSON.stringify({ ts: Date.now(), id: Number(id), what }));

let leading: number | null = null; // the term we lead, if any
node.on('elected', ({ term }) => {
  leading = term;
  say(`elected ${term}`);
  void work(term);
});
node.on('demoted', ({ term }) => {
  leading = null;
  say(`demoted ${term}`);
});

async function work(token: number): Promise<void> {
  try {
    await store.fence(token);
  } catch (error) {
    if (!(error instanceof StaleTokenError)) throw error;
    return say(`stale token ${token}: a newer coordinator exists`);
  }
  while (leading === token && node.hasLease()) {
    const job = await store.nextJob(Number(jobs));
    if (job === null) return say('all done');
    say(`working on ${job}`);
    await new Promise((resolve) => setTimeout(resolve, 80)); // the work itself
    if (job === freezeInJob && firstToFreeze()) {
      say(`frozen in job ${job}`); // a pipe is written synchronously: the line is out before the stop
      process.kill(process.pid, 'SIGSTOP');
    }
    try {
      await store.commit(job, token, Number(id));
    } catch (error) {
      if (!(error instanceof StaleTokenError)) throw error;
      return say(`stale token ${token} for job ${job}: a newer coordinator exists`);
    }
  }
}

/** Only one worker freezes: the successor does the same job and must not. */
function firstToFreeze(): boolean {
  try {
    mkdirSync(join(storeDir!, 'frozen'));
    return true;
  } catch {
    return false;
  }
}

process.on('SIGTERM', () => void node.stop().then(() => process.exit(0)));
