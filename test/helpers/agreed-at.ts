/** When a set of lab nodes came to name one coordinator: for failover times measured from logs. */
import type { NetnsLab } from '../../src/lab/netns-lab.ts';

/**
 * When the last of `ids` first named `leader` in any line's header after `since`, or Infinity.
 * Any line, not only `leader` lines: a new coordinator's `elected` line already names it, and its
 * `leader` line, written just after, may still be in the pipe when a wait sees the agreement.
 */
export function agreedAt(lab: NetnsLab, ids: number[], leader: number, since: number): number {
  return Math.max(...ids.map((id) => lab.node(id).events.find((e) => e.ts >= since && e.leader === leader)?.ts ?? Infinity));
}
