import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransitFloor } from '../../src/core/transit.ts';

const WINDOW_MS = 2000;
const PPM = 1000; // 0.1 %: the default drift bound

describe('transit floor: how late a peer message is read', () => {
  it('a message as quick as the quickest lately is not late; one read later by L is L late', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    // The peer's clock is 5000 ms ahead of ours; deliveries take 1–3 ms.
    assert.equal(floor.record(5000 + 100, 102), 0);
    assert.equal(floor.record(5000 + 200, 201), 0);
    const late = floor.record(5000 + 300, 301 + 870); // queued behind a stall of ours
    assert.ok(Math.abs(late - 870) < 2, `${late}`);
  });

  it('unstamped messages (0) are never late and leave the floor alone', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    assert.equal(floor.record(0, 500), 0);
    assert.equal(floor.record(1000, 1001), 0);
    assert.equal(floor.record(0, 9000), 0);
    assert.ok(floor.record(1100, 1101 + 400) > 390);
  });

  it('clocks drifting apart at the bound never make a message look late', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    // Ours runs 0.1 % fast, the peer's 0.1 % slow: read − sent grows 2 ms a second.
    const rate = (1 + 0.001) / (1 - 0.001);
    for (let t = 0; t <= 60_000; t += 100) {
      const late = floor.record(Math.floor(t / rate) + 1, t + 1);
      assert.ok(late <= 1.01, `at ${t} ms: ${late} ms late`);
    }
  });

  it('a stall of ours longer than the window still finds the samples from before it', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    for (let t = 0; t <= 1000; t += 100) floor.record(t + 10_000, t + 1);
    // Five windows of silence, then the queued rounds: the first read turns the windows over once.
    const late = floor.record(1100 + 10_000, 1100 + 10_000);
    assert.ok(late > 9_900, `${late}`);
  });

  it('the bursts read after stalls of ours never turn the windows over: the quick samples stay (seed 29004013)', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    for (let t = 0; t <= 1000; t += 100) floor.record(t + 10_000, t + 1);
    assert.equal(floor.measured, true);
    // A stall of 1.5 s: the rounds queued meanwhile are read at once, 1.3–1.5 s late.
    assert.ok(floor.record(1100 + 10_000, 2600, true) > 1_400);
    assert.ok(floor.record(1300 + 10_000, 2601, true) > 1_250);
    // A second stall, long after: its burst is measured against the quick samples, not the first burst.
    const late = floor.record(6000 + 10_000, 6960, true);
    assert.ok(late > 900, `${late}`); // 959 ms, less the drift allowance since the samples
    // The next ordinary read turns the windows over, and the quick samples are still in the previous one.
    assert.ok(floor.record(7000 + 10_000, 7001) < 2);
    assert.ok(floor.record(7100 + 10_000, 7101 + 900) > 890);
  });

  it('a floor made only of bursts is not measured', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    floor.record(100, 2000, true);
    floor.record(3000, 6000, true);
    assert.equal(floor.measured, false);
    floor.record(6100, 6101);
    assert.equal(floor.measured, true);
  });

  it('a clock that jumped is forgotten within two windows', () => {
    const floor = new TransitFloor(WINDOW_MS, PPM, 0);
    for (let t = 0; t <= 1000; t += 100) floor.record(t + 1, t + 2);
    // Our clock jumps 5 s ahead (a suspend misread): every message now looks 5 s late…
    assert.ok(floor.record(1100, 1100 + 5000 + 1) > 4_900);
    let late = Infinity;
    for (let t = 1200; t <= 1200 + 2 * WINDOW_MS + 200; t += 100) late = floor.record(t, t + 5000 + 1);
    // …until the samples from before the jump have left both windows.
    assert.ok(late < 1, `${late}`);
  });
});
