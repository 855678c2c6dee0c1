import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ElectionCause,
  MAX_TWINS_TOLD,
  RejectReason,
  ResignReason,
  Role,
  type Message,
} from '../../src/core/index.ts';
import { EncodeError, MAX_BEAT_INTERVAL_MS, MAX_ENVELOPE_BYTES, PROTOCOL_VERSION, decodeEnvelope, encodeMessage, type Member } from '../../src/wire/codec.ts';
import { conclave } from '../../src/wire/generated/conclave.js';
import { readDatagram, seal } from '../../src/wire/seal.ts';

const META = { cluster: 'lab', seq: 42, configId: 0xdeadbeef };

const id = fc.integer({ min: 1, max: 0xffff_ffff });
const optionalId = fc.option(id, { nil: null });
const ids = fc.array(id, { maxLength: 50 });
const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const positive = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const cause = fc.constantFrom(...Object.values(ElectionCause));
const header = fc.record({ from: id, bootId: positive, term: count, to: fc.oneof(fc.constant(0), id), sentAtMs: count });

const body: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('heartbeat'), role: fc.constantFrom(...Object.values(Role)), leader: optionalId, round: count, hears: ids, canLead: fc.boolean(), intervalMs: fc.integer({ min: 1, max: MAX_BEAT_INTERVAL_MS }) }),
  fc.record({ type: fc.constant('election'), cause }),
  fc.record({ type: fc.constant('answer'), leader: optionalId }),
  fc.record({ type: fc.constant('vote-request'), preVote: fc.boolean(), voteTerm: positive, skip: ids, resignedTerm: count, resignedBoot: count, cause }),
  fc.oneof(
    fc.record({ type: fc.constant('vote'), preVote: fc.boolean(), voteTerm: positive, granted: fc.constant(true), reason: fc.constant(null), retryAfterMs: fc.constant(0), prefer: fc.constant(null) }),
    fc.record({ type: fc.constant('vote'), preVote: fc.boolean(), voteTerm: positive, granted: fc.constant(false), reason: fc.constantFrom(...Object.values(RejectReason)), retryAfterMs: fc.nat({ max: 0xffff_ffff }), prefer: optionalId }),
  ),
  fc.record({ type: fc.constant('coordinator'), round: positive, cause, votedBy: ids }),
  fc.record({ type: fc.constant('lease-ack'), round: positive }),
  fc.record({ type: fc.constant('resign'), reason: fc.constantFrom(...Object.values(ResignReason)), successor: optionalId }),
  fc.record({ type: fc.constant('leave') }),
);
const message = fc.tuple(header, body).map(([h, b]) => ({ ...b, ...h }) as unknown as Message);

function reasonOf(bytes: Uint8Array): string {
  const result = decodeEnvelope(bytes);
  assert.equal(result.ok, false, 'expected a decode error');
  return result.ok ? '' : result.error.reason;
}

