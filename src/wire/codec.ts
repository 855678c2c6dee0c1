/**
 * Message ⇄ protobuf Envelope ⇄ bytes. The only place that knows the wire format. Decoding never
 * throws: bad bytes come back as a DecodeError with a reason the runtime counts.
 */
import {
  ElectionCause,
  MAX_TWINS_TOLD,
  RejectReason,
  ResignReason,
  Role,
  type Heartbeat,
  type Message,
  type NodeId,
} from '../core/messages.ts';
import { MAX_BEAT_INTERVAL_MS } from '../core/config.ts';
import { scanFields, type MessageShape } from './framing.ts';
import { decodeIdSet, encodeIdSet } from './id-set.ts';
import { conclave } from './generated/conclave.js';

const pb = conclave.v1;

export const PROTOCOL_VERSION = 2;
/**
 * A sealed envelope (key ID and MAC add 24 bytes) stays within MAX_DATAGRAM_BYTES, below a
 * 1500-byte Ethernet MTU after IP and UDP headers, so a datagram is never fragmented.
 */
export const MAX_DATAGRAM_BYTES = 1400;
export const MAX_ENVELOPE_BYTES = MAX_DATAGRAM_BYTES - 40;
const MAX_NODE_ID = 0xffff_ffff;

export const DecodeFailure = {
  Empty: 'empty',
  Oversized: 'oversized',
  Truncated: 'truncated',
  Malformed: 'malformed',
  BadVersion: 'bad-version',
  MissingBody: 'missing-body',
  BadField: 'bad-field',
} as const;
export type DecodeFailure = (typeof DecodeFailure)[keyof typeof DecodeFailure];

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly reason: DecodeFailure;
  constructor(reason: DecodeFailure, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
  }
}

export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

/** Envelope fields the core does not see: they belong to the transport and the runtime. */
export interface WireMeta {
  cluster: string;
  seq: number;
  configId: number;
  /** The sender's unicast port, carried in heartbeats (a transport fact, not the core's). */
  unicastPort?: number;
  /** Gossip of where peers are, carried in heartbeats (also a transport fact). */
  members?: readonly Member[];
}

/** A peer's unicast socket, as one node tells another (seeds and gossip, docs/protocol.md). */
export interface Member {
  id: NodeId;
  /** Dotted IPv4 address. */
  address: string;
  port: number;
}

export interface Decoded extends WireMeta {
  message: Message;
  unicastPort: number;
  members: Member[];
}

/** Why bytes did not decode: a DecodeError, or the same without a stack trace (cheaper to make). */
export interface DecodeProblem {
  readonly reason: DecodeFailure;
  /** `reason: detail` */
  readonly message: string;
}

export type DecodeResult = { ok: true; value: Decoded } | { ok: false; error: DecodeProblem };

// Enum tables: the core's names against the protocol's numbers (proto/conclave.proto).
const ROLES = [Role.Follower, Role.Candidate, Role.Leader] as const;
const CAUSES = [
  ElectionCause.ColdStart,
  ElectionCause.Failover,
  ElectionCause.Resignation,
  ElectionCause.Preemption,
] as const;
const REJECTS = [
  RejectReason.StaleTerm,
  RejectReason.AlreadyVoted,
  RejectReason.LeaseHeld,
  RejectReason.HigherNode,
  RejectReason.Quarantine,
  RejectReason.NotEligible,
] as const;
const RESIGNS = [
  ResignReason.Stopping,
  ResignReason.Preempted,
  ResignReason.Requested,
  ResignReason.DuplicateId,
  ResignReason.Suspending,
] as const;

/** Wire number of a core enum value: its index in the table + 1 (0 is "unspecified"). */
function toWire<T>(table: readonly T[], value: T): number {
  return table.indexOf(value) + 1;
}

function fromWire<T>(table: readonly T[], value: number | null | undefined, field: string): T {
  const name = table[(value ?? 0) - 1];
  if (name === undefined) throw new DecodeError(DecodeFailure.BadField, `${field} = ${value}`);
  return name;
}

const idOrZero = (id: NodeId | null): number => id ?? 0;

