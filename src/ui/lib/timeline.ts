/**
 * The timeline: one readable line per NodeEvent, newest first, bounded so an hour of flapping
 * peers cannot grow the page without limit.
 */
import type { LeaseEndReason } from '../../contract/event-fields.ts';
import type { NodeEvent, NodeEventOf } from '../../contract/events.ts';
import { causeInWords } from './coordinator.ts';
import { formatClockTime, formatDurationMs, nodeLabel, nodeList, plural } from './format.ts';

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

const DEMOTION_REASONS = {
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
} as const satisfies Record<LeaseEndReason, string>;

const REJECT_REASONS = {
  'stale-term': 'its term is stale',
  'already-voted': 'already voted in this term',
  'lease-held': 'a coordinator still holds its lease',
  'higher-node': 'a higher ID is alive',
  quarantine: 'this node is quarantined',
  'not-eligible': 'it may not lead',
} as const satisfies Record<NonNullable<NodeEventOf<'vote'>['reason']>, string>;

const DROP_REASONS = {
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
} as const satisfies Record<NodeEventOf<'dropped'>['reason'], string>;

interface Described {
  kind: EventKind;
  tone: Tone;
  symbol: string;
  label: string;
  text: string;
}

/** The words for one event; a kind added to the union fails to compile here until it has some. */
export function describeEvent(event: NodeEvent): Described {
  const self = nodeLabel(event.id);
  switch (event.event) {
    case 'started': {
      if ('backend' in event) return { kind: 'node', tone: 'info', symbol: '⚑', label: 'started', text: `${self} started, electing through ${event.backend}` };
      return { kind: 'node', tone: 'info', symbol: '⚑', label: 'started', text: `${self} started on ${event.interface} ${event.address}, cluster “${event.cluster}”` };
    }
    case 'stopped':
      return { kind: 'node', tone: 'info', symbol: '■', label: 'stopped', text: `${self} stopped` };
    case 'warning':
      return { kind: 'node', tone: 'warn', symbol: '⚠\uFE0E', label: 'warning', text: event.message };
    case 'fatal':
      return { kind: 'node', tone: 'bad', symbol: '✖', label: 'fatal', text: `Fatal: ${event.error}; the node stopped taking part` };
    case 'paused':
      return { kind: 'node', tone: 'warn', symbol: '❚❚', label: 'paused', text: `${self} paused: not sending or receiving` };
    case 'resumed':
      return { kind: 'node', tone: 'good', symbol: '▶\uFE0E', label: 'resumed', text: `${self} resumed: sending and receiving again` };
    case 'alarm': {
      const alarm = event.alarm === 'duplicate-id' ? 'another node uses the same ID' : event.alarm;
      return event.raised
        ? { kind: 'node', tone: 'bad', symbol: '⚠\uFE0E', label: 'alarm', text: `Alarm: ${alarm}` }
        : { kind: 'node', tone: 'good', symbol: '✓', label: 'alarm cleared', text: `Alarm cleared: ${alarm}` };
    }
    case 'role':
      return { kind: 'election', tone: 'info', symbol: '◆', label: 'role', text: `Role ${event.previous} → ${event.role}` };
    case 'term':
      return { kind: 'election', tone: 'info', symbol: '#', label: 'term', text: `Term ${event.previous} → ${event.term}` };
    case 'leader': {
      const { previous } = event;
      if (event.leader === null) {
        const why = previous === null ? '' : previous === event.id ? ' (this node stopped leading)' : ` (${nodeLabel(previous)} is gone)`;
        return { kind: 'election', tone: 'warn', symbol: '○', label: 'no leader', text: `No coordinator${why}` };
      }
      return { kind: 'election', tone: 'good', symbol: '★', label: 'leader', text: `Coordinator is now ${nodeLabel(event.leader)} (term ${event.term})` };
    }
    case 'session': {
      const { state } = event;
      const tone: Tone = state === 'connected' ? 'good' : state === 'connecting' ? 'info' : 'bad';
      const id = event.sessionId;
      return { kind: 'node', tone, symbol: state === 'connected' ? '✓' : state === 'connecting' ? '◔' : '▲', label: 'session', text: `ZooKeeper session ${state}${id === null ? '' : ` (0x${id})`}` };
    }
    case 'registered':
      return { kind: 'election', tone: 'info', symbol: '+', label: 'candidate', text: `${self} registered as candidate ${event.znode}` };
    case 'elected': {
      if ('token' in event) {
        return { kind: 'election', tone: 'good', symbol: '★', label: 'elected', text: `${self} elected coordinator through ZooKeeper: holds the claim, fencing token ${event.token}` };
      }
      const { votedBy } = event;
      return {
        kind: 'election',
        tone: 'good',
        symbol: '★',
        label: 'elected',
        text: `${self} elected coordinator for term ${event.term} (${causeInWords(event.cause)}): ${plural(votedBy.length, 'vote')} of ${event.quorum.need} needed, from ${nodeList(votedBy)}`,
      };
    }
    case 'demoted':
      return {
        kind: 'election',
        tone: 'warn',
        symbol: '▼',
        label: 'stepped down',
        text: `${self} stepped down from term ${event.leaseTerm}: ${DEMOTION_REASONS[event.reason] ?? event.reason}`,
      };
    case 'pre-vote':
    case 'election': {
      const what = event.event === 'pre-vote' ? 'Pre-vote' : 'Election';
      return { kind: 'election', tone: 'info', symbol: '☐', label: event.event, text: `${what} for term ${event.forTerm} (${causeInWords(event.cause)})` };
    }
    case 'challenge':
      return { kind: 'election', tone: 'info', symbol: '⇡', label: 'challenge', text: `Challenge sent to ${event.to.length === 0 ? 'higher IDs' : nodeList(event.to)}` };
    case 'vote': {
      const which = event.preVote ? 'pre-vote' : 'vote';
      const candidate = nodeLabel(event.candidate);
      const { reason } = event;
      return {
        kind: 'vote',
        tone: event.granted ? 'good' : 'info',
        symbol: event.granted ? '✓' : '✗',
        label: event.granted ? `${which} yes` : `${which} no`,
        text: event.granted
          ? `Granted ${which} to ${candidate} for term ${event.forTerm}`
          : `Refused ${which} to ${candidate} for term ${event.forTerm}${reason === null ? '' : `: ${REJECT_REASONS[reason] ?? reason}`}`,
      };
    }
    case 'peer-joined':
      return { kind: 'peer', tone: 'good', symbol: '+', label: 'joined', text: `${nodeLabel(event.peer)} joined` };
    case 'peer-restarted':
      return { kind: 'peer', tone: 'info', symbol: '↻', label: 'restarted', text: `${nodeLabel(event.peer)} restarted (new boot)` };
    case 'peer-suspected':
      return { kind: 'peer', tone: 'warn', symbol: '▲', label: 'suspected', text: `${nodeLabel(event.peer)} suspected: heartbeats are late` };
    case 'peer-recovered':
      return { kind: 'peer', tone: 'good', symbol: '●', label: 'recovered', text: `${nodeLabel(event.peer)} recovered: heartbeats on time again` };
    case 'peer-dead':
      return { kind: 'peer', tone: 'bad', symbol: '✕', label: 'dead', text: `${nodeLabel(event.peer)} declared dead: no heartbeat within the timeout` };
    case 'peer-left':
      return { kind: 'peer', tone: 'info', symbol: '○', label: 'left', text: `${nodeLabel(event.peer)} left the cluster` };
    case 'dropped':
      return describeDrop(event);
    case 'send-failed':
      return describeSendFailure(event);
    case 'alone':
      return { kind: 'node', tone: 'bad', symbol: '⚠\uFE0E', label: 'alone', text: `${event.diagnosis}. Fix: ${event.fix}` };
    case 'stalled':
      return describeStall(event, self);
    // Lines of the command line's own (hook, dashboard) never reach the page; a listener's error goes by name.
    case 'listener-error':
    case 'hook':
    case 'dashboard':
      return byName(event.event);
    default: {
      const unhandled: never = event;
      // A kind this page does not know (it cannot happen within one build): shown by name.
      return byName(String((unhandled as { event?: unknown }).event));
    }
  }
}

