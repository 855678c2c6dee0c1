/**
 * The ZooKeeper election's facade has the LAN core's shape and Ready contract: what several
 * inputs asked for gathers in one Ready, in order, until it is advanced.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionState } from '../../src/contract/zookeeper-status.ts';
import { createZkCore } from '../../src/zookeeper/election/zk-core.ts';

const T = 3000;

describe('the ZooKeeper election facade', () => {
  it('gathers the outputs of inputs in one Ready until advance, then only what came after', () => {
    const c = createZkCore({ id: 7, path: '/e', mode: 'fair', requestedTimeoutMs: T, dampingMs: 0, preempt: true, candidateData: new Uint8Array([1]) });
    assert.equal(c.accepts({ type: 'watch' }), true);
    assert.equal(c.wakeAtMs(), null, 'nothing to wake for before the start');
    c.step({ type: 'start' }, 0);
    c.step({ type: 'session', state: SessionState.Connected, sessionId: 's1', timeoutMs: T }, 5);
    const first = c.ready();
    assert.ok(first !== null);
    assert.deepEqual(first.events.map((told) => told.event.type), ['session']);
    assert.deepEqual(first.requests.map((r) => r.request.op), ['ensure-path']);
    assert.equal(c.ready(), first, 'the same Ready until advance()');
    c.advance();
    assert.equal(c.ready(), null);
    c.step({ type: 'reply', requestId: first.requests[0]!.id, reply: { ok: true, value: null } }, 10);
    assert.deepEqual(c.ready()?.requests.map((r) => r.request.op), ['create']);
    assert.equal(c.view(10).connected, true);
    assert.equal(c.hasLease(10), false);
    assert.equal(c.status(10).session.state, SessionState.Connected);
    assert.ok(c.wakeAtMs() !== null);
  });
});
