import type { ZooKeeperStatus } from '../contract/zookeeper-status.ts';
import { formatBackend, type ZooKeeperBackend } from './backend-url.ts';
import type { ZkElectionView } from './election/zk-election.ts';
import { rank, watchOf } from './recipe.ts';

/** The ZooKeeper part of a node's status: its session and the election's znodes, from the election's view. */
export function zookeeperStatus(view: ZkElectionView, options: { backend: ZooKeeperBackend; sessionTimeoutMs: number }, nowMs: number): ZooKeeperStatus {
  const { backend } = options;
  const leaderZnode = view.claim?.znode ?? null;
  return {
    backend: formatBackend(backend),
    servers: backend.servers,
    path: backend.path,
    mode: backend.mode,
    session: {
      state: view.session.state,
      id: view.session.id,
      timeoutMs: view.session.timeoutMs,
      requestedTimeoutMs: options.sessionTimeoutMs,
      lastContactAgoMs: view.lastReadMs === null ? null : nowMs - view.lastReadMs,
    },
    self: view.ownName,
    znodes: rank(view.candidates, backend.mode).map((c) => {
      const watch = watchOf(view.candidates, c.name, backend.mode);
      return {
        name: c.name,
        id: c.id,
        seq: c.seq,
        watches: watch.kind === 'candidate' ? watch.name : watch.kind === 'children' ? '(children)' : null,
        self: c.name === view.ownName,
        leads: c.name === leaderZnode,
      };
    }),
    claim: view.claim === null ? null : { id: view.claim.id, znode: view.claim.znode, token: view.claim.token },
    paused: view.paused,
  };
}
