/**
 * What a passive observer makes of the heartbeats it hears: a card per voter, the lab's verdict
 * (src/lab/cluster-view.ts) over the sides that the `hears` sets form, a timeline of changes with
 * how long the cluster took to settle again, and one record line per change. Pure: heartbeats and
 * the time go in, so the tests drive it with a virtual clock.
 */
import { silenceLimitMs, type NodeId, type Role } from '../core/index.ts';
import { sameIds } from '../core/node-ids.ts';
import { clusterView, type ClusterView, type LabNodeView } from '../lab/cluster-view.ts';
import { BeatGaps, type BeatGapSummary } from './beat-gaps.ts';
import { sidesFromHears } from './sides.ts';
import type { WatchRecordLine } from './record-line.ts';

/** What the observer reads from one authenticated heartbeat. */
export interface HeardBeat {
  from: NodeId;
  role: Role;
  term: number;
  leader: NodeId | null;
  hears: readonly NodeId[];
  canLead: boolean;
  intervalMs: number;
}

/**
 * never: no heartbeat of it since the observer started (listed from the voter set); live: heard
 * within its silence limit; silent: heard once, not lately (stopped, unplugged, or on the far side
 * of a partition: the observer cannot tell which).
 */
export type Heard = 'never' | 'live' | 'silent';

export interface VoterCard {
  id: NodeId;
  heard: Heard;
  /** The last heartbeat's fields; null while never heard. */
  role: Role | null;
  term: number | null;
  leader: NodeId | null;
  hears: NodeId[];
  canLead: boolean | null;
  /** The beat interval its last heartbeat announced. */
  intervalMs: number | null;
  lastHeardMs: number | null;
  /** Heartbeats heard from it. */
  beats: number;
  /** Its beats' inter-arrival times over the last minute, as they reached the observer; null before two beats in a row (and in a replay). */
  beatGaps: BeatGapSummary | null;
}

export interface WatchTimelineEntry {
  ts: number;
  /** change: a node's role, term, leader, hears or can-lead; silent: it stopped being heard; unsettled / settled: the verdict. */
  kind: 'change' | 'silent' | 'unsettled' | 'settled';
  node: NodeId | null;
  text: string;
  /** For 'settled': ms since the cluster stopped agreeing. */
  durationMs: number | null;
}

export interface WatchSnapshot {
  nowMs: number;
  voters: NodeId[];
  cards: VoterCard[];
  view: ClusterView;
  /** Since when the cluster has not agreed, or null. */
  unsettledSinceMs: number | null;
  /** Still listening for every voter's first beat: no verdict is timed yet. */
  warmingUp: boolean;
  timeline: WatchTimelineEntry[];
}

export interface WatchViewOptions {
  voters: readonly NodeId[];
  /** The cluster's election timeout: a node is silent past silenceLimitMs(timeout, its interval), as its peers judge it. */
  timeoutMs: number;
  /** A follower's slow beat: within three of them (or the timeout, if longer) every live voter has been heard. */
  memberBeatMs: number;
  startMs: number;
  /** Newest kept; default 500. */
  timelineMax?: number;
}

const DEFAULT_TIMELINE_MAX = 500;

export class WatchView {
  private readonly voters: NodeId[];
  private readonly cards = new Map<NodeId, VoterCard>();
  private readonly gaps = new Map<NodeId, BeatGaps>();
  private readonly timeoutMs: number;
  private readonly warmUpEndMs: number;
  private readonly timelineMax: number;
  private readonly timeline: WatchTimelineEntry[] = [];
  private unsettledSinceMs: number | null = null;
  private view: ClusterView = { sides: [], agreed: true, leaders: [] };

  constructor(options: WatchViewOptions) {
    this.voters = [...options.voters].sort((a, b) => a - b);
    this.timeoutMs = options.timeoutMs;
    this.warmUpEndMs = options.startMs + silenceLimitMs(options.timeoutMs, options.memberBeatMs);
    this.timelineMax = options.timelineMax ?? DEFAULT_TIMELINE_MAX;
    for (const id of this.voters) {
      this.cards.set(id, { id, heard: 'never', role: null, term: null, leader: null, hears: [], canLead: null, intervalMs: null, lastHeardMs: null, beats: 0, beatGaps: null });
      this.gaps.set(id, new BeatGaps());
    }
  }

  /** A heartbeat from a voter (already authenticated); returns the record line if it changed anything. */
  heard(beat: HeardBeat, nowMs: number): WatchRecordLine[] {
    const card = this.cards.get(beat.from);
    if (card === undefined) return [];
    const hears = [...beat.hears].sort((a, b) => a - b);
    const before = card.heard === 'live' ? describe(card) : null;
    if (card.heard === 'live') this.gaps.get(card.id)!.add(nowMs, nowMs - card.lastHeardMs!);
    const changed = card.heard !== 'live' || card.role !== beat.role || card.term !== beat.term || card.leader !== beat.leader || card.canLead !== beat.canLead || !sameIds(card.hears, hears);
    Object.assign(card, { heard: 'live', role: beat.role, term: beat.term, leader: beat.leader, hears, canLead: beat.canLead, intervalMs: beat.intervalMs, lastHeardMs: nowMs, beats: card.beats + 1 });
    if (!changed) return [];
    this.note(changeEntry(card, before, nowMs));
    this.judge(nowMs);
    return [recordLine(card, nowMs)];
  }

