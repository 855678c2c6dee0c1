/**
 * The quorum a node's event lines and metrics carry. A LAN node has one of its own (its status's,
 * voters included); a ZooKeeper node's status has none, so its lines count its session: 1 of 1
 * while connected.
 */
import type { EventState } from './event-line.ts';
import type { RuntimeStatus } from './status.ts';
import { SessionState } from './zookeeper-status.ts';

/** A ZooKeeper node's quorum: its session, 1 of 1 while connected. */
export function sessionQuorum(connected: boolean): { have: number; need: number } {
  return { have: connected ? 1 : 0, need: 1 };
}

/** The state a line made from a status carries: the LAN node's quorum, or the ZooKeeper node's session. */
export function eventStateOf(status: RuntimeStatus): EventState {
  const quorum = status.backend === 'lan' ? status.quorum : sessionQuorum(status.zookeeper.session.state === SessionState.Connected);
  return { id: status.id, role: status.role, term: status.term, leader: status.leader, quorum };
}
