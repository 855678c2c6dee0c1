/**
 * The sender table: who may speak for a node ID. The attack it must stop: datagrams captured from
 * an earlier boot of a node, replayed once its current boot has gone quiet.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configId, resolveConfig } from '../../src/core/index.ts';
import { SenderTable } from '../../src/wire/senders.ts';
import { Wire } from '../../src/wire/wire.ts';
import { heartbeat } from '../helpers/core.ts';

const TIMEOUT_MS = 1000;

describe('sender table', () => {
  it('refuses an earlier boot for good, however long the current boot has been silent', () => {
    const table = new SenderTable(TIMEOUT_MS);
    assert.equal(table.check(3, 100, 1, '10.0.0.3', 0), 'ok'); // first boot, captured by an attacker
    assert.equal(table.check(3, 200, 1, '10.0.0.3', 500), 'ok'); // restarted
    for (const silentMs of [TIMEOUT_MS - 1, TIMEOUT_MS, 10 * TIMEOUT_MS, 3_600_000]) {
      assert.equal(table.check(3, 100, 2, '10.0.0.66', 500 + silentMs), 'replayed', `after ${silentMs} ms of silence, from another address`);
      assert.equal(table.check(3, 100, 3, '10.0.0.3', 500 + silentMs), 'replayed', `after ${silentMs} ms of silence, from its own address`);
    }
    // The refused replays did not take the current boot's place: its real restart is welcome.
    assert.equal(table.check(3, 300, 1, '10.0.0.3', 4_000_000), 'ok');
  });

  it('end to end: sealed heartbeats of a dead boot, captured and replayed after its restart and death, are refused', () => {
    const config = resolveConfig({ clusterSize: 5 });
    const keys = { sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode('the cluster key')]]) };
    const wireOf = (selfId: number) => new Wire({ selfId, cluster: 'lab', configId: configId(config), voters: config.voters, keys, aliveMs: TIMEOUT_MS });
    const n3 = wireOf(3);
    const receiver = wireOf(1);
    const firstBoot = Array.from({ length: 5 }, (_, i) => n3.encode({ ...heartbeat(3, 1), bootId: 100 }, i + 1));
    for (const [i, d] of firstBoot.entries()) assert.ok(receiver.decode(d, '10.0.0.3', i).ok);
    assert.ok(receiver.decode(n3.encode({ ...heartbeat(3, 1), bootId: 200 }, 1), '10.0.0.3', 100).ok);
    // n3 is killed; a timeout and more later, the capture is replayed from anywhere.
    for (const d of firstBoot) {
      const inbound = receiver.decode(d, '10.0.0.66', 100 + 5 * TIMEOUT_MS);
      assert.ok(!inbound.ok && inbound.reason === 'replayed', JSON.stringify(inbound));
    }
  });

  it('takes a restart (a higher boot) from the same address at once, and from another only after a silence', () => {
    const table = new SenderTable(TIMEOUT_MS);
    assert.equal(table.check(3, 100, 1, '10.0.0.3', 0), 'ok');
    assert.equal(table.check(3, 200, 1, '10.0.0.9', 10), 'impostor');
    assert.equal(table.check(3, 200, 1, '10.0.0.3', 20), 'ok');
    assert.equal(table.check(3, 300, 1, '10.0.0.9', 20 + TIMEOUT_MS), 'ok', 'a node moved');
  });

  it('a boot displaced by a later one from another address is the node again once that one is silent, on a fresh datagram only', () => {
    const table = new SenderTable(TIMEOUT_MS);
    for (let seq = 1; seq <= 5; seq++) assert.equal(table.check(3, 100, seq, '10.0.0.3', seq), 'ok'); // the real n3
    // n3 stalls; a second process with ID 3 on another machine is taken for n3 after the silence.
    assert.equal(table.check(3, 900, 1, '10.0.0.99', 2000), 'ok');
    // n3 wakes: its fresh datagrams are another process's while the second one is alive; replays of its old ones are replays.
    assert.equal(table.check(3, 100, 6, '10.0.0.3', 2100), 'impostor');
    assert.equal(table.check(3, 100, 3, '10.0.0.3', 2150), 'replayed');
    assert.equal(table.check(3, 900, 2, '10.0.0.99', 2200), 'ok');
    // The second process stops. Until it has been silent for the timeout, n3 is still not taken back.
    assert.equal(table.check(3, 100, 7, '10.0.0.3', 2200 + TIMEOUT_MS - 1), 'impostor');
    // Then a fresh datagram of n3 is n3 again, from its own address only; a replay of one it sent meanwhile is not.
    assert.equal(table.check(3, 100, 7, '10.0.0.3', 2200 + TIMEOUT_MS + 10), 'replayed', 'seq 7 was seen while it was dropped');
    assert.equal(table.check(3, 100, 8, '10.0.0.66', 2200 + TIMEOUT_MS + 10), 'replayed', 'not from its address');
    assert.equal(table.check(3, 100, 8, '10.0.0.3', 2200 + TIMEOUT_MS + 20), 'ok');
    assert.equal(table.check(3, 100, 9, '10.0.0.3', 2200 + TIMEOUT_MS + 30), 'ok');
    // And the second process, if it came back while n3 is alive, is the impostor now.
    assert.equal(table.check(3, 900, 3, '10.0.0.99', 2200 + TIMEOUT_MS + 40), 'impostor');
  });

  it('a boot that restarted from its own address is dead: its old boot stays refused', () => {
    const table = new SenderTable(TIMEOUT_MS);
    assert.equal(table.check(3, 100, 1, '10.0.0.3', 0), 'ok');
    assert.equal(table.check(3, 200, 1, '10.0.0.3', 10), 'ok');
    assert.equal(table.check(3, 100, 2, '10.0.0.3', 10 + 5 * TIMEOUT_MS), 'replayed', 'even with a sequence number never seen');
  });

  it('within a boot: a repeat inside the window is a duplicate, one older than the window a replay', () => {
    const table = new SenderTable(TIMEOUT_MS);
    assert.equal(table.check(3, 100, 100, 'a', 0), 'ok');
    assert.equal(table.check(3, 100, 100, 'a', 1), 'duplicate');
    assert.equal(table.check(3, 100, 99, 'a', 2), 'ok');
    assert.equal(table.check(3, 100, 30, 'a', 3), 'replayed');
  });
  it('the window, as it slides by steps small and large, remembers each of its 64 numbers: the same verdicts as a set of every number seen', () => {
    const table = new SenderTable(TIMEOUT_MS);
    const seen = new Set<number>();
    let highest = 1000;
    let state = 12345; // a fixed LCG: the same sequence every run
    const next = (bound: number): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) % bound);
    table.check(3, 100, highest, 'a', 0);
    seen.add(highest);
    for (let i = 0; i < 20_000; i++) {
      // Mostly small steps forward (bits crossing from the low half to the high one), some large, many repeats and stragglers.
      const roll = next(10);
      const seq = roll < 4 ? highest + 1 + next(roll === 0 ? 70 : 3) : highest - next(70);
      const expected = seq > highest ? 'ok' : highest - seq >= 64 ? 'replayed' : seen.has(seq) ? 'duplicate' : 'ok';
      assert.equal(table.check(3, 100, seq, 'a', 1), expected, `seq ${seq}, highest ${highest}, step ${i}`);
      if (expected === 'ok') seen.add(seq);
      highest = Math.max(highest, seq);
    }
  });
});
