/** Picks lines of one kind out of a node's story, typed as that kind. */
import type { EventKind, NodeEvent, NodeEventOf } from '../../src/contract/events.ts';

/** A filter for lines of `kind`: `lines.filter(isEvent('dropped'))` is a list of dropped lines. */
export function isEvent<K extends EventKind>(kind: K): (line: NodeEvent) => line is NodeEventOf<K> {
  return (line): line is NodeEventOf<K> => line.event === kind;
}
