/**
 * What differs on the page between a node on the multicast network and one that elects through
 * ZooKeeper: where it is, whether it is paused, and what its "quorum" is.
 */
import type { RuntimeStatus } from '../../contract/status.ts';
import type { ZooKeeperStatus } from '../../contract/zookeeper-status.ts';

export function isPaused(status: RuntimeStatus): boolean {
  return status.backend === 'zookeeper' ? status.zookeeper.paused : status.network.paused;
}

/** This node's address, or the ensemble it elects through. */
export function selfAddress(status: RuntimeStatus): string {
  return status.backend === 'zookeeper' ? `via ZooKeeper ${status.zookeeper.servers.join(',')}` : status.network.address;
}

export const SESSION_LABELS = {
  connecting: { text: 'connecting', symbol: '◔', tone: 'warn', hint: 'opening a session with the ensemble' },
  connected: { text: 'connected', symbol: '✓', tone: 'good', hint: 'the session is live: this node may lead if designated' },
  suspended: { text: 'suspended', symbol: '▲', tone: 'bad', hint: 'connection lost: a leader stops at once; the session may still live on the servers' },
  expired: { text: 'expired', symbol: '✕', tone: 'bad', hint: 'the ensemble ended the session and deleted its znodes; a new one registers again' },
  closed: { text: 'closed', symbol: '○', tone: 'info', hint: 'the node stopped' },
} as const satisfies Record<ZooKeeperStatus['session']['state'], { text: string; symbol: string; tone: string; hint: string }>;

export function sessionLabel(state: string): { text: string; symbol: string; tone: string; hint: string } {
  return SESSION_LABELS[state as keyof typeof SESSION_LABELS] ?? { text: state, symbol: '?', tone: 'info', hint: '' };
}

/** "n3 watches id-2-0000000007", in words for one znode row. */
export function watchInWords(watches: string | null, mode: ZooKeeperStatus['mode']): string {
  if (watches === null) return mode === 'fair' ? 'nothing: first in line' : 'nothing';
  if (watches === '(children)') return 'the list of candidates (a higher ID may join)';
  return watches;
}
