/**
 * The LAN core's facade keeps etcd's Ready contract: a Ready holds what came since the last
 * advance, stays the same until it is advanced, and is null when nothing is to be done.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TERM } from '../../src/core/terms.ts';
import { createLanCore, resolveConfig, ResignReason } from '../../src/core/index.ts';
import { BOOT, heartbeat } from '../helpers/core.ts';

function core() {
  return createLanCore({ id: 1, config: resolveConfig({ clusterSize: 3 }), bootId: 7001, nowMs: BOOT, persisted: null, random: () => 0.5 });
}

describe('the LAN core facade', () => {
  it('holds a Ready until it is advanced, then only what came after', () => {
    const c = core();
    c.tick(BOOT);
    const first = c.ready();
    assert.ok(first !== null && first.messages.some((m) => m.message.type === 'heartbeat'), 'the first tick beats');
    assert.equal(c.ready(), first, 'the same Ready until advance()');
    c.advance();
    assert.equal(c.ready(), null, 'nothing new: no Ready');
    c.step({ type: 'message', message: heartbeat(2, 0, { hears: [1] }) }, BOOT + 10);
    const second = c.ready();
    assert.ok(second !== null && second.events.some((e) => e.type === 'peer' && e.peer === 2), 'a peer joined');
    assert.notEqual(second, first);
  });

  it('refuses before any state a message beyond the term bound, and says when to tick', () => {
    const c = core();
    assert.equal(c.accepts({ type: 'message', message: heartbeat(2, MAX_TERM, {}) }), false);
    assert.equal(c.accepts({ type: 'message', message: heartbeat(2, 1, {}) }), true);
    assert.equal(c.accepts({ type: 'resign', reason: ResignReason.Requested }), true);
    c.tick(BOOT);
    const wakeAtMs = c.wakeAtMs();
    assert.ok(wakeAtMs !== null && wakeAtMs > BOOT);
  });

  it('takes the commands as inputs: a follower that resigns changes nothing; one that leaves says goodbye', () => {
    const c = core();
    c.tick(BOOT);
    c.advance();
    c.step({ type: 'resign', reason: ResignReason.Requested }, BOOT + 1);
    assert.ok(!(c.ready()?.messages ?? []).some((m) => m.message.type === 'resign'), 'no Resign from a follower');
    c.advance();
    c.step({ type: 'leave' }, BOOT + 2);
    assert.ok(c.ready()?.messages.some((m) => m.message.type === 'leave'));
    assert.equal(c.view(BOOT + 2).role, 'follower');
    assert.equal(c.hasLease(BOOT + 2), false);
  });
});