describe('wire codec', () => {
  it('round-trips every message type exactly', () => {
    fc.assert(
      fc.property(message, (m) => {
        const decoded = decodeEnvelope(encodeMessage(m, META));
        assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
        assert.deepEqual(decoded.value.message, m);
        assert.deepEqual({ ...decoded.value, message: undefined }, { ...META, unicastPort: 0, members: [], message: undefined });
      }),
      { numRuns: 2000 },
    );
  });

  it('carries the unicast port in heartbeats only', () => {
    const heartbeat = { type: 'heartbeat', from: 2, bootId: 5, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: [], canLead: true, intervalMs: 100 } as const;
    const decoded = decodeEnvelope(encodeMessage({ ...heartbeat, hears: [] }, { ...META, unicastPort: 40117 }));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.unicastPort, 40117);
    const leave = decodeEnvelope(encodeMessage({ type: 'leave', from: 2, bootId: 5, term: 1, to: 0 }, { ...META, unicastPort: 40117 }));
    assert.ok(leave.ok);
    assert.equal(leave.value.unicastPort, 0);
  });

  it('carries gossip (members) in heartbeats: IDs, IPv4 addresses and ports exactly; bad ones are named', () => {
    const heartbeat = { type: 'heartbeat', from: 2, bootId: 5, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: [], canLead: true, intervalMs: 100 } as const;
    const member = fc.record({
      id,
      address: fc.tuple(fc.integer({ min: 1, max: 255 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
      port: fc.integer({ min: 1, max: 65535 }),
    }).map((m) => ({ ...m }));
    fc.assert(
      fc.property(fc.array(member, { maxLength: 40 }), (members: Member[]) => {
        const decoded = decodeEnvelope(encodeMessage({ ...heartbeat, hears: [] }, { ...META, members }));
        assert.ok(decoded.ok);
        assert.deepEqual(decoded.value.members, members);
      }),
      { numRuns: 300 },
    );
    const bad = (m: conclave.v1.IMember) =>
      reasonOf(conclave.v1.Envelope.encode({ version: PROTOCOL_VERSION, from: 2, bootId: 5, seq: 1, heartbeat: { role: 1, members: [m] } }).finish());
    assert.equal(bad({ id: 3, ipv4: 0x0a000001, port: 0 }), 'bad-field');
    assert.equal(bad({ id: 3, ipv4: 0, port: 7707 }), 'bad-field');
    assert.equal(bad({ id: 0, ipv4: 0x0a000001, port: 7707 }), 'bad-field');
    assert.equal(
      reasonOf(conclave.v1.Envelope.encode({ version: PROTOCOL_VERSION, from: 2, bootId: 5, seq: 1, heartbeat: { role: 1, unicastPort: 70000 } }).finish()),
      'bad-field',
      'a unicast port beyond 65535',
    );
  });

  it('carries `twins` in heartbeats: up to four node IDs, each once; an empty list decodes as none, and bad ones are named', () => {
    const heartbeat = { type: 'heartbeat', from: 2, bootId: 5, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: [1], canLead: true, intervalMs: 1000 } as const;
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: MAX_TWINS_TOLD }), (twins) => {
        const decoded = decodeEnvelope(encodeMessage({ ...heartbeat, hears: [1], twins }, META));
        assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
        assert.deepEqual(decoded.value.message, { ...heartbeat, hears: [1], twins, sentAtMs: 0 });
      }),
      { numRuns: 300 },
    );
    // None named: the field is absent on the wire, and the decoded heartbeat has no `twins`.
    for (const twins of [undefined, []]) {
      const bytes = encodeMessage({ ...heartbeat, hears: [1], ...(twins === undefined ? {} : { twins }) }, META);
      assert.deepEqual(bytes, encodeMessage({ ...heartbeat, hears: [1] }, META));
      const decoded = decodeEnvelope(bytes);
      assert.ok(decoded.ok);
      assert.equal('twins' in decoded.value.message, false);
    }
    // The sender's own bound: a core never names more (src/core/node.ts).
    assert.throws(() => encodeMessage({ ...heartbeat, hears: [], twins: [1, 2, 3, 4, 5] }, META), EncodeError);
    const bad = (twins: number[]) =>
      reasonOf(conclave.v1.Envelope.encode({ version: PROTOCOL_VERSION, from: 2, bootId: 5, seq: 1, heartbeat: { role: 1, intervalMs: 1000, twins } }).finish());
    assert.equal(bad([1, 2, 3, 4, 5]), 'bad-field', 'more than four');
    assert.equal(bad([3, 0]), 'bad-field', 'not a node ID');
    assert.equal(bad([3, 3]), 'bad-field', 'an ID twice');
    const result = decodeEnvelope(conclave.v1.Envelope.encode({ version: PROTOCOL_VERSION, from: 2, bootId: 5, seq: 1, heartbeat: { role: 1, intervalMs: 1000, twins: [1, 2, 3, 4, 5] } }).finish());
    assert.match(result.ok ? '' : result.error.message, /heartbeat\.twins names 5 IDs, above 4/);
  });

  it('a heartbeat of a 50-node cluster stays small', () => {
    const m = { type: 'heartbeat', from: 50, bootId: 2 ** 52, term: 1234, to: 0, role: 'leader', leader: 50, round: 99999, hears: Array.from({ length: 49 }, (_, i) => i + 1), canLead: true, intervalMs: 100 } as const;
    const bytes = encodeMessage({ ...m, hears: [...m.hears] }, META);
    assert.ok(bytes.length < 120, `${bytes.length} bytes`);
  });

  it('never throws on arbitrary bytes, and names why it rejects them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = decodeEnvelope(bytes);
        if (!result.ok) assert.match(result.error.reason, /^(empty|oversized|truncated|malformed|bad-version|missing-body|bad-field)$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on mutations of valid datagrams', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, position, value) => {
        const bytes = encodeMessage(m, META);
        bytes[position % bytes.length] = value;
        decodeEnvelope(bytes);
        decodeEnvelope(bytes.subarray(0, position % bytes.length));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns typed errors for each kind of bad input', () => {
    const valid = encodeMessage({ type: 'leave', from: 3, bootId: 9, term: 1, to: 0 }, META);
    assert.equal(reasonOf(new Uint8Array(0)), 'empty');
    assert.equal(reasonOf(new Uint8Array(MAX_ENVELOPE_BYTES + 1)), 'oversized');
    assert.equal(reasonOf(valid.subarray(0, 10)), 'truncated');
    assert.equal(reasonOf(Uint8Array.from([0x0f, 0xff])), 'malformed');
    const encode = (props: conclave.v1.Envelope.$Properties): Uint8Array => conclave.v1.Envelope.encode(props).finish();
    const base = { version: PROTOCOL_VERSION, cluster: 'lab', from: 3, bootId: 9, seq: 1, term: 1 };
    // Version 1 nodes beat at one rate and announce no interval: a mixed cluster drops, never misreads.
    assert.equal(reasonOf(encode({ ...base, version: 1, leave: {} })), 'bad-version');
    assert.equal(reasonOf(encode({ ...base, version: 3, leave: {} })), 'bad-version');
    assert.equal(reasonOf(encode(base)), 'missing-body');
    assert.equal(reasonOf(encode({ ...base, from: 0, leave: {} })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, heartbeat: { role: 9 as conclave.v1.Role } })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, heartbeat: { role: 1, intervalMs: 0 } })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, heartbeat: { role: 1, intervalMs: MAX_BEAT_INTERVAL_MS + 1 } })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, seq: 0, leave: {} })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, term: 2 ** 60, leave: {} })), 'bad-field');
  });

  it('refuses to encode a message larger than a datagram', () => {
    const huge = { type: 'heartbeat', from: 1, bootId: 1, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: Array.from({ length: 400 }, (_, i) => 0xffff_0000 + i), canLead: false, intervalMs: 100 } as const;
    assert.throws(() => encodeMessage({ ...huge, hears: [...huge.hears] }, META), /above 1360/);
  });
});

