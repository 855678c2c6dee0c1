/**
 * What `conclave watch --record FILE` (and `--json`) writes: one JSON object per line, one line per
 * change the observer saw in a node (docs/watch.md, "The record"). Fields are only added. Here, below
 * both, because the observer writes it and `conclave check` reads it.
 */
import type { NodeId, Role } from '../core/index.ts';

export interface WatchRecordLine {
  /** When the observer saw the change (its clock, ms since the epoch). */
  ts: number;
  node: NodeId;
  /** From the node's last heartbeat. */
  role: Role;
  term: number;
  /** The coordinator it follows (itself while it leads), or null. */
  leader: NodeId | null;
  /** The voters it says it hears, ascending. */
  hears: NodeId[];
  canLead: boolean;
  /** Its announced beat interval (the fast or the slow rate). */
  intervalMs: number;
  /** True: the node stopped being heard; the other fields are what it last said. */
  silent: boolean;
  /** When its last heartbeat arrived. */
  lastHeardTs: number;
}
