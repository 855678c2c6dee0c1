import type { NodeId } from './messages.ts';

/**
 * Whether two lists of IDs are the same, in the same order. A plain loop over arrays: at 100
 * nodes every heartbeat lists 99 IDs, and walking a set's iterator for each was a seventh of the
 * simulator's time (./peers.ts).
 */
export function sameIds(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
