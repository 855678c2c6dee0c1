/** The ZooKeeper recipe as pure functions: one designated leader, one watcher per znode (no herd). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBackendUrl } from '../../src/zookeeper/backend-url.ts';
import { candidatePrefix, designated, duplicateIds, parseCandidate, rank, watchOf, type Candidate } from '../../src/zookeeper/recipe.ts';

const name = (id: number, seq: number) => `${candidatePrefix(id)}${String(seq).padStart(10, '0')}`;
const candidates = fc
  .uniqueArray(fc.integer({ min: 0, max: 9_999 }), { minLength: 1, maxLength: 30 })
  .chain((seqs) => fc.tuple(fc.constant(seqs), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: seqs.length, maxLength: seqs.length })))
  .map(([seqs, ids]) => seqs.map((seq, i) => parseCandidate(name(ids[i]!, seq))!));

describe('ZooKeeper recipe', () => {
  it('parses candidate names and ignores everything else', () => {
    assert.deepEqual(parseCandidate('id-7-0000000042'), { name: 'id-7-0000000042', id: 7, seq: 42 });
    for (const other of ['leader', 'id-0-0000000001', 'id-7-42', 'id-x-0000000001', 'id-99999999999-0000000001']) assert.equal(parseCandidate(other), null, other);
  });

  it('fair: the lowest sequence leads, each other candidate watches its predecessor', () => {
    const c = [name(5, 3), name(1, 1), name(9, 2)].map((n) => parseCandidate(n)!);
    assert.equal(designated(c, 'fair')!.id, 1);
    assert.deepEqual(watchOf(c, name(9, 2), 'fair'), { kind: 'candidate', name: name(1, 1) });
    assert.deepEqual(watchOf(c, name(5, 3), 'fair'), { kind: 'candidate', name: name(9, 2) });
    assert.deepEqual(watchOf(c, name(1, 1), 'fair'), { kind: 'none' });
  });

  it('bully: the highest ID leads and watches the children; the others watch the next higher ID', () => {
    const c = [name(5, 3), name(1, 1), name(9, 2)].map((n) => parseCandidate(n)!);
    assert.equal(designated(c, 'bully')!.id, 9);
    assert.deepEqual(watchOf(c, name(9, 2), 'bully'), { kind: 'children' });
    assert.deepEqual(watchOf(c, name(5, 3), 'bully'), { kind: 'candidate', name: name(9, 2) });
    assert.deepEqual(watchOf(c, name(1, 1), 'bully'), { kind: 'candidate', name: name(5, 3) });
  });

  for (const mode of ['fair', 'bully'] as const) {
    it(`${mode}: for any candidates, exactly one is designated, and every znode has at most one watcher, so a deletion wakes one node`, () => {
      fc.assert(
        fc.property(candidates, (list: Candidate[]) => {
          const first = designated(list, mode)!;
          assert.ok(list.includes(first));
          const watchers = new Map<string, number>();
          for (const c of list) {
            const watch = watchOf(list, c.name, mode);
            if (c === first) assert.notEqual(watch.kind, 'candidate', 'the designated one waits on no one');
            else assert.equal(watch.kind, 'candidate', 'every other one waits on exactly one znode');
            if (watch.kind === 'candidate') watchers.set(watch.name, (watchers.get(watch.name) ?? 0) + 1);
          }
          for (const [watched, count] of watchers) assert.equal(count, 1, `${watched} has ${count} watchers`);
          // Deleting the designated znode wakes exactly the one that becomes designated next.
          const rest = list.filter((c) => c !== first);
          if (rest.length > 0) {
            const woken = rest.filter((c) => { const w = watchOf(list, c.name, mode); return w.kind === 'candidate' && w.name === first.name; });
            assert.deepEqual(woken, [designated(rest, mode)]);
          }
          assert.equal(rank(list, mode).length, list.length);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('names IDs that two live znodes share', () => {
    assert.deepEqual(duplicateIds([name(3, 1), name(3, 2), name(4, 3)].map((n) => parseCandidate(n)!)), [3]);
  });
});

describe('backend URL', () => {
  it('parses servers, path and mode, with defaults', () => {
    assert.deepEqual(parseBackendUrl('zookeeper://zk1:2181,zk2,10.0.0.3:2182/labs/one?mode=fair', 'lab'), {
      servers: ['zk1:2181', 'zk2:2181', '10.0.0.3:2182'],
      path: '/labs/one',
      mode: 'fair',
    });
    assert.deepEqual(parseBackendUrl('zookeeper://127.0.0.1:2181', 'lab'), { servers: ['127.0.0.1:2181'], path: '/conclave/lab', mode: 'bully' });
  });

  for (const [url, named] of [
    ['http://zk1:2181', /use zookeeper:\/\//],
    ['zookeeper://zk1:99999', /"zk1:99999" is not host:port/],
    ['zookeeper://zk1/a b', /path "\/a b" must be/],
    ['zookeeper://zk1/zookeeper/x', /path "\/zookeeper\/x"/],
    ['zookeeper://zk1/a?mode=round-robin', /mode must be bully or fair/],
    ['zookeeper://zk1/a?timeout=3', /unknown parameter "timeout"/],
  ] as const) {
    it(`refuses ${url}, saying why`, () => assert.throws(() => parseBackendUrl(url, 'lab'), named));
  }
});
