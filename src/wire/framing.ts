/**
 * A protobuf message's top-level framing, checked without throwing. protobufjs reports bad bytes
 * by throwing, and an Error with its stack trace costs more than the HMAC a forged datagram makes
 * us compute: a flood of garbage must not be the cheapest way to load a node. This scanner reads
 * the bytes exactly as protobufjs 8's Reader does (tags, varints, lengths, skipped fields and
 * groups, its recursion limit) and fails where it would throw, with the reason the codec derives
 * from its message (a read past the end: `truncated`; anything else: `malformed`). Nothing in the
 * wire format changes; test/wire/codec.test.ts compares the two on arbitrary bytes.
 */

export type FramingFailure = { ok: false; reason: 'truncated' | 'malformed'; detail: string };

/**
 * `ok`: every top-level field was framed correctly and visited; `unsure`: protobufjs may have
 * failed earlier inside a field it checks (its verdict stands); otherwise the failure it reports.
 */
export type Framing = { ok: true } | { ok: 'unsure' } | FramingFailure;

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/**
 * How protobufjs reads a varint field: as a known field, or skipping it (unknown, any length). A
 * known uint64 is framed as a uint32 is (at most ten bytes; both fail alike past the end).
 */
export type VarintKind = 'uint32' | 'skip';

export interface MessageShape {
  /** How a varint field is read (default: skipped, an unknown field). */
  varint?: (field: number) => VarintKind;
  /**
   * Length-delimited fields protobufjs validates inside (nested messages, UTF-8 strings): a
   * framing failure after one of them is `unsure`, since protobufjs may have failed inside it.
   */
  checksContent?: (field: number) => boolean;
}

/** Told of each top-level field in order (an object, not a closure: the receive path makes none). */
export interface FieldVisitor {
  /** A uint32 varint's value is in `value` (other varints: 0); a length-delimited field's content is bytes[start, end). */
  field(field: number, wireType: number, value: number, start: number, end: number): void;
}

/** As protobufjs (util.recursionLimit). */
const RECURSION_LIMIT = 100;
/** A read past the end. */
const TRUNCATED = -1;
/** Bytes no protobuf encoder writes: a bad tag, varint or length. */
const MALFORMED = -2;

const OK: Framing = { ok: true };
const UNSURE: Framing = { ok: 'unsure' };

/** Scans the top-level fields of `bytes` and calls `visit` for each; never throws. */
export function scanFields(bytes: Uint8Array, shape: MessageShape = {}, visit: FieldVisitor | null = null): Framing {
  const cursor = new Cursor(bytes);
  let passedContent = false;
  while (cursor.pos < bytes.length) {
    const tag = cursor.tag();
    if (tag < 0) return failure(passedContent, tag, 'bad field tag', cursor);
    const field = tag >>> 3;
    const wireType = tag & 7;
    const start = cursor.pos;
    if (wireType === WireType.Varint && field !== 0) {
      const kind = shape.varint?.(field) ?? 'skip';
      const value = kind === 'uint32' ? cursor.uint32() : cursor.skipVarint();
      if (value < 0) return failure(passedContent, value, `field ${field}: bad varint`, cursor);
      visit?.field(field, wireType, kind === 'uint32' ? value : 0, start, cursor.pos);
    } else if (wireType === WireType.Bytes && field !== 0) {
      const size = cursor.size();
      if (size < 0) return failure(passedContent, size, `field ${field}: bad length`, cursor);
      const content = cursor.pos;
      if (cursor.skip(size) < 0) return failure(passedContent, TRUNCATED, `field ${field}: ${size} bytes`, cursor);
      visit?.field(field, wireType, 0, content, cursor.pos);
      if (shape.checksContent?.(field) === true) passedContent = true;
    } else {
      const skipped = cursor.skipType(wireType, 0, field);
      if (skipped < 0) return failure(passedContent, skipped, `field ${field}: wire type ${wireType}`, cursor);
    }
  }
  return OK;
}