/** A varint of any length, overlong encodings included (`extra` bytes of 0x80 before the last). */
function varint(value: bigint, extra = 0): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 128n) {
    out.push(Number(rest & 127n) | 128);
    rest >>= 7n;
  }
  if (extra === 0) return [...out, Number(rest)];
  return [...out, Number(rest) | 128, ...Array<number>(extra - 1).fill(128), 0];
}

/** Byte strings near protobuf's edges: tags of every wire type, long and overlong varints, lengths that lie, groups. */
const bigVarint = fc.record({ value: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 72n }), fc.bigInt({ min: 0n, max: 300n })), extra: fc.integer({ min: 0, max: 3 }) })
  .map(({ value, extra }) => varint(value, extra));
const tag = (field: number, wireType: number): number[] => varint(BigInt(field * 8 + wireType));
const token: fc.Arbitrary<number[]> = fc.oneof(
  fc.record({ field: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 29 - 1 })), wireType: fc.integer({ min: 0, max: 7 }), extra: fc.integer({ min: 0, max: 6 }) })
    .map(({ field, wireType, extra }) => varint(BigInt(field * 8 + wireType), extra)),
  // A known field (the Datagram's 1–3, the Envelope's 1–17) as a varint: short, long, overlong.
  fc.tuple(fc.integer({ min: 1, max: 17 }), bigVarint).map(([field, value]) => [...tag(field, 0), ...value]),
  fc.tuple(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 12 })).map(([field, n]) => [...tag(field, 0), ...Array<number>(n).fill(0xff)]),
  bigVarint,
  fc.record({ length: fc.integer({ min: 0, max: 40 }), actual: fc.integer({ min: 0, max: 40 }) }).map(({ length, actual }) => [...varint(BigInt(length)), ...Array<number>(actual).fill(7)]),
  fc.integer({ min: 1, max: 12 }).map((n) => Array<number>(n).fill(0xff)),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }),
  // Groups nested around the recursion limit (100), closed or not.
  fc.record({ depth: fc.integer({ min: 95, max: 105 }), closed: fc.boolean() }).map(({ depth, closed }) => {
    const opens = Array.from({ length: depth }, (_, i) => tag(i + 1, 3)).flat();
    const closes = closed ? Array.from({ length: depth }, (_, i) => tag(depth - i, 4)).flat() : [];
    return [...opens, ...closes];
  }),
);
const edgyBytes = fc.array(token, { maxLength: 12 }).map((tokens) => Uint8Array.from(tokens.flat()));
/** Valid datagrams (keyed and not), then cut short or with one byte changed. */
const damagedDatagram = fc.tuple(message, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([m, keyed, position, value, cut]) => {
  const ring = { sendKeyId: 300, keys: new Map([[300, new Uint8Array(32).fill(9)]]) };
  const bytes = seal(encodeMessage(m, META), keyed ? ring : null);
  if (cut) return bytes.subarray(0, position % (bytes.length + 1));
  bytes[position % bytes.length] = value;
  return bytes;
});
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), edgyBytes, damagedDatagram);

