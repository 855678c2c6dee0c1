/**
 * The timeline: one readable line per NodeEvent, newest first, bounded so an hour of flapping
 * peers cannot grow the page without limit.
 */
import type { NodeEvent } from '../../contract/events.ts';
import { causeInWords } from './coordinator.ts';
import { formatClockTime, formatDurationMs, isNumber, nodeLabel, nodeList, plural } from './format.ts';

export const MAX_TIMELINE_ENTRIES = 300;

/** What an entry is about; the filter chips group these. */
export const EventKind = {
  Election: 'election',
  Vote: 'vote',
  Peer: 'peer',
  Drop: 'drop',
  Node: 'node',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** How an entry is coloured; every tone also has its own symbol and label. */
export const Tone = { Info: 'info', Good: 'good', Warn: 'warn', Bad: 'bad' } as const;
export type Tone = (typeof Tone)[keyof typeof Tone];

export const TIMELINE_FILTERS = [
  { key: 'all', label: 'All', kinds: null },
  { key: 'elections', label: 'Elections', kinds: [EventKind.Election, EventKind.Vote] },
  { key: 'peers', label: 'Peers', kinds: [EventKind.Peer] },
  { key: 'drops', label: 'Drops', kinds: [EventKind.Drop] },
] as const;
export type TimelineFilterKey = (typeof TIMELINE_FILTERS)[number]['key'];

export interface TimelineEntry {
  /** Unique within a page's life: the key of the {#each}. */
  seq: number;
  ts: number;
  /** "13:04:05.067" */
  time: string;
  /** The NodeEvent's name, e.g. "peer-dead". */
  event: string;
  kind: EventKind;
  tone: Tone;
  symbol: string;
  /** A short tag: "elected", "vote", "peer dead". */
  label: string;
  text: string;
  term: number;
}

const DEMOTION_REASONS: Record<string, string> = {
  'lease-expired': 'its lease ran out (no majority confirmed it)',
  'higher-term': 'it saw a higher term',
  resigned: 'it resigned',
  stopping: 'the node is stopping',
  preempted: 'a higher ID took over',
  requested: 'resignation was requested',
  'duplicate-id': 'another node uses the same ID',
  suspending: 'the machine is suspending',
  fatal: 'its state could not be saved',
  'zookeeper-disconnected': 'its connection to ZooKeeper was lost',
  'zookeeper-unreachable': 'ZooKeeper did not answer within two thirds of the session timeout',
  'session-expired': 'its ZooKeeper session expired',
  'claim-lost': 'its ZooKeeper claim is gone',
  paused: 'it was paused',
};

const REJECT_REASONS: Record<string, string> = {
  'stale-term': 'its term is stale',
  'already-voted': 'already voted in this term',
  'lease-held': 'a coordinator still holds its lease',
  'higher-node': 'a higher ID is alive',
  quarantine: 'this node is quarantined',
  'not-eligible': 'it may not lead',
};

const DROP_REASONS: Record<string, string> = {
  empty: 'empty datagram',
  oversized: 'oversized datagram',
  truncated: 'truncated datagram',
  malformed: 'malformed datagram',
  'bad-version': 'unknown protocol version',
  'missing-body': 'missing message body',
  'bad-field': 'invalid field',
  'term-out-of-range': 'term out of range',
  unauthenticated: 'not authenticated',
  'unknown-key': 'unknown key',
  'bad-mac': 'bad MAC (wrong key or tampered)',
  'foreign-cluster': 'from another cluster',
  'config-mismatch': 'different cluster configuration',
  'not-voter': 'sender is not a voter',
  replayed: 'replayed',
  duplicate: 'duplicate',
  impostor: 'impostor (someone else’s ID)',
  overloaded: 'receiver overloaded',
};

/** NodeEvent details are `unknown`; these read them without trusting them. */
function num(value: unknown): number | null {
  return isNumber(value) ? value : null;
}
function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => isNumber(v)) : [];
}
function peer(event: NodeEvent): string {
  return nodeLabel(num(event.peer));
}
function termOf(event: NodeEvent, field: string): number {
  return num(event[field]) ?? event.term;
}

interface Described {
  kind: EventKind;
  tone: Tone;
  symbol: string;
  label: string;
  text: string;
}

