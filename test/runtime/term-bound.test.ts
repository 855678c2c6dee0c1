/**
 * A datagram whose term breaks the term bound (docs/protocol.md, "Term bound") is dropped and
 * counted by the driver, and changes nothing: not the term, not the state file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configId, type PersistentState } from '../../src/core/index.ts';
import { lanCoreOf } from '../../src/core/lan-core.ts';
import { MAX_TERM } from '../../src/core/terms.ts';
import { Driver, type DropReason } from '../../src/runtime/driver.ts';
import { Wire } from '../../src/wire/wire.ts';
import { BOOT, heartbeat, node } from '../helpers/core.ts';

describe('driver: term bound', () => {
  it('drops a heartbeat with term 2^53 − 1 as term-out-of-range, and nothing is saved', () => {
    const core = node(1);
    const wireOptions = { cluster: 'lab', configId: configId(core.config), voters: core.config.voters, keys: null, aliveMs: 1000 };
    const saves: PersistentState[] = [];
    const drops: Array<{ reason: DropReason; from: number | null }> = [];
    const driver = new Driver({
      core: lanCoreOf(core),
      clock: { nowMs: () => BOOT, schedule: () => () => {} },
      wire: new Wire({ ...wireOptions, selfId: 1 }),
      store: { save: (state) => void saves.push(state) },
      transport: { send: () => {} },
      onDrop: (reason, _detail, from) => drops.push({ reason, from }),
    });
    driver.start();
    const bytes = new Wire({ ...wireOptions, selfId: 2 }).encode(heartbeat(2, MAX_TERM, { hears: [1] }), 1);
    driver.receive(bytes, '127.0.0.2');
    assert.deepEqual(drops, [{ reason: 'term-out-of-range', from: 2 }]);
    assert.equal(core.term, 0);
    assert.deepEqual(saves, []);
    driver.halt();
  });
});
