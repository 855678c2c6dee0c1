/**
 * Any sequence of messages and ticks, however odd: the core never throws, its term never goes
 * back, its vote in a term never changes, and a vote never leaves before it is persisted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ElectionCause, RejectReason, ResignReason, Role, type Message, type PersistentState } from '../../src/core/index.ts';
import { BOOT, node } from '../helpers/core.ts';

const id = fc.integer({ min: 1, max: 7 }); // 6 and 7 are not voters of the 5-node cluster
const term = fc.integer({ min: 0, max: 6 });
const ids = fc.array(id, { maxLength: 6 });
const header = { from: id, bootId: fc.integer({ min: 1, max: 3 }), term, to: fc.constantFrom(0, 1, 2) };
const cause = fc.constantFrom(...Object.values(ElectionCause));

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ ...header, type: fc.constant('heartbeat' as const), role: fc.constantFrom(...Object.values(Role)), leader: fc.option(id, { nil: null }), round: fc.nat(20), hears: ids, canLead: fc.boolean() }),
  fc.record({ ...header, type: fc.constant('election' as const), cause }),
  fc.record({ ...header, type: fc.constant('answer' as const), leader: fc.option(id, { nil: null }) }),
  fc.record({ ...header, type: fc.constant('vote-request' as const), preVote: fc.boolean(), voteTerm: term, skip: ids, resignedTerm: term, cause }),
  fc.record({ ...header, type: fc.constant('vote' as const), preVote: fc.boolean(), voteTerm: term, granted: fc.boolean(), reason: fc.option(fc.constantFrom(...Object.values(RejectReason)), { nil: null }), retryAfterMs: fc.nat(2000), prefer: fc.option(id, { nil: null }) }),
  fc.record({ ...header, type: fc.constant('coordinator' as const), round: fc.nat(20), cause, votedBy: ids }),
  fc.record({ ...header, type: fc.constant('lease-ack' as const), round: fc.nat(20) }),
  fc.record({ ...header, type: fc.constant('resign' as const), reason: fc.constantFrom(...Object.values(ResignReason)), successor: fc.option(id, { nil: null }) }),
  fc.record({ ...header, type: fc.constant('leave' as const) }),
);

const input = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('step' as const), message, fc.nat(300)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('tick' as const), fc.constant(null), fc.nat(1500)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('resign' as const), fc.constant(null), fc.nat(50)) },
);

describe('core robustness', () => {
  it('never throws, never moves its term back, never changes a vote, never sends a vote unpersisted', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(input, { minLength: 20, maxLength: 200, size: "max" }), (restarted, inputs) => {
        const n = node(1, { persisted: restarted ? { term: 2, votedFor: 3 } : null });
        let now = BOOT;
        let disk: PersistentState | null = restarted ? { term: 2, votedFor: 3 } : null;
        const votes = new Map<number, number>();
        if (disk?.votedFor) votes.set(disk.term, disk.votedFor);
        for (const [kind, m, advanceMs] of inputs) {
          now += advanceMs;
          if (kind === 'step') n.step(m!, now);
          else if (kind === 'tick') n.tick(now);
          else n.resign('requested', now);
          const ready = n.ready();
          const termBefore = disk?.term ?? 0;
          if (ready.persist !== null) {
            assert.ok(ready.persist.term >= (disk?.term ?? 0), 'persisted term went back');
            const earlier = votes.get(ready.persist.term);
            if (earlier !== undefined) assert.equal(ready.persist.votedFor, earlier, 'vote changed within a term');
            if (ready.persist.votedFor !== null) votes.set(ready.persist.term, ready.persist.votedFor);
            disk = ready.persist;
          }
          for (const { message: out } of ready.messages) {
            if (out.type === 'vote' && out.granted && !out.preVote) {
              assert.deepEqual(disk, { term: out.voteTerm, votedFor: out.to }, 'vote sent before it was persisted');
            }
            assert.ok(out.term >= termBefore, 'a message from an older term than already persisted');
          }
          assert.equal(n.term, disk?.term ?? 0, 'in-memory term differs from the persisted one');
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 2000) },
    );
  });
});
