/**
 * The driver's promises: persist before send, one input at a time, bad datagrams dropped and
 * named without touching the core.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configId, type Message, type NodeId, type PersistentState } from '../../src/core/index.ts';
import { Driver, type DropReason } from '../../src/runtime/driver.ts';
import { open } from '../../src/wire/seal.ts';
import { decodeEnvelope } from '../../src/wire/codec.ts';
import { Wire } from '../../src/wire/wire.ts';
import { BOOT, node, voteRequest } from '../helpers/core.ts';
import { manualClock } from '../helpers/manual-clock.ts';

function setup(save: (state: PersistentState) => void | Promise<void>) {
  const core = node(1);
  const clock = manualClock();
  const sent: Array<{ to: NodeId | 'all'; type: string; granted?: boolean }> = [];
  const drops: DropReason[] = [];
  const fatal: unknown[] = [];
  const id = configId(core.config);
  const wireOptions = { selfId: 1, cluster: 'lab', configId: id, voters: core.config.voters, keys: null, aliveMs: 1000 };
  const driver = new Driver({
    core,
    clock,
    wire: new Wire(wireOptions),
    store: { save },
    transport: {
      send(to, bytes) {
        const opened = open(bytes, null);
        assert.ok(opened.ok);
        const decoded = decodeEnvelope(opened.envelope);
        assert.ok(decoded.ok);
        const m = decoded.value.message;
        sent.push({ to, type: m.type, ...(m.type === 'vote' ? { granted: m.granted } : {}) });
      },
    },
    onDrop: (reason) => drops.push(reason),
    onFatal: (error) => fatal.push(error),
  });
  let seq = 0;
  /** A datagram as peer `message.from` would send it, or as a misconfigured one would. */
  const datagram = (message: Message, meta: { cluster?: string; configId?: number } = {}) =>
    new Wire({ ...wireOptions, selfId: message.from, ...meta }).encode(message, ++seq);
  return { core, clock, driver, sent, drops, fatal, datagram };
}

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
    assert.deepEqual(saves, [{ term: 1, votedFor: 3 }]);
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
