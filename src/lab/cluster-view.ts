/**
 * The cluster as the lab sees it: which nodes can hear each other (sides), what each side's nodes
 * say about the coordinator, and whether they agree. Pure, so the lab page, the lab's timing of
 * "action → agreed again" and the tests all judge alike.
 */
import { quorumSize } from '../core/quorum.ts';

/** What the lab knows of one node: its process and link, and its last reported view. */
export interface LabNodeView {
  id: number;
  /** running: process up and linked; the rest are the lab's own doing. */
  condition: 'running' | 'down' | 'unplugged' | 'stalled' | 'paused';
  role: string | null;
  term: number | null;
  leader: number | null;
  quorum: { have: number; need: number } | null;
}

export interface Side {
  /** Nodes that can hear each other (running ones only). */
  members: number[];
  /** A majority of all voters is on this side: it can elect. */
  canElect: boolean;
  /** The coordinator the whole side agrees on, or null. */
  leader: number | null;
  /** Every member says the same: the side's leader, or none when it cannot elect. */
  agreed: boolean;
}

export interface ClusterView {
  sides: Side[];
  /** Every side agrees (with a leader where it can elect, none where it cannot). */
  agreed: boolean;
  /**
   * Nodes that say they lead and could act on it (running, or unplugged: cut off, but still
   * working): more than one is split brain.
   */
  leaders: number[];
}

/**
 * @param groups the partition: each group hears only itself (empty: one network)
 * @param voters how many voters the cluster has (the majority is of these, not of the running ones)
 */
export function clusterView(nodes: LabNodeView[], groups: number[][], voters: number): ClusterView {
  const running = nodes.filter((n) => n.condition === 'running');
  const sideOf = (id: number): number => {
    const index = groups.findIndex((g) => g.includes(id));
    return index < 0 ? groups.length : index;
  };
  const bySide = new Map<number, LabNodeView[]>();
  for (const node of running) bySide.set(sideOf(node.id), [...(bySide.get(sideOf(node.id)) ?? []), node]);
  // The nodes' own rule, so the lab never says a side can elect when its nodes think it cannot.
  const majority = quorumSize(voters);
  const sides = [...bySide.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, members]): Side => {
      const canElect = members.length >= majority;
      const first = members[0]?.leader ?? null;
      const same = members.every((m) => m.leader === first);
      const leader = same && first !== null && members.some((m) => m.id === first && m.role === 'leader') ? first : null;
      const agreed = canElect ? leader !== null : members.every((m) => m.leader === null && m.role !== 'leader');
      return { members: members.map((m) => m.id), canElect, leader: canElect ? leader : null, agreed };
    });
  return {
    sides,
    agreed: sides.every((s) => s.agreed),
    leaders: nodes.filter((n) => (n.condition === 'running' || n.condition === 'unplugged') && n.role === 'leader').map((n) => n.id),
  };
}
