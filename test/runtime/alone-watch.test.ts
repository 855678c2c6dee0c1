/**
 * A node that is alone says why, at most once a minute per cause: the watch's bookkeeping with a
 * clock the test moves, and the config difference it names from a peer's config ID.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AloneFields } from '../../src/contract/alone.ts';
import { configId, resolveConfig } from '../../src/core/index.ts';
import { AloneWatch } from '../../src/runtime/alone-watch.ts';
import { configDifference } from '../../src/runtime/config-difference.ts';

const SILENCE_MS = 10_000;
const INTERVAL_MS = 60_000;

function watch(expectsPeers = true): { watch: AloneWatch; lines: AloneFields[] } {
  const lines: AloneFields[] = [];
  const w = new AloneWatch(
    {
      silenceMs: SILENCE_MS,
      intervalMs: INTERVAL_MS,
      expectsPeers,
      describe: (cause, evidence, silentForMs) => ({ diagnosis: `${cause} ${evidence?.detail ?? ''} ${silentForMs}`, fix: 'fix it' }),
      report: (fields) => lines.push(fields),
    },
    0,
  );
  return { watch: w, lines };
}

/** Checks once a second, as the node's poll does, from `fromMs` to `toMs`. */
function poll(w: AloneWatch, fromMs: number, toMs: number, each: (nowMs: number) => void = () => {}): void {
  for (let nowMs = fromMs; nowMs <= toMs; nowMs += 1000) {
    each(nowMs);
    w.check(nowMs);
  }
}

describe('alone watch', () => {
  it('says no-datagram after 10 s of silence, then once a minute while it lasts', () => {
    const { watch: w, lines } = watch();
    poll(w, 1000, 9000);
    assert.equal(lines.length, 0, 'not before 10 s');
    poll(w, 10_000, 10 * 60_000);
    assert.deepEqual(lines.map((l) => l.silentForMs), Array.from({ length: 10 }, (_, i) => 10_000 + i * INTERVAL_MS));
    assert.ok(lines.every((l) => l.cause === 'no-datagram' && l.dropped === 0 && l.peersHeard === 0 && l.sources.length === 0));
    assert.equal(w.current(10 * 60_000).length, 1);
  });

  it('says nothing while peers are heard, and counts silence again from the last one', () => {
    const { watch: w, lines } = watch();
    poll(w, 1000, 30_000, (nowMs) => w.heard(2, nowMs));
    assert.equal(lines.length, 0);
    poll(w, 31_000, 39_000);
    assert.equal(lines.length, 0, 'within 10 s of the last peer');
    poll(w, 40_000, 40_000);
    assert.equal(lines.length, 1);
    w.heard(2, 40_500);
    assert.deepEqual(w.current(41_000), [], 'heard again: the banner goes');
  });

  it('a cluster of one expects nobody', () => {
    const { watch: w, lines } = watch(false);
    poll(w, 1000, 120_000);
    assert.equal(lines.length, 0);
  });

  it('a flood of drops gives one line per cause per minute, with the count since the last', () => {
    const { watch: w, lines } = watch();
    // Ten bad MACs and ten foreign-cluster datagrams a second, for three minutes, while a peer is heard.
    poll(w, 1000, 180_000, (nowMs) => {
      w.heard(2, nowMs);
      for (let i = 0; i < 10; i++) {
        w.dropped('bad-mac', 'key 1', null, `10.0.0.${i % 2 === 0 ? 9 : 8}:7707`, null, nowMs);
        w.dropped('foreign-cluster', 'cluster "other"', 5, '10.0.0.5:7707', null, nowMs);
      }
    });
    const keyLines = lines.filter((l) => l.cause === 'key-mismatch');
    const clusterLines = lines.filter((l) => l.cause === 'foreign-cluster');
    assert.equal(keyLines.length, 3, 'at 1 s, 61 s and 121 s');
    assert.equal(clusterLines.length, 3);
    assert.equal(lines.length, 6, 'nothing else: a peer is heard');
    assert.deepEqual(keyLines.map((l) => l.dropped), [10, 600, 600]);
    assert.deepEqual(keyLines[0]!.sources, ['10.0.0.8:7707', '10.0.0.9:7707'], 'both senders, the latest first');
    assert.equal(keyLines[0]!.peersHeard, 1);
    assert.equal(clusterLines[0]!.from, 5);
    assert.deepEqual(w.current(180_500).map((d) => d.cause).sort(), ['foreign-cluster', 'key-mismatch']);
  });

  it('a cause no longer current is not said, and leaves the status 10 s after its last drop', () => {
    const { watch: w, lines } = watch();
    w.heard(2, 500);
    w.dropped('config-mismatch', 'config 1, ours 2', 3, '10.0.0.3:7707', { configId: 1, hears: [] }, 500);
    poll(w, 1000, 5000, (nowMs) => w.heard(2, nowMs));
    assert.equal(lines.length, 1);
    assert.equal(w.current(9000).length, 1);
    assert.equal(w.current(10_500).length, 0);
    poll(w, 6000, 120_000, (nowMs) => w.heard(2, nowMs));
    assert.equal(lines.length, 1, 'no second line about drops that stopped');
  });

  it('drops it cannot fix (a bad version, a replay) name no cause, but are datagrams: not no-datagram', () => {
    const { watch: w, lines } = watch();
    poll(w, 1000, 60_000, (nowMs) => w.dropped('bad-version', 'version 1', null, '10.0.0.4:7707', null, nowMs));
    assert.equal(lines.length, 0);
  });

  it('a resume counts silence from then', () => {
    const { watch: w, lines } = watch();
    w.restart(50_000);
    poll(w, 51_000, 59_000);
    assert.equal(lines.length, 0);
    poll(w, 60_000, 60_000);
    assert.equal(lines.length, 1);
  });
});

describe('config difference', () => {
  const ours = resolveConfig({ clusterSize: 3 });
  const named = (input: Parameters<typeof resolveConfig>[0], from = 2, hears: number[] = []): string => configDifference(ours, from, { configId: configId(resolveConfig(input)), hears });

  it('names another cluster size', () => {
    assert.match(named({ clusterSize: 5 }), /voters 1\.\.5 \(--cluster-size 5\); ours are 1\.\.3/);
  });

  it('names a voter not ours, from its ID or its heartbeat', () => {
    const text = named({ clusterSize: 4, voters: [1, 2, 3, 7] }, 7);
    assert.match(text, /n7 is not one of our voters/);
    assert.match(text, /n7 as a voter too/);
    assert.match(named({ clusterSize: 3, voters: [1, 2, 9] }, 2, [1, 9]), /it hears n9, not among our voters/);
  });

  it('names another timeout, lease, member beat or drift bound', () => {
    assert.match(named({ clusterSize: 3, timeoutMs: 2000 }), /a timeout of 2000 ms \(ours 1000 ms\)/);
    assert.match(named({ clusterSize: 3, leaseMs: 800 }), /a lease of 800 ms \(ours 900 ms\)/);
    assert.match(named({ clusterSize: 3, memberBeatMs: 2000 }), /a member beat of 2000 ms/);
    assert.match(named({ clusterSize: 3, maxClockDriftPpm: 5000 }), /a drift bound of 5000 ppm/);
  });

  it('says when it cannot tell', () => {
    const text = named({ clusterSize: 5, timeoutMs: 3000 });
    assert.match(text, /its voters or its timers .* differ from ours; its config ID cannot say which/);
    assert.match(text, /\(config [0-9a-f]{8}, ours [0-9a-f]{8}\)/);
  });
});
