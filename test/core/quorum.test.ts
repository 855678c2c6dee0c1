import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hasQuorum, quorumSize, voteResult } from '../../src/core/index.ts';

describe('quorum arithmetic', () => {
  it('needs a strict majority', () => {
    const table: Array<[number, number]> = [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 4], [7, 4], [9, 5], [25, 13], [50, 26]];
    for (const [voters, need] of table) assert.equal(quorumSize(voters), need, `${voters} voters`);
  });

  it('decides a vote by table', () => {
    const table: Array<[number, number, number, string]> = [
      // voters, granted, rejected → result
      [5, 3, 0, 'won'],
      [5, 2, 0, 'pending'],
      [5, 2, 2, 'pending'],
      [5, 2, 3, 'lost'],
      [5, 1, 3, 'lost'],
      [4, 2, 2, 'lost'],
      [4, 3, 1, 'won'],
      [1, 1, 0, 'won'],
      [3, 1, 1, 'pending'],
    ];
    for (const [voters, granted, rejected, expected] of table) {
      assert.equal(voteResult(voters, granted, rejected), expected, `${voters} voters, ${granted} yes, ${rejected} no`);
    }
  });

  it('any two quorums of the same voters share a voter (why one vote per term suffices)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.subarray(range(n)), fc.subarray(range(n)))), ([n, a, b]) => {
        fc.pre(hasQuorum(a.length, n) && hasQuorum(b.length, n));
        assert.ok(a.some((x) => b.includes(x)));
      }),
    );
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