export function encodeMessage(message: Message, meta: WireMeta): Uint8Array {
  const envelope: conclave.v1.Envelope.$Properties = {
    version: PROTOCOL_VERSION,
    cluster: meta.cluster,
    from: message.from,
    bootId: message.bootId,
    seq: meta.seq,
    term: message.term,
    to: message.to,
    configId: meta.configId,
    sentAtMs: message.sentAtMs ?? 0,
  };
  switch (message.type) {
    case 'heartbeat':
      envelope.heartbeat = {
        role: toWire(ROLES, message.role),
        leader: idOrZero(message.leader),
        round: message.round,
        ...hearsOnWire(message.hears),
        canLead: message.canLead,
        intervalMs: message.intervalMs,
        unicastPort: meta.unicastPort ?? 0,
        members: (meta.members ?? []).map((m) => ({ id: m.id, ipv4: ipv4ToWire(m.address), port: m.port })),
        twins: twinsOnWire(message.twins),
      };
      break;
    case 'election':
      envelope.election = { cause: toWire(CAUSES, message.cause) };
      break;
    case 'answer':
      envelope.answer = { leader: idOrZero(message.leader) };
      break;
    case 'vote-request':
      envelope.voteRequest = {
        preVote: message.preVote,
        term: message.voteTerm,
        skip: message.skip,
        resignedTerm: message.resignedTerm,
        resignedBoot: message.resignedBoot,
        cause: toWire(CAUSES, message.cause),
      };
      break;
    case 'vote':
      envelope.vote = {
        preVote: message.preVote,
        term: message.voteTerm,
        granted: message.granted,
        reason: message.reason === null ? 0 : toWire(REJECTS, message.reason),
        retryAfterMs: message.retryAfterMs,
        prefer: idOrZero(message.prefer),
      };
      break;
    case 'coordinator':
      envelope.coordinator = { round: message.round, cause: toWire(CAUSES, message.cause), votedBy: message.votedBy };
      break;
    case 'lease-ack':
      envelope.leaseAck = { round: message.round };
      break;
    case 'resign':
      envelope.resign = { reason: toWire(RESIGNS, message.reason), successor: idOrZero(message.successor) };
      break;
    case 'leave':
      envelope.leave = {};
      break;
  }
  const bytes = pb.Envelope.encode(envelope).finish();
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new EncodeError(`${message.type} encodes to ${bytes.length} bytes, above ${MAX_ENVELOPE_BYTES}`);
  }
  return bytes;
}

export function decodeEnvelope(bytes: Uint8Array): DecodeResult {
  const refused = cheapChecks(bytes);
  if (refused !== null) return { ok: false, error: refused };
  try {
    return { ok: true, value: decodeOrThrow(bytes) };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, error };
    const text = error instanceof Error ? error.message : String(error);
    // protobufjs reports a read past the end as "index out of range".
    const reason = /index out of range/.test(text) ? DecodeFailure.Truncated : DecodeFailure.Malformed;
    return { ok: false, error: new DecodeError(reason, text) };
  }
}

/**
 * Size and framing, checked before protobufjs sees the bytes: garbage is turned away without an
 * exception, whose stack trace would cost more than the rest of the drop (src/wire/framing.ts).
 */
function cheapChecks(bytes: Uint8Array): DecodeProblem | null {
  if (bytes.length === 0) return problem(DecodeFailure.Empty, 'no bytes');
  if (bytes.length > MAX_ENVELOPE_BYTES) return problem(DecodeFailure.Oversized, `${bytes.length} bytes, above ${MAX_ENVELOPE_BYTES}`);
  const framing = scanFields(bytes, ENVELOPE);
  return framing.ok === false ? problem(framing.reason, framing.detail) : null;
}

function problem(reason: DecodeFailure, detail: string): DecodeProblem {
  return { reason, message: `${reason}: ${detail}` };
}

