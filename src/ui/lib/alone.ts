/**
 * The banners of a node that is alone (status.alone): one per cause, the same diagnosis and fix
 * as its `alone` line, under a title a person reads from across the room.
 */
import type { AloneCause } from '../../contract/alone.ts';
import type { RuntimeStatus } from '../../contract/status.ts';

export interface AloneBanner {
  cause: AloneCause;
  title: string;
  diagnosis: string;
  fix: string;
}

const TITLES = {
  'no-datagram': 'Alone — no datagram from any other node',
  'key-mismatch': 'Datagrams with another key are dropped',
  'config-mismatch': 'A node with another configuration is ignored',
  'foreign-cluster': 'Another cluster shares this group and port',
} as const satisfies Record<AloneCause, string>;

export function aloneBanners(status: RuntimeStatus): AloneBanner[] {
  // A node of an older build has no `alone` in its status.
  if (status.backend !== 'lan' || status.alone === undefined) return [];
  return status.alone.map(({ cause, diagnosis, fix }) => ({ cause, title: TITLES[cause] ?? cause, diagnosis, fix }));
}
