/**
 * Cluster keys as a key file gives them: a secret short enough to guess offline from one captured
 * datagram is refused before the node starts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyError, parseKeys } from '../../src/net/keys.ts';

describe('cluster keys', () => {
  it('refuses a secret of fewer than 16 characters, naming the key; takes one of 16', () => {
    assert.throws(() => parseKeys('2:0123456789abcde', 'k.key'), (error) => error instanceof KeyError && /^k\.key: key 2 is 15 characters; use at least 16/.test(error.message));
    assert.throws(() => parseKeys('01234567', 'k.key'), /key 1 is 8 characters/);
    const ring = parseKeys('2:0123456789abcdef', 'k.key');
    assert.equal(ring.sendKeyId, 2);
    assert.equal(ring.keys.get(2)?.length, 16);
  });
});