function decodeOrThrow(bytes: Uint8Array): Decoded {
  const e = pb.Envelope.decode(bytes);
  if (e.version !== PROTOCOL_VERSION) {
    throw new DecodeError(DecodeFailure.BadVersion, `version ${e.version}, this node speaks ${PROTOCOL_VERSION}`);
  }
  const message = decodeBody(e);
  // Header fields are assigned after the body so that every message object has one shape.
  message.from = nodeId(e.from, 'from');
  message.bootId = safeInteger(e.bootId, 'bootId', 1);
  message.term = safeInteger(e.term, 'term', 0);
  message.to = e.to;
  message.sentAtMs = safeInteger(e.sentAtMs, 'sentAtMs', 0);
  const unicastPort = e.body === 'heartbeat' ? (e.heartbeat!.unicastPort ?? 0) : 0;
  if (unicastPort > 65535) throw new DecodeError(DecodeFailure.BadField, `heartbeat.unicastPort = ${unicastPort}`);
  const members = e.body === 'heartbeat' ? memberList(e.heartbeat!.members) : [];
  return { cluster: e.cluster, seq: safeInteger(e.seq, 'seq', 1), configId: e.configId, unicastPort, members, message };
}

/** How protobufjs reads an Envelope's top-level fields (proto/conclave.proto). */
const ENVELOPE: MessageShape = {
  varint: (field) => ((field >= 1 && field <= 7 && field !== 2) || field === 18 ? 'uint32' : 'skip'), // the uint32 and uint64 fields
  // The cluster name (UTF-8) and the message bodies.
  checksContent: (field) => field === 2 || (field >= 9 && field <= 17),
};

/**
 * The header fields are placeholders, filled in by the caller once the body decoded. They are
 * written out in each literal: spreading a shared header object made each decode about 15 µs
 * slower (V8 on Node 20), most of a simulated run's time.
 */
function decodeBody(e: conclave.v1.Envelope): Message {
  switch (e.body) {
    case 'heartbeat': {
      const b = e.heartbeat!;
      const heartbeat: Heartbeat = {
        from: 0, bootId: 0, term: 0, to: 0,
        type: 'heartbeat',
        role: fromWire(ROLES, b.role, 'heartbeat.role'),
        leader: optionalId(b.leader, 'heartbeat.leader'),
        round: safeInteger(b.round, 'heartbeat.round', 0),
        hears: decodeIdSet(b.hears ?? [], b.hearsBits ?? NO_BYTES, (id) => nodeId(id, 'heartbeat.hears')),
        canLead: b.canLead ?? false,
        intervalMs: beatInterval(b.intervalMs),
      };
      // Only when it names someone: nearly every heartbeat names nobody, and decodes as before.
      if (b.twins !== undefined && b.twins !== null && b.twins.length > 0) heartbeat.twins = twinList(b.twins);
      return heartbeat;
    }
    case 'election':
      return { from: 0, bootId: 0, term: 0, to: 0, type: 'election', cause: fromWire(CAUSES, e.election!.cause, 'election.cause') };
    case 'answer':
      return { from: 0, bootId: 0, term: 0, to: 0, type: 'answer', leader: optionalId(e.answer!.leader, 'answer.leader') };
    case 'voteRequest': {
      const b = e.voteRequest!;
      return {
        from: 0, bootId: 0, term: 0, to: 0,
        type: 'vote-request',
        preVote: b.preVote ?? false,
        voteTerm: safeInteger(b.term, 'voteRequest.term', 1),
        skip: idList(b.skip, 'voteRequest.skip'),
        resignedTerm: safeInteger(b.resignedTerm, 'voteRequest.resignedTerm', 0),
        resignedBoot: safeInteger(b.resignedBoot, 'voteRequest.resignedBoot', 0),
        cause: fromWire(CAUSES, b.cause, 'voteRequest.cause'),
      };
    }
    case 'vote': {
      const b = e.vote!;
      const granted = b.granted ?? false;
      return {
        from: 0, bootId: 0, term: 0, to: 0,
        type: 'vote',
        preVote: b.preVote ?? false,
        voteTerm: safeInteger(b.term, 'vote.term', 1),
        granted,
        reason: granted ? null : fromWire(REJECTS, b.reason, 'vote.reason'),
        retryAfterMs: b.retryAfterMs ?? 0,
        prefer: optionalId(b.prefer, 'vote.prefer'),
      };
    }
    case 'coordinator': {
      const b = e.coordinator!;
      return {
        from: 0, bootId: 0, term: 0, to: 0,
        type: 'coordinator',
        round: safeInteger(b.round, 'coordinator.round', 1),
        cause: fromWire(CAUSES, b.cause, 'coordinator.cause'),
        votedBy: idList(b.votedBy, 'coordinator.votedBy'),
      };
    }
    case 'leaseAck':
      return { from: 0, bootId: 0, term: 0, to: 0, type: 'lease-ack', round: safeInteger(e.leaseAck!.round, 'leaseAck.round', 1) };
    case 'resign': {
      const b = e.resign!;
      return {
        from: 0, bootId: 0, term: 0, to: 0,
        type: 'resign',
        reason: fromWire(RESIGNS, b.reason, 'resign.reason'),
        successor: optionalId(b.successor, 'resign.successor'),
      };
    }
    case 'leave':
      return { from: 0, bootId: 0, term: 0, to: 0, type: 'leave' };
    default:
      throw new DecodeError(DecodeFailure.MissingBody, 'the envelope carries no message body');
  }
}

