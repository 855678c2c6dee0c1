/**
 * The two heartbeat rates in words. A coordinator's heartbeats are its lease rounds, at the fast
 * rate (`heartbeatMs`, 100 ms by default); a follower bound to a live coordinator, a node in a cold
 * start and one that defers to a higher ID beat at the slow member rate (`memberBeatMs`, 1 s), for
 * membership only; a node that campaigns or may have to take over beats at the fast rate. Every heartbeat announces its interval, and
 * a peer counts as dead after its own silence limit: the timeout, or three of its beats if longer.
 * Plain functions of a status (no DOM), shared by the peers table and the heartbeat chart.
 */
import { formatDurationMs, formatRateMs, isNumber } from './format.ts';

export type BeatKind = 'rounds' | 'member' | 'fast';

export const BEAT_KIND_LABELS = {
  rounds: { text: 'rounds', many: 'leader rounds', hint: "the coordinator's lease rounds, at the fast rate" },
  member: { text: 'member beat', many: 'member beats', hint: 'a slow beat, only to show it is still a member: it follows a live coordinator, is starting, or defers to a higher ID' },
  fast: { text: 'fast beat', many: 'fast beats', hint: 'campaigns or may have to take over (no live coordinator, no one above it): beats at the fast rate' },
} as const satisfies Record<BeatKind, { text: string; many: string; hint: string }>;

/** The node's timers, as the status carries them; `memberBeatMs` is missing from older nodes. */
export interface BeatTimings {
  heartbeatMs: number;
  memberBeatMs?: number;
  timeoutMs: number;
}

/** What of a peer the rates depend on; the two fields are missing from older nodes. */
export interface BeatPeer {
  role: string;
  leader: number | null;
  state: string;
  beatIntervalMs?: number | null;
  timeoutMs?: number | null;
}

/** The interval the peer's last heartbeat announced, or the fast rate when it announced none. */
export function beatIntervalOf(peer: BeatPeer, timings: BeatTimings): number {
  return isNumber(peer.beatIntervalMs) && peer.beatIntervalMs > 0 ? peer.beatIntervalMs : timings.heartbeatMs;
}

/** The peer's own silence limit, or the node's timeout when it sent none. */
export function silenceLimitOf(peer: BeatPeer, timings: BeatTimings): number {
  return isNumber(peer.timeoutMs) && peer.timeoutMs > 0 ? peer.timeoutMs : timings.timeoutMs;
}

export function beatKind(peer: BeatPeer, timings: BeatTimings): BeatKind {
  if (peer.role === 'leader') return 'rounds';
  const interval = beatIntervalOf(peer, timings);
  if (interval > timings.heartbeatMs) return 'member';
  // Both rates configured alike: a bound follower still beats as a member (an older node has one rate).
  const memberBeatMs = timings.memberBeatMs ?? Infinity;
  return peer.role === 'follower' && peer.leader !== null && interval >= memberBeatMs ? 'member' : 'fast';
}

/** "rounds 100 ms", "member beat 1 s", "fast beat 100 ms". */
export function beatText(peer: BeatPeer, timings: BeatTimings): string {
  return `${BEAT_KIND_LABELS[beatKind(peer, timings)].text} ${formatRateMs(beatIntervalOf(peer, timings))}`;
}

/** Why the limit is what it is: "3 missed 1 s beats", or "the timeout" when that is longer. */
export function silenceLimitBasis(peer: BeatPeer, timings: BeatTimings): string {
  const limit = silenceLimitOf(peer, timings);
  const interval = beatIntervalOf(peer, timings);
  if (limit <= timings.timeoutMs) return 'the timeout';
  return `${Math.round(limit / interval)} missed ${formatRateMs(interval)} beats`;
}

/** A rate at which some plotted peers beat, for a faint mark on the chart. */
export interface BeatRateMark {
  intervalMs: number;
  kinds: BeatKind[];
  /** "member beats every 1 s" */
  label: string;
}

/** A silence limit of some plotted peers: a dashed line on the chart. */
export interface SilenceLimitMark {
  limitMs: number;
  kinds: BeatKind[];
  /** "timeout 3.0 s for member beats (3 × 1 s)" */
  label: string;
}

export interface ChartMarks {
  rates: BeatRateMark[];
  limits: SilenceLimitMark[];
}

/** Kinds in a fixed order, so labels do not flicker: "leader rounds & fast beats". */
const KIND_ORDER: readonly BeatKind[] = ['rounds', 'member', 'fast'];

function kindsText(kinds: ReadonlySet<BeatKind>): string {
  return KIND_ORDER.filter((kind) => kinds.has(kind))
    .map((kind) => BEAT_KIND_LABELS[kind].many)
    .join(' & ');
}

/**
 * The rates and silence limits of the peers that beat now (alive or suspect), each once, ascending.
 * Without such peers, the node's own timeout alone, so the chart still shows the scale.
 */
export function chartMarks(peers: readonly BeatPeer[], timings: BeatTimings): ChartMarks {
  const rates = new Map<number, Set<BeatKind>>();
  const limits = new Map<number, { kinds: Set<BeatKind>; intervals: Set<number> }>();
  for (const peer of peers) {
    if (peer.state !== 'alive' && peer.state !== 'suspect') continue;
    const kind = beatKind(peer, timings);
    const interval = beatIntervalOf(peer, timings);
    const limit = silenceLimitOf(peer, timings);
    if (!rates.has(interval)) rates.set(interval, new Set());
    rates.get(interval)!.add(kind);
    if (!limits.has(limit)) limits.set(limit, { kinds: new Set(), intervals: new Set() });
    limits.get(limit)!.kinds.add(kind);
    limits.get(limit)!.intervals.add(interval);
  }
  if (limits.size === 0) {
    return { rates: [], limits: [{ limitMs: timings.timeoutMs, kinds: [], label: `timeout ${formatDurationMs(timings.timeoutMs)}` }] };
  }
  const ascending = (a: [number, unknown], b: [number, unknown]): number => a[0] - b[0];
  return {
    rates: [...rates]
      .sort(ascending)
      .map(([intervalMs, kinds]) => ({ intervalMs, kinds: KIND_ORDER.filter((k) => kinds.has(k)), label: `${kindsText(kinds)} every ${formatRateMs(intervalMs)}` })),
    limits: [...limits].sort(ascending).map(([limitMs, { kinds, intervals }]) => {
      // Longer than the timeout: a number of the peers' own beats (all of one interval, as a rule).
      const only = intervals.size === 1 ? [...intervals][0]! : null;
      const basis = limitMs > timings.timeoutMs && only !== null ? ` (${Math.round(limitMs / only)} × ${formatRateMs(only)})` : '';
      return { limitMs, kinds: KIND_ORDER.filter((k) => kinds.has(k)), label: `timeout ${formatDurationMs(limitMs)} for ${kindsText(kinds)}${basis}` };
    }),
  };
}