function byName(name: string): Described {
  return { kind: 'node', tone: 'info', symbol: '•', label: name, text: name };
}

function describeDrop(event: NodeEventOf<'dropped'>): Described {
  const { from, source, detail } = event;
  // Where they came from: the address finds a flooding host, which claims no ID or any.
  const sender = from === null ? (source === null ? '' : ` from ${source}`) : ` from ${nodeLabel(from)}${source === null ? '' : ` (${source})`}`;
  return {
    kind: 'drop',
    tone: 'warn',
    symbol: '⊘',
    label: 'dropped',
    text: `Dropped ${plural(event.count, 'datagram')}: ${DROP_REASONS[event.reason] ?? event.reason}${sender} (${event.total} in all)${detail === '' ? '' : ` — ${detail}`}`,
  };
}

/** Sends that failed: ENOBUFS means this host's queue toward the network was full. */
function describeSendFailure(event: NodeEventOf<'send-failed'>): Described {
  const why = event.congestion ? 'the network or this machine is congested; probes and repairs wait' : event.detail;
  return {
    kind: 'drop',
    tone: 'warn',
    symbol: '⊘',
    label: 'send failed',
    text: `Could not send ${plural(event.count, 'datagram')} (${event.code})${event.target === null ? '' : ` to ${event.target}`}: ${why} (${event.total} in all)`,
  };
}

/** A node that was frozen says so on waking (docs/events.md). */
function describeStall(event: NodeEventOf<'stalled'>, self: string): Described {
  const frozen = `${self} was frozen for ${formatDurationMs(event.durationMs)}`;
  if (event.leaseLost) {
    return { kind: 'election', tone: 'bad', symbol: '❄\uFE0E', label: 'stalled', text: `${frozen}, longer than its lease: it stopped leading while frozen, and the others could elect` };
  }
  const lease = event.wasLeader ? '; its lease held' : '';
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
