import type { Mutant } from './mutant.ts';

const WIRE_TEST = ['test/wire/wire.test.ts'];
const CONFIG_ID = '[c.voters.join(\',\'), c.timeoutMs, c.leaseMs, c.maxClockDriftPpm, c.memberBeatMs]';

/** One field left out of the config ID's hashed text: nodes that differ only in it would count each other. */
function configIdWithout(field: string, expression = `c.${field}`): Mutant {
  return {
    name: `config-id-without-${field}`,
    rule: `nodes whose ${field} differs drop each other's datagrams (config_id hashes it)`,
    file: 'src/core/config.ts',
    edits: [{ original: CONFIG_ID, replacement: CONFIG_ID.replace(`${expression}, `, '').replace(`, ${expression}`, '') }],
    tests: ['test/wire/config-mismatch.test.ts'],
  };
}

/** Breaks of the wire's security rules (src/wire, the cluster keys, and the config ID the envelope carries). */
export const WIRE_MUTANTS: readonly Mutant[] = [
  {
    name: 'replay-window-wider',
    rule: 'a datagram 64 sequence numbers behind the newest is a replay',
    file: 'src/wire/senders.ts',
    edits: [{ original: 'if (age >= WINDOW) return', replacement: 'if (age > WINDOW) return' }],
    tests: WIRE_TEST,
  },
  {
    name: 'replay-window-narrower',
    rule: 'a datagram 63 sequence numbers behind the newest is accepted once',
    file: 'src/wire/senders.ts',
    edits: [{ original: 'if (age >= WINDOW) return', replacement: 'if (age >= WINDOW - 1n) return' }],
    tests: WIRE_TEST,
  },
  {
    name: 'replay-mask-narrower',
    rule: 'the seen-mask remembers all 64 sequence numbers of the window',
    file: 'src/wire/senders.ts',
    // The numbers that move from the low half to the high half as the window slides are forgotten.
    edits: [{ original: '((sender.seenHigh << shift) | (sender.seenLow >>> (32 - shift))) >>> 0', replacement: '(sender.seenHigh << shift) >>> 0' }],
    tests: [...WIRE_TEST, 'test/wire/senders.test.ts'],
  },
  {
    name: 'earlier-boot-accepted',
    rule: "a datagram of a node's earlier boot is a replay, however long the current boot has been silent",
    file: 'src/wire/senders.ts',
    edits: [{ original: 'if (bootId < sender.bootId) return this.checkDisplaced(', replacement: 'if (false) return this.checkDisplaced(' }],
    tests: WIRE_TEST,
  },
  {
    name: 'displaced-boot-replay-accepted',
    rule: 'a boot displaced by a later one comes back only on a fresh datagram (a sequence number never seen), from its own address, once the later one is silent',
    file: 'src/wire/senders.ts',
    edits: [{ original: 'if (!fresh) return', replacement: 'if (false) return' }],
    tests: [...WIRE_TEST, 'test/wire/senders.test.ts'],
  },
  {
    name: 'impostor-accepted',
    rule: 'a known ID with a new boot from another address, while the first is alive, is an impostor',
    file: 'src/wire/senders.ts',
    edits: [{ original: "if (address !== sender.address && alive) return 'impostor';", replacement: '' }],
    tests: WIRE_TEST,
  },
  {
    name: 'mac-prefix-accepted',
    rule: 'a MAC is 16 bytes: a shorter one that is a prefix of the right one does not pass',
    file: 'src/wire/seal.ts',
    edits: [
      {
        original: 'tag.length !== MAC_BYTES || !timingSafeEqual(tag, mac(key, keyId, envelope))',
        replacement: 'tag.length > MAC_BYTES || !timingSafeEqual(tag, mac(key, keyId, envelope).subarray(0, tag.length))',
      },
    ],
    tests: WIRE_TEST,
  },
  {
    name: 'mac-8-bytes',
    rule: 'a MAC is 16 bytes (128 bits), not fewer',
    file: 'src/wire/seal.ts',
    edits: [{ original: 'export const MAC_BYTES = 16;', replacement: 'export const MAC_BYTES = 8;' }],
    tests: WIRE_TEST,
  },
  {
    name: 'foreign-cluster-accepted',
    rule: "datagrams of another cluster are dropped before they touch any state",
    file: 'src/wire/wire.ts',
    edits: [{ original: "if (cluster !== this.options.cluster) return drop(", replacement: "if (false) return drop(" }],
    tests: WIRE_TEST,
  },
  {
    name: 'non-voter-accepted',
    rule: 'datagrams of a node that is not a voter are dropped before they touch any state',
    file: 'src/wire/wire.ts',
    edits: [{ original: 'if (!this.voters.has(from)) return drop(', replacement: 'if (false) return drop(' }],
    tests: WIRE_TEST,
  },
  {
    name: 'short-key-accepted',
    rule: 'a cluster key of fewer than 16 characters is refused (it could be guessed offline)',
    file: 'src/net/keys.ts',
    edits: [{ original: 'if (secret.length < MIN_SECRET_CHARS) {', replacement: 'if (secret.length < MIN_SECRET_CHARS / 2) {' }],
    tests: ['test/net/keys.test.ts'],
  },
  configIdWithout('voters', "c.voters.join(',')"),
  configIdWithout('timeoutMs'),
  configIdWithout('leaseMs'),
  configIdWithout('maxClockDriftPpm'),
  configIdWithout('memberBeatMs'),
];
