/** The inbound checks: authentication, key rotation, replay and impostor. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/index.ts';
import { conclave } from '../../src/wire/generated/conclave.js';
import type { KeyRing } from '../../src/wire/seal.ts';
import { Wire, type WireOptions } from '../../src/wire/wire.ts';
import { heartbeat } from '../helpers/core.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const OLD: KeyRing = { sendKeyId: 1, keys: new Map([[1, bytes('the old cluster secret')]]) };
const ROTATING: KeyRing = { sendKeyId: 2, keys: new Map([[2, bytes('the new cluster secret')], [1, bytes('the old cluster secret')]]) };
const NEW: KeyRing = { sendKeyId: 2, keys: new Map([[2, bytes('the new cluster secret')]]) };
const BASE: WireOptions = { selfId: 1, cluster: 'lab', configId: 7, voters: [1, 2, 3, 4, 5], keys: OLD, aliveMs: 1000 };

function wire(options: Partial<WireOptions> = {}): Wire {
  return new Wire({ ...BASE, ...options });
}

function reason(receiver: Wire, datagram: Uint8Array, address = '10.0.0.3', nowMs = 0): string {
  const inbound = receiver.decode(datagram, address, nowMs);
  return inbound.ok ? 'ok' : inbound.reason;
}

describe('wire: authentication', () => {
  it('accepts its own key and refuses others, unkeyed, or tampered datagrams', () => {
    const receiver = wire();
    const from3 = wire({ selfId: 3 });
    assert.equal(reason(receiver, from3.encode(heartbeat(3, 1), 1)), 'ok');
    assert.equal(reason(receiver, wire({ selfId: 3, keys: null }).encode(heartbeat(3, 1), 2)), 'unauthenticated');
    assert.equal(reason(receiver, wire({ selfId: 3, keys: NEW }).encode(heartbeat(3, 1), 3)), 'unknown-key');
    const forged = wire({ selfId: 3, keys: { sendKeyId: 1, keys: new Map([[1, bytes('a guessed secret!!')]]) } });
    assert.equal(reason(receiver, forged.encode(heartbeat(3, 1), 4)), 'bad-mac');
    const tampered = from3.encode(heartbeat(3, 1), 5);
    tampered[8] = tampered[8]! ^ 1;
    assert.notEqual(reason(receiver, tampered), 'ok');
  });

  it('rotates keys without a gap: old and new are both accepted while the ring holds both', () => {
    const rotating = wire({ keys: ROTATING });
    assert.equal(reason(rotating, wire({ selfId: 3, keys: OLD }).encode(heartbeat(3, 1), 1)), 'ok');
    assert.equal(reason(rotating, wire({ selfId: 4, keys: NEW }).encode(heartbeat(4, 1), 1)), 'ok');
    // A rotating node sends with the new key, which a node still on the old ring refuses…
    assert.equal(reason(wire(), wire({ selfId: 3, keys: ROTATING }).encode(heartbeat(3, 1), 9)), 'unknown-key');
    // …so every node first learns the new key, then every node sends with it, then the old goes.
  });

  it('an unkeyed node refuses keyed datagrams rather than trust what it cannot check', () => {
    assert.equal(reason(wire({ keys: null }), wire({ selfId: 3 }).encode(heartbeat(3, 1), 1)), 'unknown-key');
  });

  it('refuses a MAC shorter than 16 bytes that is a prefix of the right one, and one longer (a 1-byte MAC would let one forgery in 256 in)', () => {
    const receiver = wire();
    const sealed = wire({ selfId: 3 }).encode(heartbeat(3, 1), 1);
    const { keyId, envelope, mac } = conclave.v1.Datagram.decode(sealed);
    assert.equal(mac.length, 16, 'a sealed datagram carries 128 bits of MAC');
    const withMac = (tag: Uint8Array): Uint8Array => conclave.v1.Datagram.encode({ keyId, envelope, mac: tag }).finish();
    for (const bytes of [1, 2, 4, 8, 12, 15]) {
      assert.equal(reason(receiver, withMac(mac.subarray(0, bytes))), 'bad-mac', `the right MAC's first ${bytes} bytes`);
    }
    assert.equal(reason(receiver, withMac(Uint8Array.from([...mac, 0]))), 'bad-mac', 'the right MAC and one byte more');
    assert.equal(reason(receiver, withMac(mac.subarray(0, 0))), 'unauthenticated', 'no MAC at all');
    assert.equal(reason(receiver, withMac(mac)), 'ok', 'the whole MAC, re-wrapped, still passes');
  });
});

describe('wire: senders', () => {
  it('drops a datagram seen before (a duplicate within the window, a replay beyond it), and accepts reordered ones', () => {
    const receiver = wire();
    const from3 = wire({ selfId: 3 });
    const datagrams = Array.from({ length: 10 }, (_, i) => from3.encode(heartbeat(3, 1), i + 1));
    assert.equal(reason(receiver, datagrams[5]!), 'ok');
    assert.equal(reason(receiver, datagrams[5]!), 'duplicate');
    assert.equal(reason(receiver, datagrams[2]!), 'ok', 'late but new');
    assert.equal(reason(receiver, datagrams[2]!), 'duplicate');
    assert.equal(reason(receiver, from3.encode(heartbeat(3, 1), 200)), 'ok');
    assert.equal(reason(receiver, datagrams[9]!), 'replayed', 'older than the window');
  });

  it('the replay window\'s edge: 63 behind the newest is accepted once, 64 behind is a replay', () => {
    const receiver = wire();
    const from3 = wire({ selfId: 3 });
    const at = (seq: number): string => reason(receiver, from3.encode(heartbeat(3, 1), seq));
    assert.equal(at(1000), 'ok');
    assert.equal(at(1000 - 63), 'ok', 'as far behind as the window allows');
    assert.equal(at(1000 - 63), 'duplicate', 'and remembered there');
    assert.equal(at(1000 - 64), 'replayed', 'one further');
    // The newest moves on by one: what was at the edge falls out, whether seen or not.
    assert.equal(at(1001), 'ok');
    assert.equal(at(1000 - 63), 'replayed');
    assert.equal(at(1001 - 63), 'ok');
    // Moving on by exactly the window's width keeps the old newest at the edge, as seen.
    assert.equal(at(1001 + 63), 'ok');
    assert.equal(at(1001), 'duplicate');
    assert.equal(at(1000), 'replayed');
  });

  it('accepts a restart from the same address at once, and refuses the old boot afterwards', () => {
    const receiver = wire();
    const first = wire({ selfId: 3 });
    const oldDatagram = first.encode(heartbeat(3, 1), 1);
    assert.equal(reason(receiver, oldDatagram, '10.0.0.3', 0), 'ok');
    const restarted: Message = { ...heartbeat(3, 1), bootId: 99_999 }; // boot IDs grow
    assert.equal(reason(receiver, first.encode(restarted, 1), '10.0.0.3', 10), 'ok');
    assert.equal(reason(receiver, first.encode(heartbeat(3, 1), 2), '10.0.0.3', 20), 'replayed', 'late from the old boot');
  });

  it('refuses an earlier boot ID even after the current boot has been silent for the timeout (a replay of a dead boot)', () => {
    const receiver = wire();
    const sender = wire({ selfId: 3 });
    assert.equal(reason(receiver, sender.encode({ ...heartbeat(3, 1), bootId: 99_999 }, 1), '10.0.0.3', 0), 'ok');
    assert.equal(reason(receiver, sender.encode({ ...heartbeat(3, 1), bootId: 5 }, 1), '10.0.0.3', 500), 'replayed');
    assert.equal(reason(receiver, sender.encode({ ...heartbeat(3, 1), bootId: 5 }, 2), '10.0.0.3', 1500), 'replayed');
  });

  it('refuses an impostor: a known ID, a new boot and a new address while the original is alive', () => {
    const receiver = wire();
    const sender = wire({ selfId: 3 });
    assert.equal(reason(receiver, sender.encode(heartbeat(3, 1), 1), '10.0.0.3', 0), 'ok');
    const impostor: Message = { ...heartbeat(3, 1), bootId: 424_242 };
    assert.equal(reason(receiver, sender.encode(impostor, 1), '10.0.0.66', 500), 'impostor');
    // Once the original has been silent for the timeout, the same claim is a node that moved.
    assert.equal(reason(receiver, sender.encode(impostor, 2), '10.0.0.66', 1500), 'ok');
  });

  it("drops this node's own datagrams from an earlier boot as replays, not as a duplicate ID", () => {
    const receiver = wire({ ownPastBoots: new Set([77]) });
    const oldSelf: Message = { ...heartbeat(1, 1), bootId: 77 };
    assert.equal(reason(receiver, wire().encode(oldSelf, 5)), 'replayed');
    const twin: Message = { ...heartbeat(1, 1), bootId: 88 };
    assert.equal(reason(receiver, wire().encode(twin, 5)), 'ok', 'an unknown boot with our ID goes to the core, which raises the alarm');
  });

  it('drops datagrams of another cluster, configuration or non-voter before they touch any state', () => {
    const receiver = wire();
    const foreign = [wire({ selfId: 3, cluster: 'other' }), wire({ selfId: 3, configId: 8 })];
    const real = wire({ selfId: 3 }); // boot 7003, as heartbeat() stamps it
    // Claims of n3's own boot and sequence numbers: had the sender table recorded them, the real
    // n3's datagrams with those numbers would be duplicates.
    assert.deepEqual(foreign.map((w) => reason(receiver, w.encode(heartbeat(3, 1), 5), '10.0.0.3', 0)), ['foreign-cluster', 'config-mismatch']);
    // Claims of a later boot from elsewhere: recorded, they would make the real n3 an impostor,
    // and its own boot a replay.
    const later: Message = { ...heartbeat(3, 1), bootId: 9_000_000 };
    assert.deepEqual(foreign.map((w) => reason(receiver, w.encode(later, 1_000), '10.0.0.66', 10)), ['foreign-cluster', 'config-mismatch']);
    assert.equal(reason(receiver, wire({ selfId: 9 }).encode(heartbeat(9, 1), 1)), 'not-voter');

    assert.equal(reason(receiver, real.encode(heartbeat(3, 1), 5), '10.0.0.3', 20), 'ok', 'the real n3 is heard as if first');
    assert.equal(reason(receiver, real.encode(heartbeat(3, 1), 6), '10.0.0.3', 30), 'ok');
    assert.equal(reason(receiver, real.encode(heartbeat(3, 1), 5), '10.0.0.3', 40), 'duplicate', 'what passed is recorded');
  });
});

describe('wire: garbage is cheap to drop', () => {
  it('drops badly framed datagrams without asking protobufjs (whose exceptions cost more than a bad MAC)', (t) => {
    const datagramDecode = t.mock.method(conclave.v1.Datagram, 'decode');
    const envelopeDecode = t.mock.method(conclave.v1.Envelope, 'decode');
    const keyed = wire();
    const unkeyed = wire({ keys: null });
    const wrapped = (envelope: number[]): Uint8Array => Uint8Array.from([0x12, envelope.length, ...envelope]);
    const cases: Array<[Wire, Uint8Array, string]> = [
      [keyed, Uint8Array.from([0x0f, 0xff]), 'malformed'], // wire type 7
      [keyed, Uint8Array.from([0x12, 0x40, 1, 2, 3]), 'truncated'], // a length past the end
      [keyed, Uint8Array.from([0x00, 0x01, 0x02]), 'malformed'], // field number 0
      [unkeyed, Uint8Array.from([0x0c, 0x01]), 'malformed'], // an end-group tag with no group
      [unkeyed, wrapped([0x0f, 0xff]), 'malformed'], // a well-wrapped envelope of garbage
      [unkeyed, wrapped([0x08, 0x01, 0x12, 0x30, 0x61]), 'truncated'],
    ];
    for (const [receiver, bytes, expected] of cases) assert.equal(reason(receiver, bytes), expected, `${[...bytes]}`);
    assert.equal(datagramDecode.mock.callCount(), 0);
    assert.equal(envelopeDecode.mock.callCount(), 0);
    assert.equal(reason(keyed, wire({ selfId: 3 }).encode(heartbeat(3, 1), 1)), 'ok');
  });
});
