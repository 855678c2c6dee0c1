/**
 * The lab page in words: the cluster verdict, one view model per node card, the sides, the
 * timeline and the table of action → agreement times. Plain functions of a LabSnapshot and the
 * clock (no DOM, no Svelte), so the tests can pin every rule down.
 */
import type { Side } from '../../lab/cluster-view.ts';
import type { LabAction, LabMode, LabNodeSnapshot, LabSnapshot, LabTimelineEntry } from '../../lab/messages.ts';
import { silenceLimitMs } from '../../core/config.ts';
// The nodes' own majority rule (pure, no Node imports), so the page and the nodes cannot disagree.
import { quorumSize } from '../../core/quorum.ts';
import { NO_VALUE, formatAgo, formatClockTime, formatDurationMs, formatRateMs, isNumber, nodeLabel } from '../lib/format.ts';

/* ------------------------------------------------------------------------------------------------
 * Formatting
 */

/**
 * IDs as the page writes them, runs of three or more collapsed: [1, 2] → "n1, n2",
 * [3, 4, 5] → "n3–n5", [1, 3, 5, 6, 7] → "n1, n3, n5–n7". Sorted; "none" when empty.
 */
export function nodeRanges(ids: readonly number[]): string {
  if (ids.length === 0) return 'none';
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0]!;
  let previous = start;
  const flush = (): void => {
    if (previous - start >= 2) parts.push(`${nodeLabel(start)}–${nodeLabel(previous)}`);
    else for (let id = start; id <= previous; id++) parts.push(nodeLabel(id));
  };
  for (const id of sorted.slice(1)) {
    if (id === previous + 1) {
      previous = id;
      continue;
    }
    flush();
    start = id;
    previous = id;
  }
  flush();
  return parts.join(', ');
}

/** A running counter: "0.0 s", "0.8 s", "12.3 s", then "1 min" and up. Never negative. */
export function formatElapsed(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_VALUE;
  const value = Math.max(0, ms);
  if (value < 60_000) return `${(Math.floor(value / 100) / 10).toFixed(1)} s`;
  return formatDurationMs(value);
}

/** An action → agreement time: exact milliseconds up to 10 s (these get compared), then seconds. */
export function formatAgreeMs(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_VALUE;
  const value = Math.max(0, Math.round(ms));
  return value < 10_000 ? `${value} ms` : formatDurationMs(value);
}

/** "A", "B", … for the i-th side of a partition. */
export function sideLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `G${index + 1}`;
}

/**
 * The side letter of node `id`: the letter of its group, or of the implicit group of the nodes
 * listed in none (they hear each other); '' when the network is whole.
 */
export function sideOfNode(id: number, groups: readonly (readonly number[])[]): string {
  if (groups.length === 0) return '';
  const index = groups.findIndex((group) => group.includes(id));
  return sideLetter(index < 0 ? groups.length : index);
}

/** The class that colours a side: side-A, side-B, side-C, or side-other beyond C. */
export function sideClass(letter: string): string {
  return letter === 'A' || letter === 'B' || letter === 'C' ? `side-${letter}` : 'side-other';
}

/** What the teacher asked for, in words: "Kill n3", "Partition A n1, n2 | B n3–n5". */
export function describeAction(action: LabAction): string {
  switch (action.action) {
    case 'kill':
      return `Kill ${nodeLabel(action.node)}`;
    case 'restart':
      return `Restart ${nodeLabel(action.node)}`;
    case 'unplug':
      return `Unplug ${nodeLabel(action.node)}`;
    case 'replug':
      return `Replug ${nodeLabel(action.node)}`;
    case 'stall':
      return `Stall ${nodeLabel(action.node)} for ${formatDurationMs(action.ms)}`;
    case 'partition':
      return `Partition ${action.groups.map((group, i) => `${sideLetter(i)} ${nodeRanges(group)}`).join(' | ')}`;
    case 'loss':
      return `Packet loss ${action.percent} %`;
    case 'heal':
      return 'Heal everything';
  }
}

/** The line shown for a refused (or unanswered) action. */
export function refusedText(action: LabAction, error: string | undefined): string {
  return `${describeAction(action)} refused: ${error === undefined || error === '' ? 'no reason given' : error}`;
}

/* ------------------------------------------------------------------------------------------------
 * Modes and what they support
 */

export type LabFeature = keyof LabSnapshot['supports'];

