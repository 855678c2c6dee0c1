/** The window title: the node, its role and the coordinator, readable in a task bar. */
export interface TitleStatus {
  id: number;
  role: string;
  term: number;
  leader: number | null;
  quorum: { have: number; need: number };
  /** One of the two is set: the LAN's network, or the ZooKeeper backend. */
  network: { paused: boolean } | null;
  zookeeper?: { paused: boolean } | null;
}

export function windowTitle(status: TitleStatus): string {
  const coordinator = status.leader === null ? 'no coordinator' : status.leader === status.id ? 'coordinator: this node' : `coordinator n${status.leader}`;
  const quorum = status.quorum.have < status.quorum.need ? ' · NO QUORUM' : '';
  const paused = (status.network?.paused ?? status.zookeeper?.paused) === true ? ' · PAUSED' : '';
  return `Conclave n${status.id} — ${status.role} · ${coordinator} · term ${status.term}${quorum}${paused}`;
}
