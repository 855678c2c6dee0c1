import type { NodeId } from '../messages.ts';

/** What must survive a restart. Written (and fsynced) before the messages of the same Ready leave. */
export interface PersistentState {
  term: number;
  votedFor: NodeId | null;
}

/**
 * The term and the vote (S3: they never go back, and are on the disk before any message that
 * depends on them leaves). Only these methods change them: the term only rises, a vote is
 * dropped only with the term it was cast in, and every change marks the state unsaved, so the
 * next Ready carries it. No caller can forget to persist.
 */
export class DurableState {
  #term: number;
  #votedFor: NodeId | null;
  #unsaved = false;

  constructor(persisted: PersistentState | null) {
    this.#term = persisted?.term ?? 0;
    this.#votedFor = persisted?.votedFor ?? null;
  }

  get term(): number {
    return this.#term;
  }

  get votedFor(): NodeId | null {
    return this.#votedFor;
  }

  /** Adopts `term` if it is higher, with no vote cast in it yet; says whether it did. */
  adoptTerm(term: number): boolean {
    if (term <= this.#term) return false;
    this.#change(term, null);
    return true;
  }

  /** A candidate's real vote: the next term, with its own vote. */
  enterNextTerm(self: NodeId): void {
    this.#change(this.#term + 1, self);
  }

  /** A real vote granted in the current term. */
  grantVote(candidate: NodeId): void {
    this.#change(this.#term, candidate);
  }

  /** The state to write before the next messages leave, or null if nothing changed since the last call. */
  takeUnsaved(): PersistentState | null {
    if (!this.#unsaved) return null;
    this.#unsaved = false;
    return { term: this.#term, votedFor: this.#votedFor };
  }

  #change(term: number, votedFor: NodeId | null): void {
    this.#term = term;
    this.#votedFor = votedFor;
    this.#unsaved = true;
  }
}
