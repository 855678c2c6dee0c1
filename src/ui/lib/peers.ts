/**
 * The peers table: a label and a symbol for every state and role (colour is never the only
 * clue), the columns, and sorting by any of them with a stable tie-break by ID.
 */
import type { NodeId, Role } from '../../core/messages.ts';
import type { PeerState } from '../../core/peers.ts';
import type { RuntimePeerStatus } from '../../contract/status.ts';
import { BEAT_KIND_LABELS, beatIntervalOf, beatKind, beatText, silenceLimitBasis, silenceLimitOf, type BeatKind, type BeatTimings } from './beats.ts';
import { NO_VALUE, formatDurationMs, formatPhi, isNumber, nodeLabel } from './format.ts';

/**
 * A peer as the table receives it. `address`, `route` and `beatIntervalMs` are typed loosely:
 * older nodes do not send them.
 */
export type PeerRow = Omit<RuntimePeerStatus, 'address' | 'route' | 'beatIntervalMs'> & {
  address?: string | null;
  route?: string | null;
  beatIntervalMs?: number | null;
};

export const PEER_STATE_LABELS = {
  alive: { text: 'alive', symbol: '●', hint: 'heartbeats arrive on time' },
  suspect: { text: 'suspect', symbol: '▲', hint: 'heartbeats are late' },
  dead: { text: 'dead', symbol: '✕', hint: 'no heartbeat within its detection timeout' },
  left: { text: 'left', symbol: '○', hint: 'said goodbye and left the cluster' },
} as const satisfies Record<PeerState, { text: string; symbol: string; hint: string }>;

export function peerStateLabel(state: string): { text: string; symbol: string; hint: string } {
  return (PEER_STATE_LABELS as Record<string, { text: string; symbol: string; hint: string }>)[state] ?? { text: state, symbol: '?', hint: '' };
}

export const ROLE_LABELS = {
  leader: { text: 'leader', symbol: '★' },
  candidate: { text: 'candidate', symbol: '◆' },
  follower: { text: 'follower', symbol: '' },
} as const satisfies Record<Role, { text: string; symbol: string }>;

export function roleLabel(role: string): { text: string; symbol: string } {
  return (ROLE_LABELS as Record<string, { text: string; symbol: string }>)[role] ?? { text: role, symbol: '?' };
}

/** Sorting by role or state puts what needs attention first. */
const ROLE_ORDER: Record<string, number> = { leader: 0, candidate: 1, follower: 2 };
const STATE_ORDER: Record<string, number> = { dead: 0, suspect: 1, alive: 2, left: 3 };

export const PEER_COLUMNS = [
  { key: 'id', label: 'ID', numeric: false },
  { key: 'address', label: 'Address', numeric: false },
  { key: 'role', label: 'Role', numeric: false },
  { key: 'state', label: 'State', numeric: false },
  { key: 'lastHeard', label: 'Last heard', numeric: true },
  { key: 'meanInterval', label: 'Mean interval', numeric: true },
  { key: 'jitter', label: 'Jitter', numeric: true },
  { key: 'phi', label: 'Suspicion φ', numeric: true },
  { key: 'timeout', label: 'Timeout', numeric: true },
] as const;

export type PeerColumnKey = (typeof PEER_COLUMNS)[number]['key'];

export const SortDirection = { Ascending: 'ascending', Descending: 'descending' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];

export interface PeerSort {
  key: PeerColumnKey;
  direction: SortDirection;
}

export const DEFAULT_PEER_SORT: PeerSort = { key: 'id', direction: SortDirection.Ascending };

/** Clicking the sorted column flips it; clicking another sorts by it, ascending. */
export function nextSort(current: PeerSort, key: PeerColumnKey): PeerSort {
  if (current.key !== key) return { key, direction: SortDirection.Ascending };
  return { key, direction: current.direction === SortDirection.Ascending ? SortDirection.Descending : SortDirection.Ascending };
}

/** "10.0.0.9" before "10.0.0.10": IPv4 addresses compare as numbers. */
function addressKey(address: string | null | undefined): number | string | null {
  if (address === null || address === undefined || address === '') return null;
  const parts = address.split('.');
  if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p))) {
    return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
  }
  return address;
}