/** What protobufjs makes of the bytes, with the reason the codec gives its exceptions. */
function byProtobufjs<T>(decode: () => T): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    return { ok: false, reason: /index out of range/.test((error as Error).message) ? 'truncated' : 'malformed' };
  }
}

describe('wire codec: the cheap checks read bytes exactly as protobufjs does', () => {
  it('the datagram wrapper: the same fields, or the same reason, on any bytes', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const ours = readDatagram(bytes);
        const theirs = byProtobufjs(() => conclave.v1.Datagram.decode(bytes));
        if (!theirs.ok) return assert.deepEqual(ours.ok ? 'ok' : ours.reason, theirs.reason);
        assert.ok(ours.ok, `protobufjs reads it, we said ${ours.ok ? '' : ours.detail}`);
        assert.equal(ours.keyId, theirs.value.keyId);
        assert.deepEqual([...ours.envelope], [...theirs.value.envelope]);
        assert.deepEqual([...ours.mac], [...theirs.value.mac]);
      }),
      { numRuns: 20_000 },
    );
  });

  it('the envelope: refused for its framing only where protobufjs throws, with its reason', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, message.map((m) => encodeMessage(m, META))), (bytes) => {
        fc.pre(bytes.length > 0 && bytes.length <= MAX_ENVELOPE_BYTES); // size is checked first, by both
        const theirs = byProtobufjs(() => conclave.v1.Envelope.decode(bytes));
        const ours = decodeEnvelope(bytes);
        const framingReason = !ours.ok && (ours.error.reason === 'truncated' || ours.error.reason === 'malformed') ? ours.error.reason : 'ok';
        assert.equal(framingReason, theirs.ok ? 'ok' : theirs.reason);
      }),
      { numRuns: 20_000 },
    );
  });

  it('turns away garbage without asking protobufjs, so without an exception', (t) => {
    // protobufjs reports bad bytes by throwing, which costs more than a bad MAC's HMAC.
    const datagram = t.mock.method(conclave.v1.Datagram, 'decode');
    const envelope = t.mock.method(conclave.v1.Envelope, 'decode');
    const garbage = [
      Uint8Array.from([0x0f, 0xff]), // wire type 7
      Uint8Array.from([0x12, 0x40, 1, 2, 3]), // a length past the end
      Uint8Array.from([0x00, 0x01]), // field number 0
      Uint8Array.from([0x0c]), // an end-group tag with no group
      Uint8Array.from([0x0b, 0x14]), // a group whose end does not match
    ];
    for (const bytes of garbage) {
      assert.equal(readDatagram(bytes).ok, false);
      assert.equal(decodeEnvelope(bytes).ok, false);
    }
    assert.equal(datagram.mock.callCount(), 0, 'the datagram wrapper is read without protobufjs');
    assert.equal(envelope.mock.callCount(), 0, 'a badly framed envelope never reaches protobufjs');
  });
});
