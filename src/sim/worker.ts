import { parentPort, workerData } from 'node:worker_threads';
import { runSimulation, type RunResult } from './run.ts';
import { runZkSimulation, type ZkRunResult } from './zookeeper/run.ts';

/** Runs its share of the seeds and reports each result to the main thread. */
export interface WorkerJob {
  seeds: number[];
  nodes: number | undefined;
  backend: 'lan' | 'zookeeper';
  /** LAN backend: boot storms instead of random faults. */
  bootStorm?: boolean;
  /** LAN backend: `off` runs on an unlimited machine, as before the capacity model. */
  capacity?: 'drawn' | 'off';
  /** LAN backend: `off` runs on the plain transport, without peer directories, as before the layouts. */
  directory?: 'drawn' | 'off';
  /** LAN backend: the checks today's core is known to break fail runs too. */
  strict?: boolean;
}

const job = workerData as WorkerJob;
for (const seed of job.seeds) {
  const result: RunResult | ZkRunResult = job.backend === 'zookeeper' ? runZkSimulation({ seed, nodes: job.nodes }) : runSimulation({ seed, nodes: job.nodes, bootStorm: job.bootStorm, capacity: job.capacity, directory: job.directory, strict: job.strict });
  parentPort!.postMessage(result);
}
