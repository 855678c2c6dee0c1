import type { Message, NodeId } from '../core/index.ts';
import { DecodeFailure, EncodeError, MAX_DATAGRAM_BYTES, decodeEnvelope, encodeMessage, type Decoded, type Member } from './codec.ts';
import { open, seal, type KeyRing, type OpenFailure } from './seal.ts';
import { SenderTable } from './senders.ts';

/** Why a datagram never reached the core. Counted by reason; none of them changes any state. */
export type DropReason =
  | DecodeFailure
  | OpenFailure
  | 'foreign-cluster'
  | 'config-mismatch'
  | 'not-voter'
  | 'replayed'
  /** The same datagram twice (a network may duplicate; multicast and a seed may both carry it). */
  | 'duplicate'
  | 'impostor'
  /** A term above the jump limit that is not the receiver's next (docs/protocol.md, "Term bound"). */
  | 'term-out-of-range'
  /** Too many inputs waiting for a slow disk. */
  | 'overloaded';

export const DROP_REASONS: readonly DropReason[] = [
  ...Object.values(DecodeFailure),
  'unauthenticated',
  'unknown-key',
  'bad-mac',
  'foreign-cluster',
  'config-mismatch',
  'not-voter',
  'replayed',
  'duplicate',
  'impostor',
  'term-out-of-range',
  'overloaded',
];

/** A count of zero for every drop reason. */
export function noDrops(): Record<DropReason, number> {
  return Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>;
}

export interface WireOptions {
  selfId: NodeId;
  cluster: string;
  configId: number;
  voters: readonly NodeId[];
  /** Null: no key; datagrams go unauthenticated and keyed ones are refused. */
  keys: KeyRing | null;
  /** How long a sender counts as alive after its last datagram (the election timeout). */
  aliveMs: number;
  /** This node's unicast port, advertised in its heartbeats; 0 or absent: none. */
  unicastPort?: number;
  /** Gossip to put in a heartbeat about to be sent: where peers are; empty when none is due. */
  members?: () => readonly Member[];
  /**
   * Boot IDs of this node's earlier processes: datagrams with its own ID from one of them are
   * replays (recorded and sent back), not a second live process with the same ID.
   */
  ownPastBoots?: ReadonlySet<number>;
  /**
   * Authenticates and decodes a datagram's bytes (default: `unseal` with `keys`). The simulator
   * passes one that does it once for all the receivers of a multicast.
   */
  unseal?: (bytes: Uint8Array) => Unsealed;
}

/** What a datagram's bytes say by themselves, before any receiver's own checks: its envelope, or why not. */
export type Unsealed = { ok: true; value: Decoded } | { ok: false; reason: DecodeFailure | OpenFailure; detail: string };

/** Authenticates and decodes a datagram: the part of `Wire.decode` that depends on the bytes and the keys alone. */
export function unseal(bytes: Uint8Array, keys: KeyRing | null): Unsealed {
  const opened = open(bytes, keys);
  if (!opened.ok) return opened;
  const decoded = decodeEnvelope(opened.envelope);
  return decoded.ok ? decoded : { ok: false, reason: decoded.error.reason, detail: decoded.error.message };
}

/** What a config-mismatch datagram says of its sender's config: enough to guess what differs. */
export interface ForeignConfig {
  configId: number;
  /** The voters its heartbeat says it hears (empty for other messages). */
  hears: readonly NodeId[];
}

export type Inbound =
  | { ok: true; message: Message; unicastPort: number; members: Member[] }
  | { ok: false; reason: DropReason; detail: string; from: NodeId | null; foreign?: ForeignConfig };

/**
 * Messages to datagrams and back, with every check a datagram must pass on its way in: size,
 * authentication, decoding, cluster, configuration, voter set, replay and impostor.
 */
export class Wire {
  private readonly options: WireOptions;
  private readonly voters: ReadonlySet<NodeId>;
  private readonly senders: SenderTable;

  constructor(options: WireOptions) {
    this.options = options;
    this.voters = new Set(options.voters);
    this.senders = new SenderTable(options.aliveMs);
  }

  encode(message: Message, seq: number): Uint8Array {
    const { cluster, configId, keys, unicastPort } = this.options;
    const meta = { cluster, seq, configId, unicastPort: unicastPort ?? 0 };
    const members = message.type === 'heartbeat' ? this.options.members?.() : undefined;
    if (members === undefined || members.length === 0) return seal(encodeMessage(message, meta), keys);
    try {
      return seal(encodeMessage(message, { ...meta, members }), keys);
    } catch (error) {
      // Gossip is best effort: a heartbeat too full for it still goes out, and a later one tells.
      if (!(error instanceof EncodeError)) throw error;
      return seal(encodeMessage(message, meta), keys);
    }
  }

  /** `address` identifies where the datagram came from (an IP address on a real network). */
  decode(bytes: Uint8Array, address: string, nowMs: number): Inbound {
    if (bytes.length === 0) return drop('empty', 'no bytes');
    if (bytes.length > MAX_DATAGRAM_BYTES) return drop('oversized', `${bytes.length} bytes`);
    const decoded = this.options.unseal?.(bytes) ?? unseal(bytes, this.options.keys);
    if (!decoded.ok) return drop(decoded.reason, decoded.detail);
    const { cluster, configId, seq, message, unicastPort, members } = decoded.value;
    const from = message.from;
    if (cluster !== this.options.cluster) return drop('foreign-cluster', `cluster "${cluster}"`, from);
    if (configId !== this.options.configId) {
      const hears = message.type === 'heartbeat' ? message.hears : [];
      const detail = `config ${configId.toString(16)}, ours ${this.options.configId.toString(16)}`;
      return { ok: false, reason: 'config-mismatch', detail, from, foreign: { configId, hears } };
    }
    if (!this.voters.has(from)) return drop('not-voter', `node ${from} is not a voter`, from);
    // Our own ID goes to the core as it is: our loopback, or a duplicate it must raise an alarm
    // for — unless it is one of our own past processes, replayed.
    if (from === this.options.selfId) {
      if (this.options.ownPastBoots?.has(message.bootId)) {
        return drop('replayed', `our own datagram from an earlier boot (${message.bootId}), from ${address}`, from);
      }
    } else {
      const verdict = this.senders.check(from, message.bootId, seq, address, nowMs);
      if (verdict !== 'ok') return drop(verdict, `node ${from} boot ${message.bootId} seq ${seq} from ${address}`, from);
    }
    return { ok: true, message, unicastPort, members };
  }
}

function drop(reason: DropReason, detail: string, from: NodeId | null = null): Inbound {
  return { ok: false, reason, detail, from };
}