/** The words for one event; unknown events still get a line with their name. */
export function describeEvent(event: NodeEvent): Described {
  const self = nodeLabel(event.id);
  switch (event.event) {
    case 'started': {
      const backend = str(event.backend);
      if (backend !== null) return { kind: 'node', tone: 'info', symbol: '⚑', label: 'started', text: `${self} started, electing through ${backend}` };
      const where = [str(event.interface), str(event.address)].filter((part) => part !== null).join(' ');
      const cluster = str(event.cluster);
      return { kind: 'node', tone: 'info', symbol: '⚑', label: 'started', text: `${self} started${where === '' ? '' : ` on ${where}`}${cluster === null ? '' : `, cluster “${cluster}”`}` };
    }
    case 'stopped':
      return { kind: 'node', tone: 'info', symbol: '■', label: 'stopped', text: `${self} stopped` };
    case 'warning':
      return { kind: 'node', tone: 'warn', symbol: '⚠\uFE0E', label: 'warning', text: str(event.message) ?? 'warning' };
    case 'fatal':
      return { kind: 'node', tone: 'bad', symbol: '✖', label: 'fatal', text: `Fatal: ${str(event.error) ?? 'unknown error'}; the node stopped taking part` };
    case 'paused':
      return { kind: 'node', tone: 'warn', symbol: '❚❚', label: 'paused', text: `${self} paused: not sending or receiving` };
    case 'resumed':
      return { kind: 'node', tone: 'good', symbol: '▶\uFE0E', label: 'resumed', text: `${self} resumed: sending and receiving again` };
    case 'alarm': {
      const alarm = str(event.alarm) === 'duplicate-id' ? 'another node uses the same ID' : (str(event.alarm) ?? 'alarm');
      return event.raised === false
        ? { kind: 'node', tone: 'good', symbol: '✓', label: 'alarm cleared', text: `Alarm cleared: ${alarm}` }
        : { kind: 'node', tone: 'bad', symbol: '⚠\uFE0E', label: 'alarm', text: `Alarm: ${alarm}` };
    }
    case 'resign-requested':
      return { kind: 'election', tone: 'info', symbol: '↓', label: 'resign asked', text: `Resignation requested from the dashboard` };
    case 'role': {
      const previous = str(event.previous);
      return { kind: 'election', tone: 'info', symbol: '◆', label: 'role', text: previous === null ? `Role is now ${event.role}` : `Role ${previous} → ${event.role}` };
    }
    case 'term': {
      const previous = num(event.previous);
      return { kind: 'election', tone: 'info', symbol: '#', label: 'term', text: previous === null ? `Term is now ${event.term}` : `Term ${previous} → ${event.term}` };
    }
    case 'leader': {
      const previous = num(event.previous);
      if (event.leader === null) {
        const why = previous === null ? '' : previous === event.id ? ' (this node stopped leading)' : ` (${nodeLabel(previous)} is gone)`;
        return { kind: 'election', tone: 'warn', symbol: '○', label: 'no leader', text: `No coordinator${why}` };
      }
      return { kind: 'election', tone: 'good', symbol: '★', label: 'leader', text: `Coordinator is now ${nodeLabel(event.leader)} (term ${event.term})` };
    }
    case 'session': {
      const state = str(event.state) ?? 'unknown';
      const tone: Tone = state === 'connected' ? 'good' : state === 'connecting' ? 'info' : 'bad';
      const id = str(event.sessionId);
      return { kind: 'node', tone, symbol: state === 'connected' ? '✓' : state === 'connecting' ? '◔' : '▲', label: 'session', text: `ZooKeeper session ${state}${id === null ? '' : ` (0x${id})`}` };
    }
    case 'registered':
      return { kind: 'election', tone: 'info', symbol: '+', label: 'candidate', text: `${self} registered as candidate ${str(event.znode) ?? ''}` };
    case 'elected': {
      const token = num(event.token);
      if (token !== null) {
        return { kind: 'election', tone: 'good', symbol: '★', label: 'elected', text: `${self} elected coordinator through ZooKeeper: holds the claim, fencing token ${token}` };
      }
      const votedBy = ids(event.votedBy);
      const cause = str(event.cause);
      return {
        kind: 'election',
        tone: 'good',
        symbol: '★',
        label: 'elected',
        text: `${self} elected coordinator for term ${event.term}${cause === null ? '' : ` (${causeInWords(cause)})`}: ${plural(votedBy.length, 'vote')} of ${event.quorum.need} needed, from ${nodeList(votedBy)}`,
      };
    }
    case 'demoted': {
      const reason = str(event.reason);
      return {
        kind: 'election',
        tone: 'warn',
        symbol: '▼',
        label: 'stepped down',
        text: `${self} stepped down from term ${termOf(event, 'leaseTerm')}${reason === null ? '' : `: ${DEMOTION_REASONS[reason] ?? reason}`}`,
      };
    }
    case 'pre-vote':
    case 'election': {
      const cause = str(event.cause);
      const what = event.event === 'pre-vote' ? 'Pre-vote' : 'Election';
      return {
        kind: 'election',
        tone: 'info',
        symbol: '☐',
        label: event.event,
        text: `${what} for term ${termOf(event, 'forTerm')}${cause === null ? '' : ` (${causeInWords(cause)})`}`,
      };
    }
    case 'challenge': {
      const to = ids(event.to);
      return { kind: 'election', tone: 'info', symbol: '⇡', label: 'challenge', text: `Challenge sent to ${to.length === 0 ? 'higher IDs' : nodeList(to)}` };
    }
    case 'vote': {
      const granted = event.granted === true;
      const which = event.preVote === true ? 'pre-vote' : 'vote';
      const reason = str(event.reason);
      return {
        kind: 'vote',
        tone: granted ? 'good' : 'info',
        symbol: granted ? '✓' : '✗',
        label: granted ? `${which} yes` : `${which} no`,
        text: granted
          ? `Granted ${which} to ${nodeLabel(num(event.candidate))} for term ${termOf(event, 'forTerm')}`
          : `Refused ${which} to ${nodeLabel(num(event.candidate))} for term ${termOf(event, 'forTerm')}${reason === null ? '' : `: ${REJECT_REASONS[reason] ?? reason}`}`,
      };
    }
    case 'peer-joined':
      return { kind: 'peer', tone: 'good', symbol: '+', label: 'joined', text: `${peer(event)} joined` };
    case 'peer-restarted':
      return { kind: 'peer', tone: 'info', symbol: '↻', label: 'restarted', text: `${peer(event)} restarted (new boot)` };
    case 'peer-suspected':
      return { kind: 'peer', tone: 'warn', symbol: '▲', label: 'suspected', text: `${peer(event)} suspected: heartbeats are late` };
    case 'peer-recovered':
      return { kind: 'peer', tone: 'good', symbol: '●', label: 'recovered', text: `${peer(event)} recovered: heartbeats on time again` };
    case 'peer-dead':
      return { kind: 'peer', tone: 'bad', symbol: '✕', label: 'dead', text: `${peer(event)} declared dead: no heartbeat within the timeout` };
    case 'peer-left':
      return { kind: 'peer', tone: 'info', symbol: '○', label: 'left', text: `${peer(event)} left the cluster` };
    case 'dropped': {
      const reason = str(event.reason);
      const count = num(event.count) ?? 1;
      const total = num(event.total);
      const from = num(event.from);
      // Where they came from: the address finds a flooding host, which claims no ID or any.
      const source = str(event.source);
      const sender = from === null ? (source === null ? '' : ` from ${source}`) : ` from ${nodeLabel(from)}${source === null ? '' : ` (${source})`}`;
      const detail = str(event.detail);
      return {
        kind: 'drop',
        tone: 'warn',
        symbol: '⊘',
        label: 'dropped',
        text:
          `Dropped ${plural(count, 'datagram')}: ${reason === null ? 'unknown reason' : (DROP_REASONS[reason] ?? reason)}` +
          `${sender}${total === null ? '' : ` (${total} in all)`}${detail === null || detail === '' ? '' : ` — ${detail}`}`,
      };
    }
    case 'stalled':
      return describeStall(event, self);
    default:
      return { kind: 'node', tone: 'info', symbol: '•', label: event.event, text: event.event };
  }
}

