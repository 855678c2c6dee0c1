/** The window title: the node, its role and the coordinator, readable in a task bar. */
interface TitleState {
  id: number;
  role: string;
  term: number;
  leader: number | null;
  quorum: { have: number; need: number };
}

/** The part of a status the title reads (RuntimeStatus, without importing the runtime): paused where its backend says. */
export type TitleStatus = TitleState & ({ backend: 'lan'; network: { paused: boolean } } | { backend: 'zookeeper'; zookeeper: { paused: boolean } });

export function windowTitle(status: TitleStatus): string {
  const coordinator = status.leader === null ? 'no coordinator' : status.leader === status.id ? 'coordinator: this node' : `coordinator n${status.leader}`;
  const quorum = status.quorum.have < status.quorum.need ? ' · NO QUORUM' : '';
  const paused = (status.backend === 'zookeeper' ? status.zookeeper.paused : status.network.paused) ? ' · PAUSED' : '';
  return `Conclave n${status.id} — ${status.role} · ${coordinator} · term ${status.term}${quorum}${paused}`;
}
