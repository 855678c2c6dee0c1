/**
 * A node frozen with SIGSTOP (as a long GC pause, a paused VM or a suspend would freeze it) says
 * so when it wakes: a follower, and a coordinator whose lease ran out while it was frozen. Three
 * real `conclave run` processes (dist/) on test hosts made of network namespaces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeEventOf } from '../../src/contract/events.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { assertDurableTermsAndVotes, assertLogFilesPass, assertNoOverlap } from './checks.ts';
import { Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const FREEZE_MS = 2000;
const LEASE_MS = 900; // the default timings: heartbeat 100 ms, timeout 1000 ms
/** How much later than the test's SIGCONT a woken node may run on a loaded 2-core machine. */
const WAKE_SLACK_MS = 1000;
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

/** Stops node `id` for FREEZE_MS; returns when it was stopped and continued (wall clock). */
async function freeze(lab: Lab, id: number): Promise<{ stoppedAt: number; continuedAt: number }> {
  const child = lab.node(id).process!;
  child.kill('SIGSTOP');
  const stoppedAt = Date.now();
  lab.note(`SIGSTOP n${id}`);
  await new Promise((resolve) => setTimeout(resolve, FREEZE_MS));
  child.kill('SIGCONT');
  lab.note(`SIGCONT n${id}`);
  return { stoppedAt, continuedAt: Date.now() };
}

function stalledLine(lab: Lab, id: number, since: number): NodeEventOf<'stalled'> | undefined {
  return lab.node(id).current.filter(isEvent('stalled')).find((e) => e.ts >= since);
}

describe('a frozen node', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('says how long it was frozen when it wakes; a coordinator, that its lease ran out meanwhile', async () => {
    const lab = Lab.create(3);
    try {
      lab.startAll();
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 10_000);

      // A follower: frozen, then heard again; it never led.
      const follower = await freeze(lab, 1);
      await lab.waitFor('n1 says it stalled', () => stalledLine(lab, 1, follower.stoppedAt) !== undefined, 5000);
      const quiet = stalledLine(lab, 1, follower.stoppedAt)!;
      const heldMs = follower.continuedAt - follower.stoppedAt;
      assert.ok(quiet.durationMs >= 1500, `n1 says it was frozen ${quiet.durationMs} ms; it was for ${heldMs} ms`);
      assert.ok(quiet.durationMs <= heldMs + WAKE_SLACK_MS, `n1 says ${quiet.durationMs} ms, held ${heldMs} ms`);
      assert.equal(quiet.wasLeader, false);
      assert.equal(quiet.leaseLost, false);
      assert.equal(quiet.leaseEndedAt, null);
      assert.equal(lab.node(3).events.filter((e) => e.event === 'stalled').length, 0, 'the coordinator was never frozen');

      // The coordinator: frozen longer than its lease. The others elect n2 meanwhile.
      await lab.waitFor('all agree on n3 again', () => lab.agreed() === 3, 10_000);
      const leader = await freeze(lab, 3);
      await lab.waitFor('n3 says it stalled', () => stalledLine(lab, 3, leader.stoppedAt) !== undefined, 5000);
      const woke = stalledLine(lab, 3, leader.stoppedAt)!;
      assert.ok(woke.durationMs >= 1500, `n3 says it was frozen ${woke.durationMs} ms`);
      assert.equal(woke.wasLeader, true);
      assert.equal(woke.leaseLost, true, 'its stall outlasted its lease');
      const leaseEndedAt = woke.leaseEndedAt!;
      // The lease counts from a round sent before the SIGSTOP, and the node converts its end to the
      // wall clock from two consecutive clock readings: the 100 ms are for rounding and the clocks'
      // rates, not for load (a late wake or line moves neither this nor stoppedAt earlier).
      assert.ok(leaseEndedAt <= leader.stoppedAt + LEASE_MS + 100, `its lease ended ${leaseEndedAt - leader.stoppedAt} ms after it was stopped`);
      // Said first, before it stepped down: the line explains the demotion that follows.
      const after = lab.node(3).current.filter((e) => e.ts >= leader.stoppedAt);
      const demoted = after.findIndex((e) => e.event === 'demoted');
      const story = after.map((e) => `${e.event}${e.event === 'stalled' ? ` ${e.durationMs} ms` : ''} at +${e.ts - leader.stoppedAt} ms`).join(', ');
      assert.ok(demoted > after.indexOf(woke), `stalled, then demoted: ${story}`);
      const demotion = after[demoted];
      assert.ok(demotion?.event === 'demoted');
      assert.equal(demotion.reason, 'lease-expired');
      // No one else led before the frozen coordinator's lease had ended.
      const elected = lab.node(2).events.find((e) => e.event === 'elected' && e.ts >= leader.stoppedAt);
      assert.ok(elected !== undefined, 'n2 took over during the freeze');
      assert.ok(elected.ts > leaseEndedAt, `n2 elected ${elected.ts - leaseEndedAt} ms after n3's lease ended`);
      assertDurableTermsAndVotes(lab);
      // The frozen coordinator's lease ends where its stalled line says, before n2's election. Its
      // demoted line says so too, converted from the monotonic clock at another instant: a
      // millisecond or two of rounding apart.
      const n3Lease = assertNoOverlap(lab).find((lease) => lease.node === 'n3' && lease.from < leader.stoppedAt)!;
      assert.ok(Math.abs(n3Lease.to - leaseEndedAt) <= 2, `the check ends n3's lease at ${n3Lease.to}, its stalled line at ${leaseEndedAt}`);
      assertLogFilesPass(lab);
      console.log(
        `measured: frozen ${FREEZE_MS} ms; n1 said ${quiet.durationMs} ms (held ${heldMs} ms); n3 said ${woke.durationMs} ms, ` +
          `its lease ended ${leaseEndedAt - leader.stoppedAt} ms after SIGSTOP, n2 elected ${elected.ts - leader.stoppedAt} ms after`,
      );
    } finally {
      for (const node of lab.nodes) node.process?.kill('SIGCONT'); // a stopped process cannot die of SIGTERM
      lab.destroy();
    }
  });
});
