/**
 * The driver's promises: persist before send, one input at a time, bad datagrams dropped and
 * named without touching the core.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PersistentState } from '../../src/core/index.ts';
import { BOOT, heartbeat, voteRequest } from '../helpers/core.ts';
import { setup } from '../helpers/driver-harness.ts';

describe('driver', () => {
  it('sends a vote only after its save resolved, and holds later inputs until then', async () => {
    let resolveSave!: () => void;
    const saves: PersistentState[] = [];
    const { driver, sent, datagram } = setup((state) => {
      saves.push(state);
      return new Promise<void>((resolve) => (resolveSave = resolve));
    });
    driver.start();
    sent.length = 0;
    driver.receive(datagram(voteRequest(3, 1, 1)), '10.0.0.9');
    driver.receive(datagram(voteRequest(4, 1, 1)), '10.0.0.9');
    assert.deepEqual(saves, [{ term: 1, votedFor: 3, votedForBoot: 7003 }]);
    assert.deepEqual(sent, [], 'nothing leaves while the save is in flight');
    resolveSave();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent, [
      { to: 3, type: 'vote', granted: true },
      { to: 4, type: 'vote', granted: false },
    ]);
  });

  it('drops bad datagrams by reason and leaves the core untouched', () => {
    const { core, driver, sent, drops, datagram } = setup(() => {});
    driver.start();
    sent.length = 0;
    const before = JSON.stringify(core.status(BOOT));
    driver.receive(new Uint8Array(0), '10.0.0.9');
    driver.receive(Uint8Array.from([0x0f, 0xff]), '10.0.0.9'); // wire type 7 does not exist
    const valid = datagram(voteRequest(3, 1, 1));
    driver.receive(valid.subarray(0, valid.length - 2), '10.0.0.9');
    driver.receive(datagram(voteRequest(3, 1, 1), { cluster: 'other-lab' }), '10.0.0.9');
    driver.receive(datagram(voteRequest(3, 1, 1), { configId: 12345 }), '10.0.0.9');
    assert.deepEqual(drops, ['empty', 'malformed', 'truncated', 'foreign-cluster', 'config-mismatch']);
    assert.deepEqual(sent, []);
    assert.equal(JSON.stringify(core.status(BOOT)), before);
    assert.equal(core.term, 0);
  });

  it('an impostor drop reaches the core, whose heartbeats then name that ID (`twins`)', () => {
    const { core, clock, driver, drops, datagram } = setup(() => {});
    driver.start();
    driver.receive(datagram(heartbeat(3, 0)), '10.0.0.3');
    driver.receive(datagram({ ...heartbeat(3, 0), bootId: 9003 }), '10.0.0.33');
    assert.deepEqual(drops, ['impostor']);
    assert.deepEqual(core.twinsTold(clock.nowMs()), [3]);
  });

  it('halts rather than send what it could not persist', async () => {
    const { driver, sent, fatal, datagram } = setup(() => Promise.reject(new Error('disk full')));
    driver.start();
    sent.length = 0;
    driver.receive(datagram(voteRequest(3, 1, 1)), '10.0.0.9');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent, []);
    assert.match(String(fatal[0]), /disk full/);
    driver.receive(datagram(voteRequest(4, 2, 2)), '10.0.0.9');
    assert.deepEqual(sent, [], 'a halted driver takes no input');
  });

  it('ticks on its timer: heartbeats go out every interval', () => {
    const { clock, driver, sent } = setup(() => {});
    driver.start();
    assert.equal(sent.filter((s) => s.type === 'heartbeat').length, 1);
    for (let i = 0; i < 10; i++) clock.advance(100);
    assert.equal(sent.filter((s) => s.type === 'heartbeat').length, 11);
  });

  it('leave says goodbye and stops', async () => {
    const { clock, driver, sent } = setup(() => {});
    driver.start();
    await driver.leave();
    assert.equal(sent.at(-1)?.type, 'leave');
    const count = sent.length;
    clock.advance(1000);
    assert.equal(sent.length, count);
  });
});