  /**
   * A record line played back (`conclave watch --replay`), at its own time: the card becomes what
   * the line says, live or silent. A recording holds changes, not beats, so a replay never calls
   * tick: its silences are the recorded ones.
   */
  replayed(line: WatchRecordLine): void {
    const card = this.cards.get(line.node);
    if (card === undefined) return;
    const before = card.heard === 'live' ? describe(card) : null;
    const { role, term, leader, canLead, intervalMs } = line;
    Object.assign(card, { heard: line.silent ? 'silent' : 'live', role, term, leader, hears: [...line.hears], canLead, intervalMs, lastHeardMs: line.lastHeardTs, beats: card.beats + 1 });
    this.note(line.silent ? silentEntry(card, line.ts) : changeEntry(card, before, line.ts));
    this.judge(line.ts);
  }

  /** The time passed: live nodes not heard within their silence limit turn silent. Call a few times a second. */
  tick(nowMs: number): WatchRecordLine[] {
    const lines: WatchRecordLine[] = [];
    for (const card of this.cards.values()) {
      if (card.heard !== 'live' || nowMs - card.lastHeardMs! <= silenceLimitMs(this.timeoutMs, card.intervalMs!)) continue;
      card.heard = 'silent';
      this.note(silentEntry(card, nowMs));
      lines.push(recordLine(card, nowMs));
    }
    this.judge(nowMs);
    return lines;
  }

  snapshot(nowMs: number): WatchSnapshot {
    return {
      nowMs,
      voters: this.voters,
      cards: this.voters.map((id) => ({ ...this.cards.get(id)!, hears: [...this.cards.get(id)!.hears], beatGaps: this.gaps.get(id)!.summary(nowMs) })),
      view: this.view,
      unsettledSinceMs: this.unsettledSinceMs,
      warmingUp: nowMs < this.warmUpEndMs,
      timeline: [...this.timeline],
    };
  }

  /** The verdict again; an agreement lost or regained goes on the timeline. */
  private judge(nowMs: number): void {
    const live = [...this.cards.values()].filter((c) => c.heard === 'live');
    const nodes: LabNodeView[] = [...this.cards.values()].map((c) => ({
      id: c.id,
      // A silent node may still be working on the far side; the observer cannot say, so it judges only what it hears.
      condition: c.heard === 'live' ? 'running' : 'down',
      role: c.role,
      term: c.term,
      leader: c.leader,
      quorum: null,
    }));
    this.view = clusterView(nodes, sidesFromHears(live), this.voters.length);
    // Before every voter could have been heard, a missing beat is no disagreement.
    if (nowMs < this.warmUpEndMs) return;
    if (!this.view.agreed && this.unsettledSinceMs === null) {
      this.unsettledSinceMs = nowMs;
      this.note({ ts: nowMs, kind: 'unsettled', node: null, text: 'the cluster does not agree', durationMs: null });
    } else if (this.view.agreed && this.unsettledSinceMs !== null) {
      const durationMs = nowMs - this.unsettledSinceMs;
      this.unsettledSinceMs = null;
      this.note({ ts: nowMs, kind: 'settled', node: null, text: `agreed again: ${verdictText(this.view)}`, durationMs });
    }
  }

  private note(entry: WatchTimelineEntry): void {
    this.timeline.push(entry);
    if (this.timeline.length > this.timelineMax) this.timeline.splice(0, this.timeline.length - this.timelineMax);
  }
}

/** The verdict in words: each side, its coordinator or why it has none. */
export function verdictText(view: ClusterView): string {
  if (view.sides.length === 0) return 'no node heard';
  return view.sides
    .map((side) => {
      const who = `{${side.members.map((id) => `n${id}`).join(',')}}`;
      if (side.leader !== null) return `${who} led by n${side.leader}`;
      return `${who} ${side.canElect ? 'without a coordinator' : 'cannot elect (no majority)'}`;
    })
    .join(' | ');
}

function changeEntry(card: VoterCard, before: string | null, nowMs: number): WatchTimelineEntry {
  return { ts: nowMs, kind: 'change', node: card.id, text: before === null ? `n${card.id} heard: ${describe(card)}` : `n${card.id}: ${before} → ${describe(card)}`, durationMs: null };
}

function silentEntry(card: VoterCard, nowMs: number): WatchTimelineEntry {
  return { ts: nowMs, kind: 'silent', node: card.id, text: `n${card.id} silent (last heard ${nowMs - card.lastHeardMs!} ms ago, as ${describe(card)})`, durationMs: null };
}

function describe(card: VoterCard): string {
  const follows = card.leader === null ? 'no leader' : card.leader === card.id ? 'leads' : `follows n${card.leader}`;
  return `${card.role} t${card.term}, ${follows}, hears [${card.hears.join(',')}]${card.canLead === false ? ', cannot lead' : ''}`;
}

function recordLine(card: VoterCard, nowMs: number): WatchRecordLine {
  return {
    ts: nowMs,
    node: card.id,
    role: card.role!,
    term: card.term!,
    leader: card.leader,
    hears: [...card.hears],
    canLead: card.canLead!,
    intervalMs: card.intervalMs!,
    silent: card.heard === 'silent',
    lastHeardTs: card.lastHeardMs!,
  };
}
