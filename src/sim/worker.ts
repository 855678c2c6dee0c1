import { parentPort, workerData } from 'node:worker_threads';
import { runSimulation, type RunResult } from './run.ts';

/** Runs its share of the seeds and reports each result to the main thread. */
export interface WorkerJob {
  seeds: number[];
  nodes: number | undefined;
}

const job = workerData as WorkerJob;
for (const seed of job.seeds) {
  const result: RunResult = runSimulation({ seed, nodes: job.nodes });
  parentPort!.postMessage(result);
}
