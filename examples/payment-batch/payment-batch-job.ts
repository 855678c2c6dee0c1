/**
 * A leader-only job: pay out a batch of invoices, on the coordinator only, with its term as the
 * fencing token. Wire it to a real node the same way as to a test cluster's node:
 *
 *   const node = await startNode({ id: 3, clusterSize: 5, keys });
 *   const job = new PaymentBatchJob(node, store);
 *   setInterval(() => void job.runBatch(fetchDueInvoices), 60_000);
 */
import type { LeaseEndReason } from 'conclave';
import type { FencingStore } from './fencing-store.ts';

/** What the job needs of a node: a real one (startNode) and a test cluster's both have it. */
export interface LeaderSignals {
  on(event: 'elected', listener: (details: { term: number }) => void): unknown;
  on(event: 'demoted', listener: (details: { term: number; reason: LeaseEndReason }) => void): unknown;
  hasLease(): boolean;
}

export type BatchOutcome = 'written' | 'refused' | 'not-leader';

export class PaymentBatchJob {
  private readonly node: LeaderSignals;
  private readonly store: FencingStore;
  /** The term this node leads in, from `elected` until `demoted`; null while it does not lead. */
  private term: number | null = null;

  constructor(node: LeaderSignals, store: FencingStore) {
    this.node = node;
    this.store = store;
    node.on('elected', ({ term }) => (this.term = term));
    node.on('demoted', () => (this.term = null));
  }

  /**
   * Runs one batch if this node leads: `pay` does the slow part (calling the bank), then the
   * batch is written with the term it started under. The store refuses it if another leader
   * was elected meanwhile, however late this write arrives.
   */
  async runBatch(pay: () => Promise<readonly string[]>): Promise<BatchOutcome> {
    const term = this.term;
    if (term === null || !this.node.hasLease()) return 'not-leader';
    const payments = await pay();
    return this.store.write(term, payments) ? 'written' : 'refused';
  }
}
