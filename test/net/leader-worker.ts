/**
 * The README's leader-only worker, run for real: while its node holds the lease it takes the
 * next job, works on it, and commits the result with the term as fencing token.
 * usage: leader-worker.ts <id> <cluster-size> <interface> <data-dir> <key> <store-dir> <jobs>
 * With WORKER_BACKEND=zookeeper://… it elects through ZooKeeper (interface, data dir and key unused).
 */
import { parseKeys, startNode } from '../../src/index.ts';
import { FencedStore, StaleTokenError } from './fenced-store.ts';

const [id, size, iface, dataDir, key, storeDir, jobs] = process.argv.slice(2);
const store = new FencedStore(storeDir!);
const backend = process.env.WORKER_BACKEND;
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
  while (leading === token && node.hasLease()) {
    const job = await store.nextJob(Number(jobs));
    if (job === null) return say('all done');
    say(`working on ${job}`);
    await new Promise((resolve) => setTimeout(resolve, 80)); // the work itself
    try {
      await store.commit(job, token, Number(id));
    } catch (error) {
      if (!(error instanceof StaleTokenError)) throw error;
      return say(`stale token ${token} for job ${job}: a newer coordinator exists`);
    }
  }
}

process.on('SIGTERM', () => void node.stop().then(() => process.exit(0)));
