/**
 * Authentication of datagrams with a shared cluster key: HMAC-SHA256, truncated to 128 bits
 * (RFC 2104 §5 allows truncation to half the hash length), over the key ID and the envelope.
 */
import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac.ts';
import { scanFields, WireType, type FieldVisitor, type MessageShape } from './framing.ts';
import { conclave } from './generated/conclave.js';

const pb = conclave.v1;
export const MAC_BYTES = 16;

/** The keys a node knows: it sends with `sendKeyId` and accepts any of `keys` (rotation). */
export interface KeyRing {
  sendKeyId: number;
  keys: ReadonlyMap<number, Uint8Array>;
}

export type OpenFailure = 'truncated' | 'malformed' | 'unauthenticated' | 'unknown-key' | 'bad-mac';
export type OpenResult = { ok: true; envelope: Uint8Array } | { ok: false; reason: OpenFailure; detail: string };

/** The key ID as the MAC covers it (4 bytes, big-endian), rewritten for each MAC: nothing allocated per datagram. */
const keyIdBytes = Buffer.alloc(4);

function mac(key: Uint8Array, keyId: number, envelope: Uint8Array): Uint8Array {
  keyIdBytes.writeUInt32BE(keyId);
  return hmacSha256(key, keyIdBytes, envelope).subarray(0, MAC_BYTES);
}

/** Wraps an encoded envelope for the wire; without a key ring, unauthenticated. */
export function seal(envelope: Uint8Array, ring: KeyRing | null): Uint8Array {
  if (ring === null) return pb.Datagram.encode({ keyId: 0, envelope }).finish();
  const key = ring.keys.get(ring.sendKeyId)!;
  return pb.Datagram.encode({ keyId: ring.sendKeyId, envelope, mac: mac(key, ring.sendKeyId, envelope) }).finish();
}

/** Unwraps a datagram, checking its MAC against the ring. Never throws. */
export function open(bytes: Uint8Array, ring: KeyRing | null): OpenResult {
  const datagram = readDatagram(bytes);
  if (!datagram.ok) return datagram;
  const { keyId, envelope, mac: tag } = datagram;
  if (ring === null) {
    if (keyId !== 0) return { ok: false, reason: 'unknown-key', detail: `key ${keyId}, and this node has no key` };
    return { ok: true, envelope };
  }
  if (keyId === 0 || tag.length === 0) return { ok: false, reason: 'unauthenticated', detail: 'no MAC' };
  const key = ring.keys.get(keyId);
  if (key === undefined) return { ok: false, reason: 'unknown-key', detail: `key ${keyId}` };
  if (tag.length !== MAC_BYTES || !timingSafeEqual(tag, mac(key, keyId, envelope))) {
    return { ok: false, reason: 'bad-mac', detail: `key ${keyId}` };
  }
  return { ok: true, envelope };
}

type Unwrapped = { ok: true; keyId: number; envelope: Uint8Array; mac: Uint8Array } | { ok: false; reason: 'truncated' | 'malformed'; detail: string };

const NO_BYTES = new Uint8Array(0);
const DATAGRAM: MessageShape = { varint: (field) => (field === 1 ? 'uint32' : 'skip') };

/** The Datagram's three fields, as protobufjs would read them, but without throwing on garbage. */
export function readDatagram(bytes: Uint8Array): Unwrapped {
  const fields = new DatagramFields(bytes);
  const framing = scanFields(bytes, DATAGRAM, fields);
  // The Datagram has no field protobufjs checks inside, so the scan is never unsure of it.
  return framing.ok === false ? framing : { ok: true, keyId: fields.keyId, envelope: fields.envelope, mac: fields.mac };
}

/** As protobufjs reads them: the last occurrence wins; a field of another wire type is skipped. */
class DatagramFields implements FieldVisitor {
  keyId = 0;
  envelope: Uint8Array = NO_BYTES;
  mac: Uint8Array = NO_BYTES;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  field(field: number, wireType: number, value: number, start: number, end: number): void {
    if (field === 1 && wireType === WireType.Varint) this.keyId = value;
    else if (field === 2 && wireType === WireType.Bytes) this.envelope = this.bytes.subarray(start, end);
    else if (field === 3 && wireType === WireType.Bytes) this.mac = this.bytes.subarray(start, end);
  }
}
