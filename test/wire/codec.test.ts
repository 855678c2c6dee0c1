import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ElectionCause,
  RejectReason,
  ResignReason,
  Role,
  type Message,
} from '../../src/core/index.ts';
import { MAX_ENVELOPE_BYTES, PROTOCOL_VERSION, decodeEnvelope, encodeMessage, type Member } from '../../src/wire/codec.ts';
import { conclave } from '../../src/wire/generated/conclave.js';

const META = { cluster: 'lab', seq: 42, configId: 0xdeadbeef };

const id = fc.integer({ min: 1, max: 0xffff_ffff });
const optionalId = fc.option(id, { nil: null });
const ids = fc.array(id, { maxLength: 50 });
const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const positive = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const cause = fc.constantFrom(...Object.values(ElectionCause));
const header = fc.record({ from: id, bootId: positive, term: count, to: fc.oneof(fc.constant(0), id) });

const body: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('heartbeat'), role: fc.constantFrom(...Object.values(Role)), leader: optionalId, round: count, hears: ids, canLead: fc.boolean() }),
  fc.record({ type: fc.constant('election'), cause }),
  fc.record({ type: fc.constant('answer'), leader: optionalId }),
  fc.record({ type: fc.constant('vote-request'), preVote: fc.boolean(), voteTerm: positive, skip: ids, resignedTerm: count, cause }),
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
    const heartbeat = { type: 'heartbeat', from: 2, bootId: 5, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: [], canLead: true } as const;
    const decoded = decodeEnvelope(encodeMessage({ ...heartbeat, hears: [] }, { ...META, unicastPort: 40117 }));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.unicastPort, 40117);
    const leave = decodeEnvelope(encodeMessage({ type: 'leave', from: 2, bootId: 5, term: 1, to: 0 }, { ...META, unicastPort: 40117 }));
    assert.ok(leave.ok);
    assert.equal(leave.value.unicastPort, 0);
  });

  it('carries gossip (members) in heartbeats: IDs, IPv4 addresses and ports exactly; bad ones are named', () => {
    const heartbeat = { type: 'heartbeat', from: 2, bootId: 5, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: [], canLead: true } as const;
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

  it('a heartbeat of a 50-node cluster stays small', () => {
    const m = { type: 'heartbeat', from: 50, bootId: 2 ** 52, term: 1234, to: 0, role: 'leader', leader: 50, round: 99999, hears: Array.from({ length: 49 }, (_, i) => i + 1), canLead: true } as const;
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
    assert.equal(reasonOf(encode({ ...base, version: 2, leave: {} })), 'bad-version');
    assert.equal(reasonOf(encode(base)), 'missing-body');
    assert.equal(reasonOf(encode({ ...base, from: 0, leave: {} })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, heartbeat: { role: 9 as conclave.v1.Role } })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, seq: 0, leave: {} })), 'bad-field');
    assert.equal(reasonOf(encode({ ...base, term: 2 ** 60, leave: {} })), 'bad-field');
  });

  it('refuses to encode a message larger than a datagram', () => {
    const huge = { type: 'heartbeat', from: 1, bootId: 1, term: 1, to: 0, role: 'follower', leader: null, round: 0, hears: Array.from({ length: 400 }, (_, i) => 0xffff_0000 + i), canLead: false } as const;
    assert.throws(() => encodeMessage({ ...huge, hears: [...huge.hears] }, META), /above 1360/);
  });
});
