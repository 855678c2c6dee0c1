/**
 * What every node emits, whichever way it elects: the lines of its story (one discriminated union
 * on `event`, what `--json` prints; docs/events.md) and the changes a program acts on.
 */
import type { NodeId, Role } from '../core/index.ts';
import type { EventFields, LeaseEndReason } from './event-fields.ts';

/** The JSON-line schema's version (docs/events.md): fields are only added; a rename or removal bumps it. */
export const EVENT_SCHEMA_VERSION = 1;

/** Every kind of line, at run time (the documentation test reads it); EventKind is derived from it. */
export const EVENT_KINDS = [
  'started',
  'stopped',
  'warning',
  'fatal',
  'paused',
  'resumed',
  'listener-error',
  'alarm',
  'stalled',
  'dropped',
  'send-failed',
  'alone',
  'role',
  'term',
  'leader',
  'elected',
  'demoted',
  'pre-vote',
  'election',
  'challenge',
  'vote',
  'peer-joined',
  'peer-restarted',
  'peer-suspected',
  'peer-recovered',
  'peer-dead',
  'peer-left',
  'session',
  'registered',
  'hook',
  'dashboard',
] as const satisfies readonly (keyof EventFields)[];
export type EventKind = (typeof EVENT_KINDS)[number];

/** A kind with fields but missing from EVENT_KINDS fails here, naming it. */
type EveryKindListed<Unlisted extends never> = Unlisted;
export type CheckedEveryKindListed = EveryKindListed<Exclude<keyof EventFields, EventKind>>;

/** What every line starts with: when, and the node's state after the event. */
export interface EventHeader {
  /** Milliseconds since the epoch. */
  ts: number;
  id: NodeId;
  role: Role;
  term: number;
  /** A coordinator this node knows to hold a valid lease, or null; never a stale ID. */
  leader: NodeId | null;
  quorum: { have: number; need: number };
}

/** The fields of one kind beyond the header: what an emitter passes. */
export type DetailsOf<K extends EventKind> = EventFields[K];

/** The line of one kind (of each, for a union of kinds). */
export type NodeEventOf<K extends EventKind> = K extends EventKind ? EventHeader & { event: K } & EventFields[K] : never;

/** One line of the node's story: what the CLI prints with --json, and what the API emits. */
export type NodeEvent = NodeEventOf<EventKind>;

/** What an Elector emits, for `on(...)`: the same for both backends. */
export interface ElectorEvents {
  /** Every line of the node's story. */
  event: [NodeEvent];
  /** This node's lease became valid: act as coordinator, with `term` as the fencing token. */
  elected: [{ term: number }];
  /** This node's lease ended: stop acting as coordinator now. */
  demoted: [{ term: number; reason: LeaseEndReason }];
  /** The known coordinator changed (null: none known). */
  leader: [{ leader: NodeId | null; term: number }];
  /** A heartbeat of a peer arrived (after authentication); for live timing views. */
  heartbeat: [{ from: NodeId; atMs: number }];
}
