/**
 * `dropped` lines: at most one per reason per second under a flood, and each names where the
 * datagrams came from. The reporter on a virtual clock whose timers fire late (as they do when a
 * flood keeps the event loop busy), then a real node on loopback flooded with garbage by a socket
 * of this test (no multicast: its only traffic is unicast on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConclaveNode } from '../../src/runtime/conclave-node.ts';
import { type NodeEvent } from '../../src/contract/events.ts';
import { DropReporter, type DropReport } from '../../src/runtime/drop-reporter.ts';
import { isEvent } from '../helpers/event-kind.ts';

/**
 * A virtual clock whose timers fire `offsetMs` after they are due: later (> 0), as a busy event
 * loop's do; or earlier (< 0, less than a millisecond), as Node's do measured by performance.now(),
 * since they count from the event loop's cached whole-millisecond time (a 1000 ms timer can fire
 * after 999.1 ms).
 */
class SkewedTimers {
  nowMs = 0;
  private timers: Array<{ atMs: number; fire: () => void; cancelled: boolean }> = [];
  private readonly offsetMs: number;
  constructor(offsetMs: number) {
    this.offsetMs = offsetMs;
  }

  setTimer = (fire: () => void, delayMs: number): (() => void) => {
    const timer = { atMs: this.nowMs + delayMs + this.offsetMs, fire, cancelled: false };
    this.timers.push(timer);
    return () => (timer.cancelled = true);
  };

  /** Moves to `atMs`, firing every timer due on the way, in order; time never goes back. */
  advance(atMs: number): void {
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.atMs <= atMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowMs = Math.max(this.nowMs, due.atMs);
      due.fire();
    }
    this.nowMs = atMs;
  }
}