/** A node that was frozen says so on waking (README, "JSON events"). */
function describeStall(event: NodeEvent, self: string): Described {
  const frozen = `${self} was frozen for ${formatDurationMs(num(event.durationMs))}`;
  if (event.leaseLost === true) {
    return { kind: 'election', tone: 'bad', symbol: '❄\uFE0E', label: 'stalled', text: `${frozen}, longer than its lease: it stopped leading while frozen, and the others could elect` };
  }
  const lease = event.wasLeader === true ? '; its lease held' : '';
  return { kind: 'node', tone: 'warn', symbol: '❄\uFE0E', label: 'stalled', text: `${frozen} (a pause, a stop signal or a suspend: its timers ran that late)${lease}` };
}

export function timelineEntry(event: NodeEvent, seq: number): TimelineEntry {
  return { seq, ts: event.ts, time: formatClockTime(event.ts), event: event.event, term: event.term, ...describeEvent(event) };
}

/** A new list with `entry` first, at most `max` long. */
export function prependEntry(entries: readonly TimelineEntry[], entry: TimelineEntry, max = MAX_TIMELINE_ENTRIES): TimelineEntry[] {
  const next = [entry, ...entries];
  if (next.length > max) next.length = max;
  return next;
}

/** The hello's events (oldest first) as a timeline (newest first), at most `max` of the latest. */
export function timelineFromEvents(events: readonly NodeEvent[], firstSeq: number, max = MAX_TIMELINE_ENTRIES): TimelineEntry[] {
  const latest = events.slice(Math.max(0, events.length - max));
  return latest.map((event, i) => timelineEntry(event, firstSeq + i)).reverse();
}

export function filterTimeline(entries: readonly TimelineEntry[], filter: TimelineFilterKey): readonly TimelineEntry[] {
  const kinds = TIMELINE_FILTERS.find((f) => f.key === filter)?.kinds ?? null;
  if (kinds === null) return entries;
  const wanted: readonly EventKind[] = kinds;
  return entries.filter((entry) => wanted.includes(entry.kind));
}
