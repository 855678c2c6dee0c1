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
