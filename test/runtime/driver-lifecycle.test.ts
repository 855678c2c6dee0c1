/**
 * The driver when things go wrong around it: a save that fails while leave() waits, a callback
 * that throws. Whoever waits is answered, and the node's timer is always set again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { voteRequest } from '../helpers/core.ts';
import { setup } from '../helpers/driver-harness.ts';

/** Resolves to 'settled' if `promise` settles within `ms`, else to 'pending'. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<'settled' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

describe('driver lifecycle', () => {
  it('answers a leave() that waited behind a save that failed', async () => {
    let failSave!: (error: Error) => void;
    const { driver, sent, fatal, datagram } = setup(() => new Promise<void>((_, reject) => (failSave = reject)));
    driver.start();
    driver.receive(datagram(voteRequest(3, 1, 1)), '10.0.0.9'); // its vote is being saved
    const left = driver.leave(); // waits its turn behind the save
    failSave(new Error('disk full'));
    assert.equal(await settlesWithin(left, 2000), 'settled', 'leave() must not hang once the driver halted');
    assert.match(String(fatal[0]), /disk full/);
    assert.ok(!sent.some((m) => m.type === 'vote') && !sent.some((m) => m.type === 'leave'), 'nothing that depended on the failed save was sent');
  });

  it('sets its timer again when a callback throws, and goes on ticking', () => {
    let throws = false;
    const { clock, driver, sent, datagram } = setup(
      () => {},
      () => {
        if (throws) {
          throws = false;
          throw new Error('a listener failed');
        }
      },
    );
    driver.start();
    driver.receive(datagram(voteRequest(3, 1, 1)), '10.0.0.9'); // peer 3 is heard once, then never again
    // A tick raises an event (peer 3 is suspected) and the callback throws out of the timer.
    throws = true;
    let thrown: unknown = null;
    for (let i = 0; i < 100 && thrown === null; i++) {
      try {
        clock.advance(100);
      } catch (error) {
        thrown = error;
      }
    }
    assert.match(String(thrown), /a listener failed/);
    assert.equal(clock.pending(), 1, 'the timer was set again');
    const before = sent.filter((m) => m.type === 'heartbeat').length;
    for (let i = 0; i < 10; i++) clock.advance(100);
    assert.ok(sent.filter((m) => m.type === 'heartbeat').length >= before + 10, 'heartbeats go on');
  });
});
