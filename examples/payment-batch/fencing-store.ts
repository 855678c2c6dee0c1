/**
 * Where the payment batches go: a store that takes the writer's term as a fencing token and
 * refuses a write with an older term than one it already took. A leader that lost its lease
 * without knowing yet (cut off, stalled) cannot overwrite the work of the leader after it.
 * In production this check lives in the database: a conditional write (`WHERE term <= $1`), a
 * compare-and-set, or the token column of a lock table.
 */
export interface Batch {
  term: number;
  payments: readonly string[];
}

export class FencingStore {
  readonly batches: Batch[] = [];
  /** Writes refused for an old term. */
  refused = 0;
  private highestTerm = 0;

  /** Takes the batch unless a newer term has written already; says whether it did. */
  write(term: number, payments: readonly string[]): boolean {
    if (term < this.highestTerm) {
      this.refused++;
      return false;
    }
    this.highestTerm = term;
    this.batches.push({ term, payments });
    return true;
  }
}