function failure(passedContent: boolean, code: number, detail: string, cursor: Cursor): Framing {
  if (passedContent) return UNSURE;
  return { ok: false, reason: code === TRUNCATED ? 'truncated' : 'malformed', detail: `${detail} (at byte ${cursor.pos} of ${cursor.len})` };
}

/**
 * protobufjs's Reader, returning TRUNCATED or MALFORMED where it throws. Its two paths (five or
 * more bytes left, or fewer) are kept apart, since they fail differently on the same bytes.
 */
class Cursor {
  readonly buf: Uint8Array;
  readonly len: number;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.len = buf.length;
  }

  tag(): number {
    const first = this.nearEnd();
    if (first !== null) return first;
    const value = this.first28();
    if (value >= 0) return value;
    const fifth = this.buf[this.pos++]!;
    if (fifth < 128 && (fifth & 112) === 0) return (~value | ((fifth & 15) << 28)) >>> 0;
    return MALFORMED;
  }

  uint32(): number {
    const first = this.nearEnd();
    if (first !== null) return first;
    const value = this.first28();
    if (value >= 0) return value;
    const fifth = this.buf[this.pos++]!;
    const result = (~value | ((fifth & 15) << 28)) >>> 0;
    if (fifth < 128) return result;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.len) return TRUNCATED;
      if (this.buf[this.pos++]! < 128) return result;
    }
    return MALFORMED;
  }

  size(): number {
    const first = this.nearEnd();
    if (first !== null) return first;
    const value = this.first28();
    if (value >= 0) return value;
    const fifth = this.buf[this.pos++]!;
    if (fifth > 7) return MALFORMED;
    return (~value | (fifth << 28)) >>> 0;
  }

  /** An unknown varint: any length, up to the end. */
  skipVarint(): number {
    do {
      if (this.pos >= this.len) return TRUNCATED;
    } while (this.buf[this.pos++]! & 128);
    return 0;
  }

  skip(length: number): number {
    if (this.pos + length > this.len) return TRUNCATED;
    this.pos += length;
    return 0;
  }

  skipType(wireType: number, depth: number, field: number): number {
    if (depth > RECURSION_LIMIT || field === 0) return MALFORMED;
    switch (wireType) {
      case WireType.Varint:
        return this.skipVarint();
      case WireType.Fixed64:
        return this.skip(8);
      case WireType.Bytes: {
        const size = this.size();
        return size < 0 ? size : this.skip(size);
      }
      case WireType.StartGroup:
        for (;;) {
          const tag = this.tag();
          if (tag < 0) return tag;
          const nested = tag >>> 3;
          if (nested === 0) return MALFORMED;
          if ((tag & 7) === WireType.EndGroup) return nested === field ? 0 : MALFORMED;
          const skipped = this.skipType(tag & 7, depth + 1, nested);
          if (skipped < 0) return skipped;
        }
      case WireType.Fixed32:
        return this.skip(4);
      default:
        return MALFORMED;
    }
  }

  /**
   * Fewer than five bytes left and a long varint: readVarint32NearEnd, which reads at most four
   * bytes and fails as a read past the end. Null: the ordinary path applies.
   */
  private nearEnd(): number | null {
    if (this.len - this.pos >= 5) return null;
    if (this.pos >= this.len) return TRUNCATED;
    if (this.buf[this.pos]! < 128) return null;
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.len) return TRUNCATED;
      const byte = this.buf[this.pos++]!;
      value = (value | ((byte & 127) << (i * 7))) >>> 0;
      if (byte < 128) return value;
    }
    return TRUNCATED;
  }

  /**
   * The first four bytes of a varint on the ordinary path: its value if it ended there, or else
   * the bitwise complement of the 28 bits read (negative), with the fifth byte next.
   */
  private first28(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const byte = this.buf[this.pos++]!;
      value = (value | ((byte & 127) << (i * 7))) >>> 0;
      if (byte < 128) return value;
    }
    return ~value;
  }
}
