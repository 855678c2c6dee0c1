/**
 * `node.events()`: the lines as an async iterator. Filtered by kind, ended by an AbortSignal or by
 * the node's `stopped` line, bounded (a reader that falls behind is told how many it missed), and
 * a loop that is left takes its listener with it. First over an emitter fed by hand, then over
 * real nodes: a LAN node on loopback, and a ZooKeeper node against a real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventLine, type EventState } from '../../src/contract/event-line.ts';
import { eventStream, type EventStreamItem } from '../../src/contract/event-stream.ts';
import { GuardedEmitter } from '../../src/contract/guarded-emitter.ts';
import type { DetailsOf, ElectorEvents, EventKind } from '../../src/contract/events.ts';
import type { Elector } from '../../src/contract/elector.ts';
import { startLoopbackNode } from '../helpers/loopback-node.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { resolveZooKeeperOptions } from '../../src/session/zookeeper-options.ts';
import { ZooKeeperNode } from '../../src/zookeeper/zookeeper-node.ts';
import { ZkServer, zooKeeperMissing } from '../zookeeper/zk-server.ts';

const STATE: EventState = { id: 1, role: 'follower', term: 3, leader: 2, quorum: { have: 2, need: 2 } };

/** An emitter fed by hand, as the nodes are: the same GuardedEmitter they extend. */
class HandFed extends GuardedEmitter<ElectorEvents> {
  reported: string[] = [];
  line<K extends EventKind>(kind: K, details: DetailsOf<K>): void {
    this.emit('event', eventLine(STATE, kind, details));
  }
  protected emitListenerError(listenerOf: string, error: string): void {
    this.reported.push(`${listenerOf}: ${error}`);
    this.line('listener-error', { listenerOf, error });
  }
}

const kindOf = (item: EventStreamItem): string => (item.event === 'lagged' ? `lagged ${item.missed}` : item.event);

async function readAll(stream: AsyncIterable<EventStreamItem>): Promise<string[]> {
  const read: string[] = [];
  for await (const item of stream) read.push(kindOf(item));
  return read;
}