/** A uint64 as protobufjs decodes it: a number, or a Long when the value needs 64 bits. */
type Uint64 = number | { low: number; high: number } | null | undefined;

function safeInteger(value: Uint64, field: string, min: number): number {
  const n = typeof value === 'object' && value !== null ? (value.high >>> 0) * 2 ** 32 + (value.low >>> 0) : (value ?? 0);
  if (!Number.isSafeInteger(n) || n < min) throw new DecodeError(DecodeFailure.BadField, `${field} = ${n}`);
  return n;
}

function nodeId(value: number | null | undefined, field: string): NodeId {
  const id = value ?? 0;
  if (!Number.isInteger(id) || id < 1 || id > MAX_NODE_ID) {
    throw new DecodeError(DecodeFailure.BadField, `${field} = ${id} is not a node ID`);
  }
  return id;
}

function optionalId(value: number | null | undefined, field: string): NodeId | null {
  return (value ?? 0) === 0 ? null : nodeId(value, field);
}

function hearsOnWire(hears: readonly NodeId[]): { hears: number[]; hearsBits: Uint8Array } {
  const { list, bits } = encodeIdSet(hears);
  return { hears: list, hearsBits: bits };
}

const NO_BYTES = new Uint8Array(0);

/** The longest interval any valid configuration announces (a minute); the core trusts only its own slow rate. */
export { MAX_BEAT_INTERVAL_MS };

function beatInterval(value: number | null | undefined): number {
  if (value === null || value === undefined || value < 1 || value > MAX_BEAT_INTERVAL_MS) {
    throw new DecodeError(DecodeFailure.BadField, `heartbeat.intervalMs = ${value ?? 0}`);
  }
  return value;
}

function idList(values: number[] | null | undefined, field: string): NodeId[] {
  return (values ?? []).map((id) => nodeId(id, field));
}

function twinsOnWire(twins: readonly NodeId[] | undefined): number[] {
  if (twins === undefined) return [];
  if (twins.length > MAX_TWINS_TOLD) throw new EncodeError(`heartbeat names ${twins.length} twins, above ${MAX_TWINS_TOLD}`);
  return [...twins];
}

/** A heartbeat's `twins`: at most MAX_TWINS_TOLD node IDs, each once. */
function twinList(values: number[]): NodeId[] {
  if (values.length > MAX_TWINS_TOLD) {
    throw new DecodeError(DecodeFailure.BadField, `heartbeat.twins names ${values.length} IDs, above ${MAX_TWINS_TOLD}`);
  }
  const ids = values.map((id) => nodeId(id, 'heartbeat.twins'));
  if (new Set(ids).size !== ids.length) throw new DecodeError(DecodeFailure.BadField, `heartbeat.twins = ${ids.join(',')} repeats an ID`);
  return ids;
}

function memberList(values: conclave.v1.IMember[] | null | undefined): Member[] {
  return (values ?? []).map((m) => {
    const port = m.port ?? 0;
    if (port < 1 || port > 65535) throw new DecodeError(DecodeFailure.BadField, `heartbeat.members.port = ${port}`);
    const ipv4 = m.ipv4 ?? 0;
    if (ipv4 === 0) throw new DecodeError(DecodeFailure.BadField, 'heartbeat.members.ipv4 = 0.0.0.0');
    return { id: nodeId(m.id, 'heartbeat.members.id'), address: ipv4FromWire(ipv4), port };
  });
}

function ipv4ToWire(address: string): number {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new EncodeError(`member address ${address} is not a dotted IPv4 address`);
  }
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

function ipv4FromWire(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}