export const FEATURE_NAMES = { unplug: 'Unplug', partition: 'Partition', loss: 'Packet loss' } as const satisfies Record<LabFeature, string>;

export const MODE_LABELS = {
  netns: 'netns mode',
  loopback: 'loopback mode',
} as const satisfies Record<LabMode, string>;

export function modeLabel(mode: string): string {
  return (MODE_LABELS as Record<string, string>)[mode] ?? `${mode} mode`;
}

/** Why a feature's buttons are disabled, in words. */
export function unsupportedText(feature: LabFeature, mode: string): string {
  return `${FEATURE_NAMES[feature]} needs one network namespace per node (netns mode); this lab runs in ${modeLabel(mode)}.`;
}

/** The features this mode lacks, for one notice above the cards. */
export function unsupportedFeatures(supports: LabSnapshot['supports']): LabFeature[] {
  return (Object.keys(FEATURE_NAMES) as LabFeature[]).filter((feature) => !supports[feature]);
}

/** "Unplug, Partition and Packet loss are off in loopback mode: …" or null when all work. */
export function unsupportedNotice(snapshot: Pick<LabSnapshot, 'supports' | 'mode'>): string | null {
  const missing = unsupportedFeatures(snapshot.supports).map((feature) => FEATURE_NAMES[feature]);
  if (missing.length === 0) return null;
  const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)!}`;
  return `${list} ${missing.length === 1 ? 'is' : 'are'} off in ${modeLabel(snapshot.mode)}: ${
    missing.length === 1 ? 'it needs' : 'they need'
  } one network namespace per node, which only the netns mode has.`;
}

/* ------------------------------------------------------------------------------------------------
 * Sides and the verdict
 */

export type Tone = 'good' | 'warn' | 'bad' | 'info';

export interface SideView {
  key: string;
  /** "A", "B", …; '' when the network is whole. */
  letter: string;
  /** "Side A", or "Whole network". */
  title: string;
  members: number[];
  /** "n1, n2" / "n3–n5" */
  membersText: string;
  canElect: boolean;
  leader: number | null;
  agreed: boolean;
  /** "n5 coordinator (term 3)" / "no quorum — cannot elect" / "electing…" */
  text: string;
  /** "3 running · majority 3" */
  count: string;
  tone: Tone;
  symbol: string;
}

function termOf(nodes: readonly LabNodeSnapshot[], id: number | null): number | null {
  if (id === null) return null;
  return nodes.find((node) => node.id === id)?.term ?? null;
}

/** "n5 coordinator (term 3)" */
function coordinatorText(leader: number, term: number | null): string {
  return `${nodeLabel(leader)} coordinator${term === null ? '' : ` (term ${term})`}`;
}

function sideText(side: Side, nodes: readonly LabNodeSnapshot[]): { text: string; tone: Tone; symbol: string } {
  const members = nodes.filter((node) => side.members.includes(node.id));
  if (side.canElect) {
    if (side.agreed && side.leader !== null) return { text: coordinatorText(side.leader, termOf(nodes, side.leader)), tone: 'good', symbol: '★' };
    const claimants = members.filter((node) => node.role === 'leader').map((node) => node.id);
    if (claimants.length > 1) return { text: `${nodeRanges(claimants)} all claim to lead`, tone: 'bad', symbol: '⚠\uFE0E' };
    return { text: 'electing… not agreed yet', tone: 'warn', symbol: '◔' };
  }
  if (side.agreed) return { text: 'no quorum — cannot elect', tone: 'bad', symbol: '✕' };
  const claimant = members.find((node) => node.role === 'leader');
  if (claimant !== undefined) return { text: `no quorum — ${nodeLabel(claimant.id)} must step down`, tone: 'warn', symbol: '◔' };
  const followed = members.find((node) => node.leader !== null)?.leader ?? null;
  return { text: `no quorum — still following ${nodeLabel(followed)}`, tone: 'warn', symbol: '◔' };
}

export function sideViews(snapshot: Pick<LabSnapshot, 'view' | 'groups' | 'nodes' | 'voters'>): SideView[] {
  const whole = snapshot.groups.length === 0;
  const need = quorumSize(snapshot.voters);
  return snapshot.view.sides.map((side, index): SideView => {
    const first = side.members[0];
    const letter = whole || first === undefined ? '' : sideOfNode(first, snapshot.groups);
    const described = sideText(side, snapshot.nodes);
    return {
      key: letter === '' ? `side-${index}` : letter,
      letter,
      title: letter === '' ? 'Whole network' : `Side ${letter}`,
      members: [...side.members],
      membersText: nodeRanges(side.members),
      canElect: side.canElect,
      leader: side.leader,
      agreed: side.agreed,
      text: described.text,
      count: `${side.members.length} running · majority ${need}`,
      tone: described.tone,
      symbol: described.symbol,
    };
  });
}

export type VerdictState = 'agreed' | 'waiting' | 'split-brain';

export interface Verdict {
  state: VerdictState;
  symbol: string;
  /** The big line: "Agreed: n5 is coordinator (term 3)". */
  headline: string;
  /** A smaller line under it, or null. */
  detail: string | null;
  sides: SideView[];
  /** A partition is in force: the sides are shown with their letters. */
  partitioned: boolean;
  /** For screen readers: the headline without the running counter, so it changes only with the state. */
  announcement: string;
}

export const NO_SNAPSHOT_VERDICT: Verdict = {
  state: 'waiting',
  symbol: '◌',
  headline: 'Waiting for the lab’s first snapshot…',
  detail: null,
  sides: [],
  partitioned: false,
  announcement: 'Waiting for the lab’s first snapshot',
};

/** "n3 and n4 both", "n1, n3, n5 all". */
function bothOrAll(ids: readonly number[]): string {
  if (ids.length === 2) return `${nodeLabel(ids[0])} and ${nodeLabel(ids[1])} both`;
  return `${nodeRanges(ids)} all`;
}

/** The latest "agreed" entry of the timeline, or null. */
export function lastAgreement(timeline: readonly LabTimelineEntry[]): LabTimelineEntry | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const entry = timeline[i]!;
    if (entry.kind === 'agreed' && isNumber(entry.durationMs)) return entry;
  }
  return null;
}

/**
 * The cluster in one line, for the back of the room. Split brain (more than one node claims to
 * lead) beats everything; then an action the cluster has not agreed after yet (or sides that do
 * not agree) is "waiting"; otherwise "agreed", with who coordinates where.
 */
export function verdict(snapshot: LabSnapshot, nowMs: number): Verdict {
  const sides = sideViews(snapshot);
  const partitioned = snapshot.groups.length > 0;
  const base = { sides, partitioned };
  const { view } = snapshot;

  if (view.leaders.length > 1) {
    return {
      ...base,
      state: 'split-brain',
      symbol: '⚠\uFE0E',
      headline: `SPLIT BRAIN: ${view.leaders.length} leaders`,
      announcement: `Split brain: ${view.leaders.length} leaders`,
      detail: `${bothOrAll(view.leaders)} act as coordinator at once — the quorum should have made this impossible.`,
    };
  }

  if (snapshot.pending !== null || !view.agreed) {
    const since = snapshot.pending?.since ?? null;
    return {
      ...base,
      state: 'waiting',
      symbol: '◔',
      headline: since === null ? 'Waiting for agreement…' : `Waiting for agreement… ${formatElapsed(nowMs - since)}`,
      announcement: 'Waiting for agreement',
      detail: snapshot.pending === null ? 'The nodes do not agree on a coordinator yet.' : `after: ${snapshot.pending.action}`,
    };
  }

  const last = lastAgreement(snapshot.timeline);
  const agreedAfter = last === null ? null : `agreed again after ${formatAgreeMs(last.durationMs)}`;
  const running = snapshot.nodes.filter((node) => node.condition === 'running').length;
  if (sides.length === 0) {
    const headline = 'No node is running';
    return { ...base, state: 'agreed', symbol: '○', headline, detail: 'Restart a node to start an election.', announcement: headline };
  }
  const leading = sides.filter((side) => side.leader !== null);
  let headline: string;
  if (leading.length === 1) {
    const leader = leading[0]!.leader!;
    const where = partitioned ? ` on side ${leading[0]!.letter}` : '';
    headline = `Agreed: ${nodeLabel(leader)} is coordinator (term ${termOf(snapshot.nodes, leader) ?? '?'})${where}`;
  } else if (leading.length === 0) {
    headline = partitioned ? 'Agreed: no side can elect' : 'Agreed: no coordinator — no quorum';
  } else {
    headline = `Agreed: ${leading.length} sides, each with its coordinator`;
  }
  const needText = leading.length === 0 ? `${running} of ${snapshot.voters} voters running; a majority needs ${quorumSize(snapshot.voters)}.` : null;
  return { ...base, state: 'agreed', symbol: leading.length === 0 ? '○' : '✓', headline, detail: needText ?? agreedAfter, announcement: headline };
}

/* ------------------------------------------------------------------------------------------------
 * Node cards
 */

export const CONDITION_LABELS = {
  running: { text: 'running', symbol: '●', tone: 'good', hint: 'process up, cable in' },
  down: { text: 'down', symbol: '✕', tone: 'bad', hint: 'process killed' },
  unplugged: { text: 'unplugged', symbol: '⊘', tone: 'warn', hint: 'cable pulled: link down' },
  stalled: { text: 'stalled', symbol: '❄\uFE0E', tone: 'info', hint: 'frozen (SIGSTOP), like a long garbage-collection pause' },
  paused: { text: 'paused', symbol: '❚❚', tone: 'warn', hint: 'not sending or receiving' },
} as const satisfies Record<LabNodeSnapshot['condition'], { text: string; symbol: string; tone: Tone; hint: string }>;

export function conditionLabel(condition: string): { text: string; symbol: string; tone: Tone; hint: string } {
  return (CONDITION_LABELS as Record<string, { text: string; symbol: string; tone: Tone; hint: string }>)[condition] ?? {
    text: condition,
    symbol: '?',
    tone: 'warn',
    hint: '',
  };
}

/** How long "Stall" freezes a node. */
export const STALL_MS = 3000;

export interface ButtonView {
  action: LabAction;
  /** Visible text: "Kill". */
  label: string;
  /** Accessible name: "Kill n3". */
  name: string;
  enabled: boolean;
  /** Why it is disabled, or null. */
  why: string | null;
  /** The reason is the mode's (shown once on the page), not this node's. */
  unsupported: boolean;
}

export interface NodeCardView {
  id: number;
  label: string;
  condition: string;
  conditionText: string;
  conditionSymbol: string;
  conditionTone: Tone;
  conditionHint: string;
  /** '' when unknown (data-role). */
  role: string;
  /** The role is from before the node went down or off the network: shown dimmed. */
  roleIsStale: boolean;
  term: string;
  leader: number | null;
  /** "→ n5", "→ itself", "no leader" */
  leaderText: string;
  quorumText: string;
  /** null when unknown */
  quorumOk: boolean | null;
  lastEvent: string;
  lastEventAgo: string;
  /** Running and leading. */
  isCoordinator: boolean;
  /** "A", "B", … during a partition; '' when whole. */
  side: string;
  /** "resumes in 2.1 s" while stalled, else null. */
  stalledLeft: string | null;
  ip: string | null;
  /** The link to its own dashboard (relative to the lab page), or null while it has none. */
  dashboard: string | null;
  power: ButtonView;
  cable: ButtonView;
  stall: ButtonView;
}

function button(action: LabAction, label: string, id: number, why: string | null, unsupported = false): ButtonView {
  return { action, label, name: `${label} ${nodeLabel(id)}`, enabled: why === null, why, unsupported };
}

export function nodeCardView(node: LabNodeSnapshot, snapshot: Pick<LabSnapshot, 'groups' | 'supports' | 'mode'>, nowMs: number): NodeCardView {
  const condition = conditionLabel(node.condition);
  const id = node.id;
  const running = node.condition === 'running';
  const down = node.condition === 'down';
  const label = nodeLabel(id);

  const power = down ? button({ action: 'restart', node: id }, 'Restart', id, null) : button({ action: 'kill', node: id }, 'Kill', id, null);
  let cable: ButtonView;
  if (node.condition === 'unplugged') {
    cable = button({ action: 'replug', node: id }, 'Replug', id, snapshot.supports.unplug ? null : unsupportedText('unplug', snapshot.mode), !snapshot.supports.unplug);
  } else if (!snapshot.supports.unplug) {
    cable = button({ action: 'unplug', node: id }, 'Unplug', id, unsupportedText('unplug', snapshot.mode), true);
  } else {
    cable = button({ action: 'unplug', node: id }, 'Unplug', id, down ? `${label} is down: restart it first.` : null);
  }
  let stallWhy: string | null = null;
  if (node.condition === 'stalled') stallWhy = `${label} is already stalled.`;
  else if (!running) stallWhy = `Only a running node can stall; ${label} is ${condition.text}.`;
  const stall = button({ action: 'stall', node: id, ms: STALL_MS }, 'Stall', id, stallWhy);

  let leaderText = 'no leader';
  if (node.leader !== null) leaderText = node.leader === id ? '→ itself' : `→ ${nodeLabel(node.leader)}`;

  return {
    id,
    label,
    condition: node.condition,
    conditionText: condition.text,
    conditionSymbol: condition.symbol,
    conditionTone: condition.tone,
    conditionHint: condition.hint,
    role: node.role ?? '',
    roleIsStale: !running && node.role !== null,
    term: node.term === null ? NO_VALUE : String(node.term),
    leader: node.leader,
    leaderText,
    quorumText: node.quorum === null ? NO_VALUE : `${node.quorum.have}/${node.quorum.need}`,
    quorumOk: node.quorum === null ? null : node.quorum.have >= node.quorum.need,
    lastEvent: node.lastEvent ?? 'no event yet',
    lastEventAgo: node.lastEventAt === null ? '' : formatAgo(nowMs - node.lastEventAt),
    isCoordinator: running && node.role === 'leader',
    side: sideOfNode(id, snapshot.groups),
    stalledLeft: node.condition === 'stalled' && node.stalledUntil !== null ? `resumes in ${formatElapsed(node.stalledUntil - nowMs)}` : null,
    ip: node.ip,
    // Only the lab's own path: the page never links where its server did not mean.
    dashboard: typeof node.dashboard === 'string' && /^\.\/nodes\/\d+\/$/.test(node.dashboard) ? node.dashboard : null,
    power,
    cable,
    stall,
  };
}

/** One card per node, in ID order. */
export function nodeCardViews(snapshot: LabSnapshot, nowMs: number): NodeCardView[] {
  return [...snapshot.nodes].sort((a, b) => a.id - b.id).map((node) => nodeCardView(node, snapshot, nowMs));
}

/** The node "Isolate the leader" isolates: the agreed coordinator, else the one that claims to lead. */
export function currentLeader(snapshot: Pick<LabSnapshot, 'view'>): number | null {
  const agreed = snapshot.view.sides.find((side) => side.leader !== null)?.leader ?? null;
  return agreed ?? snapshot.view.leaders[0] ?? null;
}

/* ------------------------------------------------------------------------------------------------
 * Cluster controls
 */

export const LOSS_STEPS = [0, 10, 20, 30] as const;

/* ------------------------------------------------------------------------------------------------
 * Timeline and agreement times
 */

export const MAX_TIMELINE_ROWS = 200;
export const MAX_AGREEMENT_ROWS = 10;

export interface TimelineRow {
  key: string;
  kind: LabTimelineEntry['kind'];
  ts: number;
  time: string;
  label: string;
  symbol: string;
  tone: Tone;
  text: string;
  node: string | null;
  /** For "agreed": "agreed again after 1012 ms". */
  headline: string | null;
}

const KIND_LABELS = {
  action: { label: 'action', symbol: '▶', tone: 'info' },
  agreed: { label: 'agreed', symbol: '✓', tone: 'good' },
  event: { label: 'event', symbol: '•', tone: 'info' },
  warning: { label: 'warning', symbol: '⚠\uFE0E', tone: 'bad' },
  stalled: { label: 'stalled', symbol: '❄\uFE0E', tone: 'warn' },
} as const satisfies Record<LabTimelineEntry['kind'], { label: string; symbol: string; tone: Tone }>;

function entryKey(entry: LabTimelineEntry): string {
  return `${entry.ts}|${entry.kind}|${entry.node ?? ''}|${entry.text}`;
}

/** Newest first, at most `limit`; keys stay stable as older entries fall off the server's list. */
export function timelineRows(timeline: readonly LabTimelineEntry[], limit = MAX_TIMELINE_ROWS): TimelineRow[] {
  const seen = new Map<string, number>();
  const rows: TimelineRow[] = timeline.map((entry) => {
    const base = entryKey(entry);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const kind = (KIND_LABELS as Record<string, { label: string; symbol: string; tone: Tone }>)[entry.kind] ?? { label: entry.kind, symbol: '•', tone: 'info' as Tone };
    return {
      key: `${base}#${count}`,
      kind: entry.kind,
      ts: entry.ts,
      time: formatClockTime(entry.ts),
      label: kind.label,
      symbol: kind.symbol,
      tone: kind.tone,
      text: entry.text,
      node: entry.node === null ? null : nodeLabel(entry.node),
      headline: entry.kind === 'agreed' && isNumber(entry.durationMs) ? `agreed again after ${formatAgreeMs(entry.durationMs)}` : null,
    };
  });
  return rows.reverse().slice(0, limit);
}

