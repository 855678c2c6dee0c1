/**
 * A driver over a hand-moved clock and a recording transport: the harness of the driver tests.
 */
import assert from 'node:assert/strict';
import { configId, type CoreEvent, type Message, type NodeId, type PersistentState } from '../../src/core/index.ts';
import { lanCoreOf } from '../../src/core/lan-core.ts';
import { Driver, type DropReason } from '../../src/runtime/driver.ts';
import { decodeEnvelope } from '../../src/wire/codec.ts';
import { open } from '../../src/wire/seal.ts';
import { Wire } from '../../src/wire/wire.ts';
import { node } from './core.ts';
import { manualClock } from './manual-clock.ts';

export function setup(save: (state: PersistentState) => void | Promise<void>, onEvent?: (event: CoreEvent) => void) {
  // One rate (the slow one equal to the fast one), so that every tick of the timer sends a beat.
  const core = node(1, { config: { memberBeatMs: 100 } });
  const clock = manualClock();
  const sent: Array<{ to: NodeId | 'all'; type: string; granted?: boolean }> = [];
  const drops: DropReason[] = [];
  const fatal: unknown[] = [];
  const id = configId(core.config);
  const wireOptions = { selfId: 1, cluster: 'lab', configId: id, voters: core.config.voters, keys: null, aliveMs: 1000 };
  const driver = new Driver({
    core: lanCoreOf(core),
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
    ...(onEvent === undefined ? {} : { onEvent }),
  });
  let seq = 0;
  /** A datagram as peer `message.from` would send it, or as a misconfigured one would. */
  const datagram = (message: Message, meta: { cluster?: string; configId?: number } = {}) =>
    new Wire({ ...wireOptions, selfId: message.from, ...meta }).encode(message, ++seq);
  return { core, clock, driver, sent, drops, fatal, datagram };
}
