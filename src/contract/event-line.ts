/** Builds an event line: the one place a kind and its fields become a NodeEvent. */
import type { DetailsOf, EventHeader, EventKind, NodeEventOf } from './events.ts';

/** The node's state as a line states it: the header but its time. */
export type EventState = Omit<EventHeader, 'ts'>;

/** A line of kind `event`, stamped now; the keys in the order the lines have always had. */
export function eventLine<K extends EventKind>(state: EventState, event: K, details: DetailsOf<K>): NodeEventOf<K> {
  const line = { ts: Date.now(), event, id: state.id, role: state.role, term: state.term, leader: state.leader, quorum: state.quorum, ...details };
  // The compiler cannot follow a generic kind through the spread; the signature says what it is.
  return line as unknown as NodeEventOf<K>;
}
