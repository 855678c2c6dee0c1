import type { NodeId } from '../messages.ts';

/**
 * Boot ID 0 names no process (boot IDs are wall-clock milliseconds × 1024 and more): a vote bound
 * to it is never granted again, not even to the candidate it went to.
 */
export const NO_BOOT = 0;

/** What must survive a restart. Written (and fsynced) before the messages of the same Ready leave. */
export interface PersistentState {
  term: number;
  votedFor: NodeId | null;
  /**
   * The boot ID of the process the vote went to (a candidate's own vote: its own boot). Only that
   * process gets the vote again: two processes with one ID (a duplicate, or a node that lost its
   * state file) never both get this voter's vote of a term. NO_BOOT, or absent (files written
   * before it): the vote is spent, and nobody gets it again.
   */
  votedForBoot?: number;
  /**
   * Every term up to this one, above `term`, may hold a vote of this node's ID: another process
   * with the ID spoke in it (docs/protocol.md, "Restarts, duplicates, leaving"). No vote is
   * granted, and no campaign asks, in any of them. Absent: none above `term`.
   */
  spentThroughTerm?: number;
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
  #votedForBoot: number;
  #spentThroughTerm: number;
  #unsaved = false;

  constructor(persisted: PersistentState | null) {
    this.#term = persisted?.term ?? 0;
    this.#votedFor = persisted?.votedFor ?? null;
    this.#votedForBoot = persisted?.votedForBoot ?? NO_BOOT;
    this.#spentThroughTerm = persisted?.spentThroughTerm ?? 0;
  }

  get term(): number {
    return this.#term;
  }

  get votedFor(): NodeId | null {
    return this.#votedFor;
  }

  get votedForBoot(): number {
    return this.#votedForBoot;
  }

  /** The highest term another process with our ID spoke in, as far as we heard (0: none). */
  get spentThroughTerm(): number {
    return this.#spentThroughTerm;
  }

  /** The term a campaign asks for: the next one this ID has not spent. */
  get nextCampaignTerm(): number {
    return Math.max(this.#term, this.#spentThroughTerm) + 1;
  }

  /** Adopts `term` if it is higher, with no vote cast in it yet; says whether it did. */
  adoptTerm(term: number): boolean {
    if (term <= this.#term) return false;
    this.#change(term, null, NO_BOOT);
    return true;
  }

  /** A candidate's real vote: the next term it may campaign in, with its own vote (of this process, `bootId`). */
  enterNextTerm(self: NodeId, bootId: number): void {
    this.#change(this.nextCampaignTerm, self, bootId);
  }

  /** A real vote granted in the current term, to the process `candidateBoot` of `candidate`. */
  grantVote(candidate: NodeId, candidateBoot: number): void {
    this.#change(this.#term, candidate, candidateBoot);
  }

  /**
   * Another process with our ID spoke in `term`: it may have cast our ID's vote there, for
   * anyone, and in every term before it. Those votes are spent, without adopting the term (it is
   * our ID's, not the cluster's: adopting it deposed a healthy coordinator whenever a key holder
   * impersonated a follower with a high term): no vote is granted, and no campaign asks, in any
   * term up to it. In our own term, a vote we cast is never repeated (bound to no boot), and if
   * we cast none, none is cast. A lower term changes nothing: we never vote below our term.
   */
  spendVote(term: number, self: NodeId): void {
    if (term < this.#term) return;
    if (term === this.#term && !(this.#votedFor !== null && this.#votedForBoot === NO_BOOT)) {
      this.#change(term, this.#votedFor ?? self, NO_BOOT);
    }
    if (term > this.#term && term > this.#spentThroughTerm) {
      this.#spentThroughTerm = term;
      this.#change(this.#term, this.#votedFor, this.#votedForBoot); // to be saved
    }
  }

  /** The state to write before the next messages leave, or null if nothing changed since the last call. */
  takeUnsaved(): PersistentState | null {
    if (!this.#unsaved) return null;
    this.#unsaved = false;
    const spent = this.#spentThroughTerm > this.#term ? { spentThroughTerm: this.#spentThroughTerm } : {};
    return { term: this.#term, votedFor: this.#votedFor, votedForBoot: this.#votedForBoot, ...spent };
  }

  #change(term: number, votedFor: NodeId | null, votedForBoot: number): void {
    this.#term = term;
    this.#votedFor = votedFor;
    this.#votedForBoot = votedForBoot;
    this.#unsaved = true;
  }
}