describe('drop reports', () => {
  it('a flood gives at most one line per reason per second, with every drop counted, even when timers fire late', () => {
    for (const lateMs of [0, 1, 7, 300]) {
      const clock = new SkewedTimers(lateMs);
      const lines: Array<DropReport & { atMs: number }> = [];
      const reporter = new DropReporter({ intervalMs: 1000, nowMs: () => clock.nowMs, setTimer: clock.setTimer, report: (r) => lines.push({ ...r, atMs: clock.nowMs }) });
      let drops = 0;
      // Ten seconds of two reasons, a datagram every half millisecond.
      for (let atMs = 0; atMs < 10_000; atMs += 0.5) {
        clock.advance(atMs);
        reporter.drop(atMs % 1 === 0 ? 'malformed' : 'bad-mac', `datagram at ${atMs}`, null, '10.0.0.66:4000');
        drops++;
      }
      clock.advance(20_000);
      for (const reason of ['malformed', 'bad-mac'] as const) {
        const mine = lines.filter((line) => line.reason === reason);
        assert.ok(mine.length <= 11 && mine.length >= 9, `late ${lateMs} ms, ${reason}: ${mine.length} lines in 10 s`);
        for (let i = 1; i < mine.length; i++) {
          const gapMs = mine[i]!.atMs - mine[i - 1]!.atMs;
          assert.ok(gapMs >= 1000, `late ${lateMs} ms, ${reason}: two lines ${gapMs} ms apart`);
        }
      }
      assert.equal(lines.reduce((sum, line) => sum + line.count, 0), drops, 'every drop is in some line');
      assert.equal(lines.at(-1)!.detail, 'datagram at 9999.5', 'a line tells of the latest drop');
    }
  });

  it('holds one line per reason per second when timers fire slightly early (by a finer clock)', () => {
    // Drops at odd instants, so that lines fall between milliseconds: a flood (every 0.37 ms),
    // and drops just under a second apart (each finds the last line 999.6 ms old).
    for (const everyMs of [0.37, 999.6]) {
      for (const earlyMs of [0.1, 0.5, 0.999]) {
        const clock = new SkewedTimers(-earlyMs);
        const lines: Array<DropReport & { atMs: number }> = [];
        const reporter = new DropReporter({ intervalMs: 1000, nowMs: () => clock.nowMs, setTimer: clock.setTimer, report: (r) => lines.push({ ...r, atMs: clock.nowMs }) });
        let drops = 0;
        for (let atMs = 0.3; atMs < 5000; atMs += everyMs) {
          clock.advance(atMs);
          reporter.drop('bad-mac', `datagram at ${atMs}`, 3, '10.0.0.3:7707');
          drops++;
        }
        clock.advance(10_000);
        const run = `a drop every ${everyMs} ms, timers ${earlyMs} ms early`;
        assert.ok(lines.length >= 4, `${run}: ${lines.length} lines in 5 s`);
        for (let i = 1; i < lines.length; i++) {
          const gapMs = lines[i]!.atMs - lines[i - 1]!.atMs;
          assert.ok(gapMs >= 1000, `${run}: two lines ${gapMs.toFixed(3)} ms apart`);
        }
        assert.equal(lines.reduce((sum, line) => sum + line.count, 0), drops, `${run}: every drop is in some line`);
      }
    }
  });

  it('reports a lone drop at once, and a drop after a quiet second at once again', () => {
    const clock = new SkewedTimers(0);
    const lines: DropReport[] = [];
    const reporter = new DropReporter({ intervalMs: 1000, nowMs: () => clock.nowMs, setTimer: clock.setTimer, report: (r) => lines.push(r) });
    reporter.drop('unknown-key', 'key 9', 3, '10.0.0.3:7707');
    assert.deepEqual(lines, [{ reason: 'unknown-key', count: 1, from: 3, source: '10.0.0.3:7707', detail: 'key 9' }]);
    clock.advance(5000);
    reporter.drop('unknown-key', 'key 9', 3, '10.0.0.3:7707');
    assert.equal(lines.length, 2);
    reporter.drop('unknown-key', 'key 9', 3, '10.0.0.3:7707');
    reporter.stop();
    clock.advance(10_000);
    assert.equal(lines.length, 2, 'stop() cancels the line still due');
  });

  it('a real node flooded with garbage says where it comes from, at most once a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conclave-drops-'));
    const sink = createSocket('udp4');
    const flooder = createSocket('udp4');
    let node: ConclaveNode | null = null;
    try {
      await Promise.all([bind(sink), bind(flooder)]);
      node = await ConclaveNode.start({
        id: 1,
        clusterSize: 1,
        cluster: 'drops',
        interface: 'lo',
        multicast: false,
        seeds: `127.0.0.1:${sink.address().port}`,
        unicastPort: 0,
        dataDir: join(dir, 'n1'),
      });
      const lines: NodeEvent[] = [];
      node.on('event', (line) => lines.push(line));
      const target = node.status().network!.unicastPort;
      // Three seconds of garbage (wire type 7), in bursts that keep the event loop busy: at most 30,000 datagrams.
      const garbage = Uint8Array.from([0x0f, 0xff, 0xff]);
      const endMs = Date.now() + 3000;
      let sent = 0;
      while (Date.now() < endMs && sent < 30_000) {
        for (let i = 0; i < 50; i++, sent++) flooder.send(garbage, target, '127.0.0.1');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // The last line falls due a second after the line before it; a loaded machine may still be
      // reading the flood's queue then. Wait for the event, not a fixed time: the count has stood
      // still for longer than the interval, and the lines add up to it.
      const malformedLines = () => lines.filter(isEvent('dropped')).filter((line) => line.reason === 'malformed');
      const floodEndedAt = Date.now();
      let counted = node.status().drops.malformed;
      let countChangedAt = Date.now();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = node.status().drops.malformed;
        if (now !== counted) [counted, countChangedAt] = [now, Date.now()];
        const inLines = malformedLines().reduce((sum, line) => sum + line.count, 0);
        if (inLines === counted && Date.now() - countChangedAt > 1100) break;
        assert.ok(Date.now() - floodEndedAt < 20_000, `20 s after the flood: ${counted} dropped, ${inLines} in lines`);
      }
      console.log(`${sent} sent, ${counted} dropped as malformed; the lines added up ${Date.now() - floodEndedAt} ms after the flood`);
      const dropped = malformedLines();
      assert.ok(counted > 100, `the flood arrived: ${counted} of ${sent} dropped as malformed`);
      // Three seconds of flood: a line at its start, and more a second apart (the gaps, below).
      assert.ok(dropped.length >= 2, `${dropped.length} lines for 3 s of flood`);
      for (let i = 1; i < dropped.length; i++) {
        const gapMs = dropped[i]!.ts - dropped[i - 1]!.ts;
        // `ts` is the wall clock in whole milliseconds; the reporter's second is a finer monotonic one.
        assert.ok(gapMs >= 999, `two "dropped" lines ${gapMs} ms apart: ${dropped.map((l) => l.ts).join(', ')}`);
      }
      assert.equal(dropped.reduce((sum, line) => sum + line.count, 0), counted, 'the lines add up to the count');
      const source = `127.0.0.1:${flooder.address().port}`;
      for (const line of dropped) {
        assert.equal(line.from, null, 'garbage claims no node ID');
        assert.equal(line.source, source, 'but it came from somewhere');
      }
    } finally {
      await node?.stop();
      sink.close();
      flooder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function bind(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
}
