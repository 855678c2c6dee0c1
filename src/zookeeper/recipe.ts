/**
 * ZooKeeper's leader-election recipe, as pure functions of the election znode's children: who
 * should lead, and which znode each candidate watches, so that a change wakes one candidate, not
 * all of them (no herd effect).
 *
 * Every candidate creates an ephemeral sequential child `id-<node ID>-<10-digit sequence>`.
 * - fair: the lowest sequence leads (first come, first served); each other candidate watches its
 *   predecessor in sequence order.
 * - bully: the highest node ID leads (the lowest sequence among duplicates of that ID); each
 *   other candidate watches the candidate with the next higher ID, and the top one watches the
 *   list of children, to see a higher ID arrive.
 * Leading also takes the claim znode (see zookeeper-node.ts); the recipe only says who tries.
 */
import { ElectionMode } from '../contract/zookeeper-status.ts';
import type { NodeId } from '../election/vocabulary.ts';

export { ElectionMode };

export interface Candidate {
  /** The znode's name (not the full path). */
  name: string;
  id: NodeId;
  seq: number;
}

/** What a candidate waits on: one other candidate's znode, the children list, or nothing (it leads). */
export type Watch = { kind: 'candidate'; name: string } | { kind: 'children' } | { kind: 'none' };

export const CANDIDATE_PREFIX = 'id-';
const CANDIDATE_NAME = /^id-(\d{1,10})-(\d{10})$/;

/** The prefix a candidate creates its sequential znode with; ZooKeeper appends the sequence. */
export function candidatePrefix(id: NodeId): string {
  return `${CANDIDATE_PREFIX}${id}-`;
}

/** A child of the election znode as a candidate; null for anything else (it is ignored). */
export function parseCandidate(name: string): Candidate | null {
  const match = CANDIDATE_NAME.exec(name);
  if (match === null) return null;
  const id = Number(match[1]);
  if (id < 1 || id > 0xffff_ffff) return null;
  return { name, id, seq: Number(match[2]) };
}

/** Candidates in the order the mode ranks them: the first one should lead. */
export function rank(candidates: readonly Candidate[], mode: ElectionMode): Candidate[] {
  const bySeq = [...candidates].sort((a, b) => a.seq - b.seq);
  return mode === 'fair' ? bySeq : bySeq.sort((a, b) => b.id - a.id || a.seq - b.seq);
}

/** The candidate that should lead, or null when there is none. */
export function designated(candidates: readonly Candidate[], mode: ElectionMode): Candidate | null {
  return rank(candidates, mode)[0] ?? null;
}

/** What `self` (a child name) waits on. */
export function watchOf(candidates: readonly Candidate[], self: string, mode: ElectionMode): Watch {
  const ranked = rank(candidates, mode);
  const index = ranked.findIndex((c) => c.name === self);
  if (index < 0) return { kind: 'none' };
  if (index > 0) return { kind: 'candidate', name: ranked[index - 1]!.name };
  return mode === 'bully' ? { kind: 'children' } : { kind: 'none' };
}

/** Several live znodes with one node ID: two processes think they are the same node. */
export function duplicateIds(candidates: readonly Candidate[]): NodeId[] {
  const seen = new Set<NodeId>();
  const twice = new Set<NodeId>();
  for (const c of candidates) (seen.has(c.id) ? twice : seen).add(c.id);
  return [...twice].sort((a, b) => a - b);
}
