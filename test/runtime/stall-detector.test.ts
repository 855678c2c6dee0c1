/** The stall detector on a virtual clock: what counts as a stall, how long it says it was, and what a busy machine's jitter is not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StallDetector, stallThresholdMs, type Stall } from '../../src/runtime/stall-detector.ts';

/** A process's clock and timers: time passes in steps; a frozen process runs no timer until it wakes. */
class World {
  nowMs = 1000;
  private timers: Array<{ atMs: number; fire: () => void }> = [];

  setTimer = (fire: () => void, delayMs: number): (() => void) => {
    const timer = { atMs: this.nowMs + delayMs, fire };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  };

  /** Runs for `ms`, each timer late by `lateMs` (a loaded machine). */
  run(ms: number, lateMs = 0): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      const next = this.timers.reduce<{ atMs: number; fire: () => void } | null>((a, t) => (a === null || t.atMs < a.atMs ? t : a), null);
      if (next === null || next.atMs + lateMs > endMs) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = Math.max(this.nowMs, next.atMs + lateMs);
      next.fire();
    }
    this.nowMs = endMs;
  }

  /** Frozen for `ms`: the clock runs on, nothing else does. */
  freeze(ms: number): void {
    this.nowMs += ms;
  }
}

function detector(world: World, thresholdMs = 500): { stalls: Stall[]; steady: number[]; detector: StallDetector } {
  const stalls: Stall[] = [];
  const steady: number[] = [];
  const d = new StallDetector({
    thresholdMs,
    periodMs: 100,
    nowMs: () => world.nowMs,
    setTimer: world.setTimer,
    onStall: (stall) => stalls.push(stall),
    onSteady: (nowMs) => steady.push(nowMs),
  });
  d.start();
  return { stalls, steady, detector: d };
}

describe('stall detector', () => {
  it('the threshold: half the timeout, never below 250 ms', () => {
    assert.equal(stallThresholdMs(1000), 500);
    assert.equal(stallThresholdMs(3000), 1500);
    assert.equal(stallThresholdMs(300), 250);
  });

  it('reports a freeze once, on waking, at least as long as it lasted less one period', () => {
    const world = new World();
    const { stalls } = detector(world);
    world.run(1000);
    world.freeze(2000);
    world.run(1000);
    assert.equal(stalls.length, 1);
    assert.ok(stalls[0]!.durationMs >= 1900 && stalls[0]!.durationMs <= 2000, `${stalls[0]!.durationMs} ms`);
  });

  it('says nothing of a busy machine: every timer 200 ms late, for a minute', () => {
    const world = new World();
    const { stalls, steady } = detector(world);
    world.run(60_000, 200);
    assert.deepEqual(stalls, []);
    assert.ok(steady.length >= 150, `it kept checking: ${steady.length} checks`);
  });

  it('is asked before the work that wakes the process, so the report comes first', () => {
    const world = new World();
    const { stalls, detector: d } = detector(world);
    world.run(500);
    world.freeze(3000);
    d.check(); // the node's own timer, or a datagram, comes first on waking
    assert.equal(stalls.length, 1, 'reported before any timer of its own ran');
    world.run(1000); // the detector's own overdue timer then finds nothing more
    assert.equal(stalls.length, 1);
  });

  it('a stall just past the threshold counts; one just below does not', () => {
    for (const [freezeMs, expected] of [[450, 0], [700, 1]] as const) {
      const world = new World();
      const { stalls } = detector(world);
      world.run(300);
      world.freeze(freezeMs);
      world.run(300);
      assert.equal(stalls.length, expected, `a freeze of ${freezeMs} ms`);
    }
  });

  it('wakes nobody whose clock is read often: its own timer never fires while checks come every 40 ms; a freeze is still reported', () => {
    const world = new World();
    let fired = 0;
    const setTimer = world.setTimer;
    world.setTimer = (fire, delayMs) => setTimer(() => (fired++, fire()), delayMs);
    const { stalls, detector: d } = detector(world);
    for (let i = 0; i < 250; i++) {
      world.run(40); // a datagram every 40 ms (the period is 100 ms)
      d.check();
    }
    assert.equal(fired, 0, 'the readings kept it watched');
    world.freeze(2000);
    d.check();
    assert.equal(stalls.length, 1);
    assert.ok(stalls[0]!.durationMs >= 1900 && stalls[0]!.durationMs <= 2000, `${stalls[0]!.durationMs} ms`);
  });

  it('stops: no timer, no checks', () => {
    const world = new World();
    const { stalls, steady, detector: d } = detector(world);
    world.run(300);
    d.stop();
    const checks = steady.length;
    world.freeze(5000);
    d.check();
    world.run(1000);
    assert.deepEqual(stalls, []);
    assert.equal(steady.length, checks);
  });
});
