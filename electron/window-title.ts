/** The window title: the node, its role and the coordinator, readable in a task bar. */
interface TitleState {
  id: number;
  role: string;
  term: number;
  leader: number | null;
}

/**
 * The part of a status the title reads (RuntimeStatus, without importing the runtime): paused
 * where its backend says; a LAN node's quorum, or a ZooKeeper node's session, without which it
 * cannot lead.
 */
export type TitleStatus = TitleState &
  (
    | { backend: 'lan'; quorum: { have: number; need: number }; network: { paused: boolean } }
    | { backend: 'zookeeper'; zookeeper: { paused: boolean; session: { state: string } } }
  );

export function windowTitle(status: TitleStatus): string {
  const coordinator = status.leader === null ? 'no coordinator' : status.leader === status.id ? 'coordinator: this node' : `coordinator n${status.leader}`;
  const cannotLead = status.backend === 'zookeeper' ? status.zookeeper.session.state !== 'connected' : status.quorum.have < status.quorum.need;
  const quorum = cannotLead ? ' · NO QUORUM' : '';
  const paused = (status.backend === 'zookeeper' ? status.zookeeper.paused : status.network.paused) ? ' · PAUSED' : '';
  return `Conclave n${status.id} — ${status.role} · ${coordinator} · term ${status.term}${quorum}${paused}`;
}
