/**
 * The sides of a cluster as its own heartbeats tell them: two live nodes are on one side when each
 * says it hears the other, and a side is everything joined that way (connected components). A
 * link heard one way only joins nothing: such a pair cannot hold an election together.
 */
import type { NodeId } from '../core/index.ts';

export interface Hearing {
  id: NodeId;
  hears: readonly NodeId[];
}

/** Each side's members by ascending ID; sides ordered by their lowest member. */
export function sidesFromHears(nodes: readonly Hearing[]): NodeId[][] {
  const hears = new Map(nodes.map((n) => [n.id, new Set(n.hears)]));
  const sideOf = new Map<NodeId, NodeId[]>();
  const sides: NodeId[][] = [];
  for (const start of [...hears.keys()].sort((a, b) => a - b)) {
    if (sideOf.has(start)) continue;
    const side = [start];
    sideOf.set(start, side);
    for (let i = 0; i < side.length; i++) {
      const id = side[i]!;
      for (const other of hears.get(id)!) {
        if (!sideOf.has(other) && hears.get(other)?.has(id) === true) {
          side.push(other);
          sideOf.set(other, side);
        }
      }
    }
    sides.push(side.sort((a, b) => a - b));
  }
  return sides;
}
