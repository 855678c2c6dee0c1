/**
 * A coordinator that resigns while it stays up (asked to, or suspending) names its successor, as
 * one that stops does: the successor then asks for real votes at once, without a pre-vote, and
 * its voters, released by the resignation, grant them. What a user sees: the `Resign` names the
 * node that takes over, and the handover costs one round trip, not a pre-vote and a vote.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResignReason, type Message, type NodeId } from '../../src/core/index.ts';
import { SimCluster } from '../../src/sim/cluster.ts';

const HOP_MS = 10;

/** Five nodes on a network where every datagram takes exactly HOP_MS, settled on n5. */
function settledOnFive(): SimCluster {
  const sim = new SimCluster({ voters: [1, 2, 3, 4, 5], config: { preempt: false } });
  sim.network.conditions = { lossRate: 0, duplicateRate: 0, delayMinMs: HOP_MS, delayMaxMs: HOP_MS };
  sim.boot();
  assert.ok(sim.runUntil(() => sim.agreedLeader() === 5, 10_000), sim.trace.format());
  sim.runFor(500); // every follower has acknowledged rounds lately: all are fresh
  return sim;
}

describe('a resigning coordinator names its successor', () => {
  for (const reason of [ResignReason.Requested, ResignReason.Suspending] as const) {
    it(`resign('${reason}'): the Resign names n4, which asks for real votes at once and leads five hops later`, () => {
      const sim = settledOnFive();
      const sent: Array<{ from: NodeId; message: Message }> = [];
      sim.onSend((host, outgoing) => sent.push({ from: host.id, message: outgoing.message }));
      const startMs = sim.nowMs;
      sim.resign(5, reason);
      assert.ok(sim.runUntil(() => sim.agreedLeader([1, 2, 3, 4]) === 4, 5000), sim.trace.format());
      const handoverMs = sim.nowMs - startMs;

      const resign = sent.find((s) => s.message.type === 'resign');
      assert.ok(resign?.message.type === 'resign', 'n5 sent a Resign');
      assert.equal(resign.message.successor, 4, 'the Resign names the highest live follower');
      const requests = sent.filter((s) => s.from === 4 && s.message.type === 'vote-request').map((s) => s.message);
      assert.ok(requests.length > 0, 'n4 asked for votes');
      assert.ok(requests.every((m) => m.type === 'vote-request' && !m.preVote), 'the named successor skips the pre-vote');
      const elected = sim.eventsOf(4, 'elected')[0];
      assert.equal(elected?.type === 'elected' && elected.cause, 'resignation');
      // Resign, vote request, vote, Coordinator, acknowledgement: five hops. A pre-vote would add two.
      assert.ok(handoverMs <= 6 * HOP_MS, `handover took ${handoverMs} ms: more than a named successor's five hops`);
      assert.deepEqual(sim.safety.violations, [], sim.violationTrace);
    });
  }
});
