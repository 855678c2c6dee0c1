import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeIdSet, encodeIdSet } from '../../src/wire/id-set.ts';

const asIs = (id: number): number => id;

describe('a set of IDs on the wire', () => {
  it('takes the bitmap for the default voters 1..N: 25 IDs in 4 bytes', () => {
    const ids = Array.from({ length: 25 }, (_, i) => i + 1);
    const { list, bits } = encodeIdSet(ids);
    assert.deepEqual(list, []);
    assert.equal(bits.length, 4);
    assert.deepEqual(decodeIdSet(list, bits, asIs), ids);
  });

  it('keeps the list for sparse or large IDs, where it is shorter', () => {
    const { list, bits } = encodeIdSet([7, 900, 4_000_000_000]);
    assert.deepEqual(list, [7, 900, 4_000_000_000]);
    assert.equal(bits.length, 0);
  });

  it('gives back any ID list exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 0xffff_ffff }), { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 60 }), (large, small) => {
        for (const ids of [large, small, [...new Set(small)].sort((a, b) => a - b)]) {
          const { list, bits } = encodeIdSet(ids);
          assert.deepEqual(decodeIdSet(list, bits, asIs), ids);
        }
      }),
    );
  });
});
