import type { NodeId } from '../../election/vocabulary.ts';
import type { ZnodeStat } from './requests.ts';

/** The claim znode's name under the election's path: whoever holds it leads. */
export const CLAIM = 'leader';

/** The claim as read: who holds it, for which candidate znode, its token (creation zxid) and owning session. */
export interface ZkClaim {
  id: NodeId;
  znode: string;
  token: number;
  owner: string | null;
}

/** What a claim holds: the leader's ID and its candidate znode. */
export function claimData(id: NodeId, znode: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ id, znode }));
}

/** A claim read back; unreadable data (written by hand) names no leader (ID 0). */
export function parseClaim(data: Uint8Array, stat: ZnodeStat): ZkClaim {
  let parsed: { id?: unknown; znode?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(data)) as { id?: unknown; znode?: unknown };
  } catch {
    parsed = {};
  }
  const id = typeof parsed.id === 'number' ? parsed.id : 0;
  return { id, znode: typeof parsed.znode === 'string' ? parsed.znode : '', token: stat.czxid, owner: stat.owner };
}