export interface AgreementRow {
  key: string;
  time: string;
  /** What was done: the action entry it followed, else the agreed entry's own text. */
  action: string;
  ms: number;
  msText: string;
}

/** How far an action entry's time may be from agreed.ts − durationMs to be taken for its cause. */
export const ACTION_MATCH_MS = 250;

/**
 * The last `limit` action → agreement times, newest first. Each is paired with the action entry
 * logged when the action happened (agreed.ts − durationMs), so the table can say what it was;
 * without one near that time, the agreed entry's own text says it.
 */
export function agreementRows(timeline: readonly LabTimelineEntry[], limit = MAX_AGREEMENT_ROWS): AgreementRow[] {
  const actions = timeline.filter((entry) => entry.kind === 'action');
  const rows: AgreementRow[] = [];
  for (let i = timeline.length - 1; i >= 0 && rows.length < limit; i--) {
    const entry = timeline[i]!;
    if (entry.kind !== 'agreed' || !isNumber(entry.durationMs)) continue;
    const at = entry.ts - entry.durationMs;
    let best: LabTimelineEntry | null = null;
    for (const action of actions) {
      if (action.ts > entry.ts || Math.abs(action.ts - at) > ACTION_MATCH_MS) continue;
      if (best === null || Math.abs(action.ts - at) < Math.abs(best.ts - at)) best = action;
    }
    rows.push({
      key: `${entryKey(entry)}#${i}`,
      time: formatClockTime(entry.ts),
      action: best?.text ?? entry.text,
      ms: entry.durationMs,
      msText: formatAgreeMs(entry.durationMs),
    });
  }
  return rows;
}