function sortValue(peer: PeerRow, key: PeerColumnKey): number | string | null {
  switch (key) {
    case 'id':
      return peer.id;
    case 'address':
      return addressKey(peer.address);
    case 'role':
      return ROLE_ORDER[peer.role] ?? 9;
    case 'state':
      return STATE_ORDER[peer.state] ?? 9;
    case 'lastHeard':
      return isNumber(peer.lastHeardAgoMs) ? peer.lastHeardAgoMs : null;
    case 'meanInterval':
      return isNumber(peer.meanIntervalMs) ? peer.meanIntervalMs : null;
    case 'jitter':
      return isNumber(peer.jitterMs) ? peer.jitterMs : null;
    case 'phi':
      // JSON turns an infinite suspicion into null: that is the most suspicious of all.
      return isNumber(peer.phi) ? peer.phi : Number.MAX_VALUE;
    case 'timeout':
      return isNumber(peer.timeoutMs) ? peer.timeoutMs : null;
  }
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1; // numeric addresses before names
  if (typeof b === 'number') return 1;
  return a.localeCompare(b);
}

/**
 * A new array, sorted; rows without a value go last in either direction, and equal rows keep ID
 * order, so a table refreshed five times a second never shuffles rows that compare equal.
 */
export function sortPeers<T extends PeerRow>(peers: readonly T[], sort: PeerSort): T[] {
  const sign = sort.direction === SortDirection.Ascending ? 1 : -1;
  const keyed = peers.map((peer) => ({ peer, value: sortValue(peer, sort.key) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else {
      const order = compareValues(a.value, b.value);
      if (order !== 0) return sign * order;
    }
    return a.peer.id - b.peer.id;
  });
  return keyed.map((entry) => entry.peer);
}

/** One table row, as text. */
export interface PeerRowView {
  id: NodeId;
  idLabel: string;
  address: string;
  /** 'unicast' when the peer is reached beyond the multicast group (seeds, gossip); else null. */
  via: 'unicast' | null;
  role: string;
  /** The role is only the last one the peer reported: it is not heard now. */
  roleIsStale: boolean;
  state: string;
  isCoordinator: boolean;
  /** The rate its last heartbeat announced, shown under the mean: "rounds 100 ms", "member beat 1 s". */
  beat: string;
  beatKind: BeatKind;
  /** What that rate means, for a tooltip. */
  beatHint: string;
  lastHeard: string;
  meanInterval: string;
  jitter: string;
  phi: string;
  /** Its own silence limit: the timeout, or three of its beats if longer. */
  timeout: string;
  /** Why the limit is what it is, for a tooltip. */
  timeoutHint: string;
  impliedTimeout: string;
}

/**
 * @param snapshotAgeMs time since the snapshot arrived: "last heartbeat" keeps counting up.
 * @param timings the node's timers (status.timings), for the rates of peers that announce none.
 */
export function peerRowView(peer: PeerRow, leader: NodeId | null, snapshotAgeMs: number, timings: BeatTimings): PeerRowView {
  const kind = beatKind(peer, timings);
  const limitMs = silenceLimitOf(peer, timings);
  return {
    id: peer.id,
    idLabel: nodeLabel(peer.id),
    address: peer.address ?? NO_VALUE,
    via: peer.route === 'direct' ? 'unicast' : null,
    role: peer.role,
    roleIsStale: peer.state === 'dead' || peer.state === 'left',
    state: peer.state,
    isCoordinator: leader !== null && peer.id === leader,
    beat: beatText(peer, timings),
    beatKind: kind,
    beatHint: `Announced a heartbeat every ${formatDurationMs(beatIntervalOf(peer, timings))}: ${BEAT_KIND_LABELS[kind].hint}`,
    lastHeard: isNumber(peer.lastHeardAgoMs) ? formatDurationMs(peer.lastHeardAgoMs + Math.max(0, snapshotAgeMs)) : NO_VALUE,
    meanInterval: formatDurationMs(peer.meanIntervalMs),
    jitter: isNumber(peer.jitterMs) ? `± ${formatDurationMs(peer.jitterMs)}` : NO_VALUE,
    phi: formatPhi(peer.phi),
    timeout: formatDurationMs(limitMs),
    timeoutHint: `Counts as dead after ${formatDurationMs(limitMs)} without a heartbeat: ${silenceLimitBasis(peer, timings)}`,
    impliedTimeout: formatDurationMs(peer.impliedTimeoutMs),
  };
}
