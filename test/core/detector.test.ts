import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ArrivalWindow, phiOf } from '../../src/core/index.ts';

describe('phi-accrual statistics', () => {
  it('measures the mean and jitter of inter-arrival times', () => {
    const w = new ArrivalWindow(100);
    for (const t of [0, 100, 210, 300, 410, 500]) w.record(t);
    const s = w.stats();
    assert.equal(s.samples, 5);
    assert.equal(s.meanMs, 100);
    assert.ok(Math.abs(s.jitterMs - 8.94) < 0.01, `jitter ${s.jitterMs}`);
    assert.equal(s.lastIntervalMs, 90);
  });

  it('keeps only the last 64 intervals', () => {
    const w = new ArrivalWindow(100);
    let t = 0;
    for (let i = 0; i < 100; i++) w.record((t += 500));
    for (let i = 0; i < 64; i++) w.record((t += 100));
    assert.equal(w.stats().samples, 64);
    assert.ok(Math.abs(w.stats().meanMs - 100) < 1e-6);
  });

  it('grows with silence, and the implied timeout is where it crosses the threshold', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (mean, deviation, a, b) => {
          const [early, late] = a < b ? [a, b] : [b, a];
          assert.ok(phiOf(early, mean, deviation) <= phiOf(late, mean, deviation) + 1e-9);
        },
      ),
    );
    const w = new ArrivalWindow(100);
    for (let t = 0; t <= 2000; t += 100) w.record(t);
    const timeout = w.impliedTimeoutMs(8);
    assert.ok(timeout > 200 && timeout < 400, `implied timeout ${timeout}`);
    assert.ok(w.phi(2000 + timeout - 1) < 8);
    assert.ok(w.phi(2000 + timeout + 1) >= 8);
  });

  it('forgives one late heartbeat on a very regular link, not two and a half missed ones', () => {
    const w = new ArrivalWindow(100);
    for (let t = 0; t <= 6400; t += 100) w.record(t);
    assert.equal(w.stats().jitterMs, 0);
    assert.ok(w.phi(6400 + 160) < 1, `60 ms late: phi ${w.phi(6560)}`);
    assert.ok(w.phi(6400 + 300) >= 8, `three heartbeats missed: phi ${w.phi(6700)}`);
  });

  it('is 0 before the first heartbeat and finite however long the silence', () => {
    const w = new ArrivalWindow(100);
    assert.equal(w.phi(1e9), 0);
    w.record(0);
    assert.ok(Number.isFinite(w.phi(1e12)));
  });
});