/** Median, fastest and slowest of the rows, or null without any. */
export function agreementStats(rows: readonly AgreementRow[]): { median: string; min: string; max: string } | null {
  if (rows.length === 0) return null;
  const sorted = rows.map((row) => row.ms).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: formatAgreeMs(median), min: formatAgreeMs(sorted[0]), max: formatAgreeMs(sorted.at(-1)) };
}

/* ------------------------------------------------------------------------------------------------
 * The stream
 */

/** A message of the stream, or null when it is not a snapshot this page can show. */
export function parseSnapshot(data: string): LabSnapshot | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Partial<LabSnapshot>;
  const ok =
    typeof s.mode === 'string' &&
    Array.isArray(s.nodes) &&
    Array.isArray(s.groups) &&
    Array.isArray(s.timeline) &&
    typeof s.view === 'object' &&
    s.view !== null &&
    Array.isArray(s.view.sides) &&
    Array.isArray(s.view.leaders) &&
    typeof s.supports === 'object' &&
    s.supports !== null;
  return ok ? (s as LabSnapshot) : null;
}

/**
 * "5 nodes · 5 voters · heartbeat 100 ms · timeout 500 ms". With the member rate (a snapshot that
 * carries `memberBeatMs`), both rates and both silence limits: "rounds 100 ms · member beat 1 s ·
 * timeout 1.0 s / 3.0 s" (a bound follower counts as dead after three missed member beats).
 */
export function labFacts(snapshot: Pick<LabSnapshot, 'nodes' | 'voters' | 'heartbeatMs' | 'timeoutMs'> & { memberBeatMs?: number }): string[] {
  const n = snapshot.nodes.length;
  const size = [`${n} ${n === 1 ? 'node' : 'nodes'}`, `${snapshot.voters} ${snapshot.voters === 1 ? 'voter' : 'voters'}`];
  const member = snapshot.memberBeatMs;
  if (!isNumber(member) || member <= snapshot.heartbeatMs) {
    return [...size, `heartbeat ${formatDurationMs(snapshot.heartbeatMs)}`, `timeout ${formatDurationMs(snapshot.timeoutMs)}`];
  }
  const memberLimitMs = silenceLimitMs(snapshot.timeoutMs, member);
  const limits = memberLimitMs > snapshot.timeoutMs ? `${formatDurationMs(snapshot.timeoutMs)} / ${formatDurationMs(memberLimitMs)}` : formatDurationMs(snapshot.timeoutMs);
  return [...size, `rounds ${formatRateMs(snapshot.heartbeatMs)}`, `member beat ${formatRateMs(member)}`, `timeout ${limits}`];
}
