/** The receive path's HMAC (src/wire/hmac.ts) is HMAC-SHA256 exactly: the same bytes as createHmac's. */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { it } from 'node:test';
import fc from 'fast-check';
import { hmacSha256 } from '../../src/wire/hmac.ts';

const reference = (key: Uint8Array, prefix: Uint8Array, message: Uint8Array): Buffer => createHmac('sha256', key).update(prefix).update(message).digest();

it('equals createHmac for any key (shorter, as long as and longer than a block) and message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 3000 }), (key, prefix, message) => {
      assert.deepEqual(hmacSha256(key, prefix, message), reference(key, prefix, message));
    }),
    { numRuns: 500 },
  );
});

it('gives each key its own MAC when keys alternate, and the RFC 4231 test case 2 value', () => {
  const keys = [randomBytes(32), randomBytes(64), randomBytes(100)];
  const message = randomBytes(300);
  for (let round = 0; round < 3; round++) {
    for (const key of keys) assert.deepEqual(hmacSha256(key, new Uint8Array(0), message), reference(key, new Uint8Array(0), message));
  }
  const rfc4231 = hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want '), Buffer.from('for nothing?'));
  assert.equal(rfc4231.toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});