/** A reader blocked in next() is released by the next macrotask's emit. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('event stream', () => {
  it('yields the kinds asked for, in order, and ends after the stopped line, which it yields only if asked', async () => {
    const emitter = new HandFed();
    const elections = eventStream(emitter, false, { kinds: ['elected', 'demoted'] });
    const everything = eventStream(emitter, false);
    emitter.line('role', { previous: 'follower' });
    emitter.line('elected', { cause: 'failover', votedBy: [2] });
    emitter.line('warning', { message: 'x' });
    emitter.line('demoted', { reason: 'resigned', leaseTerm: 3, leaseEndedAt: 2 });
    emitter.line('stopped', {});
    emitter.line('warning', { message: 'after the end' });
    assert.deepEqual(await readAll(elections), ['elected', 'demoted']);
    assert.deepEqual(await readAll(everything), ['role', 'elected', 'warning', 'demoted', 'stopped']);
    assert.equal(emitter.listenerCount('event'), 0, 'the stopped line took the listeners with it');
  });

  it('kinds narrow the type: a line of the kinds asked for, or a lagged note', async () => {
    const emitter = new HandFed();
    const stream = eventStream(emitter, false, { kinds: ['elected'] });
    emitter.line('elected', { cause: 'failover', votedBy: [2, 3] });
    emitter.line('stopped', {});
    const causes: string[] = [];
    // Compiles only if the item is `elected` or `lagged`: no other kind's fields.
    for await (const line of stream) causes.push(line.event === 'lagged' ? 'lagged' : `${line.event} ${line.cause}`);
    assert.deepEqual(causes, ['elected failover']);
  });

  it('a reader waiting in next() gets the line when it comes', async () => {
    const emitter = new HandFed();
    const reading = readAll(eventStream(emitter, false, { kinds: ['paused', 'resumed'] }));
    await turn();
    emitter.line('paused', {});
    await turn();
    emitter.line('resumed', {});
    emitter.line('stopped', {});
    assert.deepEqual(await reading, ['paused', 'resumed']);
  });

  it('breaking out of the loop removes the listener', async () => {
    const emitter = new HandFed();
    emitter.on('event', () => {});
    const before = emitter.listenerCount('event');
    const stream = eventStream(emitter, false);
    assert.equal(emitter.listenerCount('event'), before + 1);
    emitter.line('paused', {});
    emitter.line('resumed', {});
    for await (const item of stream) {
      assert.equal(item.event, 'paused');
      break;
    }
    assert.equal(emitter.listenerCount('event'), before);
    assert.deepEqual(await stream.next(), { value: undefined, done: true }, 'a left stream stays ended');
  });

  it('an AbortSignal ends the loop at once, also a reader waiting in next(), and removes both listeners', async () => {
    const emitter = new HandFed();
    const controller = new AbortController();
    const reading = readAll(eventStream(emitter, false, { signal: controller.signal }));
    emitter.line('paused', {});
    await turn();
    controller.abort();
    assert.deepEqual(await reading, ['paused']);
    assert.equal(emitter.listenerCount('event'), 0);
    assert.deepEqual(await readAll(eventStream(emitter, false, { signal: controller.signal })), [], 'an aborted signal: ended from the start');
    assert.equal(emitter.listenerCount('event'), 0);
  });

  it('a stream opened after the stopped line ends at once, without a listener', async () => {
    const emitter = new HandFed();
    assert.deepEqual(await readAll(eventStream(emitter, true)), []);
    assert.equal(emitter.listenerCount('event'), 0);
  });

  it('a reader that falls behind loses the oldest lines, and is told how many before the first it still gets', async () => {
    const emitter = new HandFed();
    const stream = eventStream(emitter, false, { kinds: ['warning'], maxBufferedEvents: 3 });
    for (let index = 1; index <= 10; index += 1) emitter.line('warning', { message: String(index) });
    emitter.line('stopped', {});
    const read: string[] = [];
    for await (const item of stream) read.push(item.event === 'lagged' ? `lagged ${item.missed}` : item.message);
    assert.deepEqual(read, ['lagged 7', '8', '9', '10']);
  });

  it('after a lagged note, the count starts again: each gap is told once, where it was', async () => {
    const emitter = new HandFed();
    const stream = eventStream(emitter, false, { kinds: ['warning'], maxBufferedEvents: 2 });
    for (let index = 1; index <= 4; index += 1) emitter.line('warning', { message: String(index) });
    const first = [await stream.next(), await stream.next()].map((result) => kindOf(result.value as EventStreamItem));
    for (let index = 5; index <= 9; index += 1) emitter.line('warning', { message: String(index) });
    emitter.line('stopped', {});
    assert.deepEqual([...first, ...(await readAll(stream))], ['lagged 2', 'warning', 'lagged 4', 'warning', 'warning']);
  });

  it("a stream that leaves listener-error lines out does not keep a listener's error from stderr", () => {
    const emitter = new HandFed();
    const stream = eventStream(emitter, false, { kinds: ['elected'] });
    emitter.on('elected', () => {
      throw new Error('boom');
    });
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      emitter.emit('elected', { term: 3 });
    } finally {
      console.error = original;
    }
    assert.deepEqual(emitter.reported, [], 'no listener-error line that nobody reads');
    assert.equal(printed.length, 1);
    void stream.return!();
  });
});

/** Reads a node's stream until it ends: the loop must end by itself once the node stops. */
async function readUntilStopped(node: Elector, kinds: EventKind[], stop: (kind: string) => boolean): Promise<string[]> {
  const before = node.listenerCount('event');
  const read: string[] = [];
  const stream = node.events({ kinds, signal: AbortSignal.timeout(15_000) });
  assert.equal(node.listenerCount('event'), before + 1);
  for await (const item of stream) {
    read.push(kindOf(item));
    if (stop(kindOf(item))) void node.stop();
  }
  assert.equal(node.listenerCount('event'), before, 'no listener left behind');
  return read;
}

describe('node.events() on real nodes', () => {
  it('a LAN node on loopback: elected, then stopped, and the loop ends', async () => {
    const { node, close } = await startLoopbackNode('events-stream');
    try {
      const read = await readUntilStopped(node, ['elected', 'stopped'], (kind) => kind === 'elected');
      assert.deepEqual(read, ['elected', 'stopped']);
      assert.deepEqual(await readAll(node.events()), [], 'a stream of a stopped node ends at once');
    } finally {
      await close();
    }
  });

  describe('a ZooKeeper node', { skip: skipUnlessCi(zooKeeperMissing()) }, () => {
    let zk: ZkServer;
    before(async () => {
      zk = await ZkServer.start();
    });
    after(async () => {
      await zk?.stop();
    });

    it('elected, then stopped, and the loop ends', async () => {
      const node = await ZooKeeperNode.start(resolveZooKeeperOptions({ id: 1, clusterSize: 1, backend: zk.url('/stream', 'bully'), timeoutMs: 2000, dampingMs: 0 }));
      try {
        const read = await readUntilStopped(node, ['elected', 'stopped'], (kind) => kind === 'elected');
        assert.deepEqual(read, ['elected', 'stopped']);
      } finally {
        await node.stop();
      }
    });
  });
});
