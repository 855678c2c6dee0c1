/**
 * Any sequence of messages and ticks, however odd, to a node of any ID of a 5-node cluster: the
 * core never throws, its term never goes back, its vote in a term never changes, a vote never
 * leaves before it is persisted, it leads only with a quorum of real votes, its lease is always
 * backed by a quorum's acknowledgement of a round sent less than `leaseMs` ago, and `resign`
 * really gives leadership up. Besides arbitrary messages, the inputs include peers that answer
 * the node's own vote requests and lease rounds, so that a good share of runs reaches leadership
 * (counted, and asserted: a generator that never gets there proves nothing about a leader).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ElectionCause, RejectReason, ResignReason, Role, resolveConfig, type Message, type NodeId, type PersistentState, type VoteRequest } from '../../src/core/index.ts';
import { BOOT, node } from '../helpers/core.ts';
import { fcRuns } from '../helpers/fc-runs.ts';

const SIZE = 5;
const VOTERS = [1, 2, 3, 4, 5];
const QUORUM = 3;
const { leaseMs } = resolveConfig({ clusterSize: SIZE });
const RUNS = fcRuns('the robustness property', 2000);

const anyId = fc.integer({ min: 1, max: 7 }); // 6 and 7 are not voters of the 5-node cluster
const term = fc.integer({ min: 0, max: 6 });
const ids = fc.array(anyId, { maxLength: 6 });
const cause = fc.constantFrom(...Object.values(ElectionCause));
/** One of the four other voters, by index. */
const otherVoter = fc.integer({ min: 0, max: SIZE - 2 });

/** Arbitrary messages; the ones "from" the node's own ID carry its boot ID (see `stamp`). */
function messageTo(self: NodeId): fc.Arbitrary<Message> {
  const header = { from: anyId, bootId: fc.integer({ min: 1, max: 3 }), term, to: fc.constantFrom(0, 0, self, (self % SIZE) + 1) };
  return fc.oneof(
    fc.record({ ...header, type: fc.constant('heartbeat' as const), role: fc.constantFrom(...Object.values(Role)), leader: fc.option(anyId, { nil: null }), round: fc.nat(20), hears: ids, canLead: fc.boolean(), intervalMs: fc.constantFrom(100, 1000, 5000) }),
    fc.record({ ...header, type: fc.constant('election' as const), cause }),
    fc.record({ ...header, type: fc.constant('answer' as const), leader: fc.option(anyId, { nil: null }) }),
    fc.record({ ...header, type: fc.constant('vote-request' as const), preVote: fc.boolean(), voteTerm: term, skip: ids, resignedTerm: term, resignedBoot: fc.nat(), cause }),
    fc.record({ ...header, type: fc.constant('vote' as const), preVote: fc.boolean(), voteTerm: term, granted: fc.boolean(), reason: fc.option(fc.constantFrom(...Object.values(RejectReason)), { nil: null }), retryAfterMs: fc.nat(2000), prefer: fc.option(anyId, { nil: null }) }),
    fc.record({ ...header, type: fc.constant('coordinator' as const), round: fc.nat(20), cause, votedBy: ids }),
    fc.record({ ...header, type: fc.constant('lease-ack' as const), round: fc.nat(20) }),
    fc.record({ ...header, type: fc.constant('resign' as const), reason: fc.constantFrom(...Object.values(ResignReason)), successor: fc.option(anyId, { nil: null }) }),
    fc.record({ ...header, type: fc.constant('leave' as const) }),
  );
}

type Input =
  | { kind: 'step'; message: Message; advanceMs: number }
  | { kind: 'tick'; advanceMs: number }
  | { kind: 'resign'; advanceMs: number }
  /** The other voters (each, or not) send a heartbeat: they hear everyone, may or may not lead. */
  | { kind: 'chorus'; senders: boolean[]; canLead: boolean[]; advanceMs: number }
  /** A voter answers the node's latest vote request. */
  | { kind: 'reply'; voter: number; granted: boolean; advanceMs: number }
  /** A voter acknowledges the node's latest lease round, or one before it or after it. */
  | { kind: 'ack'; voter: number; roundOffset: number; advanceMs: number };

function inputTo(self: NodeId): fc.Arbitrary<Input> {
  const flags = fc.array(fc.boolean(), { minLength: SIZE - 1, maxLength: SIZE - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('step' as const), message: messageTo(self), advanceMs: fc.nat(300) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), advanceMs: fc.nat(1500) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resign' as const), advanceMs: fc.nat(50) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('chorus' as const), senders: flags, canLead: flags, advanceMs: fc.nat(150) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reply' as const), voter: otherVoter, granted: fc.nat(3).map((n) => n > 0), advanceMs: fc.nat(60) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), voter: otherVoter, roundOffset: fc.constantFrom(0, 0, 0, -1, -3, -10, 1), advanceMs: fc.nat(60) }) },
  );
}

const scenario = fc.integer({ min: 1, max: SIZE }).chain((self) =>
  fc.record({
    self: fc.constant(self),
    restarted: fc.boolean(),
    /** In about one run in ten, another process with our ID (another boot ID) speaks too. */
    impostor: fc.nat(9).map((n) => n === 0),
    inputs: fc.array(inputTo(self), { minLength: 20, maxLength: 200, size: 'max' }),
  }),
);

describe('core robustness', () => {
  it('never throws, never moves its term back, never changes a vote, never sends a vote unpersisted; leads and holds a lease only with a quorum; resigning gives up the lease', () => {
    const seen = { runs: 0, led: 0, resigned: 0 };
    fc.assert(
      fc.property(scenario, ({ self, restarted, impostor, inputs }) => {
        const persisted = restarted ? { term: 2, votedFor: 3 } : null;
        const n = node(self, { persisted });
        const others = VOTERS.filter((id) => id !== self);
        let now = BOOT;
        let disk: PersistentState | null = persisted;
        const votes = new Map<number, number>();
        if (disk?.votedFor) votes.set(disk.term, disk.votedFor);
        // What the node sent and was told, for the checks and for the answering peers.
        let lastRequest: VoteRequest | null = null;
        let lastRound: { term: number; round: number } | null = null;
        const rounds = new Map<string, { sentAtMs: number; ackedBy: Set<NodeId> }>();
        // Acknowledgements of a round not seen yet: the node may have opened it while handling this
        // very input (timers fire before the message is taken), so they count if it did.
        const early = new Map<string, { atMs: number; ackedBy: Set<NodeId> }>();
        const grantsByTerm = new Map<number, Set<NodeId>>();
        let led = false;
        let resigned = false;

        /** Our own ID's messages carry our boot ID, except an impostor's. */
        const stamp = (m: Message): Message => (m.from === self && !impostor ? { ...m, bootId: n.bootId } : m);
        const deliver = (m: Message): void => {
          const addressed = m.to === 0 || m.to === self;
          if (addressed && m.from !== self && VOTERS.includes(m.from)) {
            if (m.type === 'vote' && !m.preVote && m.granted) {
              grantsByTerm.set(m.voteTerm, (grantsByTerm.get(m.voteTerm) ?? new Set()).add(m.from));
            }
            // An acknowledgement counts only for a round sent, in the term it was sent.
            if (m.type === 'lease-ack' && m.term === n.term) {
              const key = `${m.term}/${m.round}`;
              const round = rounds.get(key);
              if (round !== undefined) round.ackedBy.add(m.from);
              else {
                if (early.get(key)?.atMs !== now) early.set(key, { atMs: now, ackedBy: new Set() });
                early.get(key)!.ackedBy.add(m.from);
              }
            }
          }
          n.step(m, now);
        };

        for (const input of inputs) {
          now += input.advanceMs;
          let resignedAsLeader = false;
          switch (input.kind) {
            case 'step':
              deliver(stamp(input.message));
              break;
            case 'tick':
              n.tick(now);
              break;
            case 'resign':
              // Timers due first (the lease may run out just now), so that we know whether it led.
              n.tick(now);
              resignedAsLeader = n.role === Role.Leader;
              n.resign(ResignReason.Requested, now);
              break;
            case 'chorus':
              others.forEach((from, i) => {
                if (!input.senders[i]) return;
                const hears = VOTERS.filter((id) => id !== from);
                deliver({ type: 'heartbeat', from, bootId: 7000 + from, term: n.term, to: 0, role: Role.Follower, leader: null, round: 0, hears, canLead: input.canLead[i]!, intervalMs: 100 });
              });
              break;
            case 'reply': {
              if (lastRequest === null) break;
              const from = others[input.voter]!;
              const { preVote, voteTerm } = lastRequest;
              deliver({
                type: 'vote', from, bootId: 7000 + from, term: preVote ? lastRequest.term : voteTerm, to: self, preVote, voteTerm,
                granted: input.granted, reason: input.granted ? null : RejectReason.AlreadyVoted, retryAfterMs: 0, prefer: null,
              });
              break;
            }
            case 'ack': {
              if (lastRound === null) break;
              const from = others[input.voter]!;
              deliver({ type: 'lease-ack', from, bootId: 7000 + from, term: lastRound.term, to: self, round: lastRound.round + input.roundOffset });
              break;
            }
          }

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
              assert.deepEqual({ term: disk?.term, votedFor: disk?.votedFor }, { term: out.voteTerm, votedFor: out.to }, 'vote sent before it was persisted');
            }
            assert.ok(out.term >= termBefore, 'a message from an older term than already persisted');
            if (out.type === 'vote-request') lastRequest = out;
            const round = out.type === 'coordinator' || (out.type === 'heartbeat' && out.round > 0) ? out.round : 0;
            if (round > 0) {
              lastRound = { term: out.term, round };
              const key = `${out.term}/${round}`;
              const ackedBy = early.get(key)?.atMs === now ? early.get(key)!.ackedBy : new Set<NodeId>();
              rounds.set(key, { sentAtMs: now, ackedBy });
            }
          }
          assert.equal(n.term, disk?.term ?? 0, 'in-memory term differs from the persisted one');

          if (n.role === Role.Leader) {
            led = true;
            const grants = grantsByTerm.get(n.term)?.size ?? 0;
            assert.ok(grants + 1 >= QUORUM, `leads term ${n.term} with ${grants} real votes besides its own`);
          }
          if (n.hasLease(now)) {
            const backed = [...rounds].some(([key, r]) => key.startsWith(`${n.term}/`) && r.sentAtMs + leaseMs > now && r.ackedBy.size + 1 >= QUORUM);
            assert.ok(backed, `a lease at ${now} in term ${n.term} that no quorum acknowledged a round for in the last ${leaseMs} ms`);
          }
          if (resignedAsLeader) {
            resigned = true;
            assert.equal(n.role, Role.Follower, 'still leads after resigning');
            assert.equal(n.hasLease(now), false, 'still holds a lease after resigning');
            assert.ok(ready.messages.some(({ message: out }) => out.type === 'resign' && out.term === n.term), 'resigned without telling anyone');
          }
        }
        seen.runs++;
        if (led) seen.led++;
        if (resigned) seen.resigned++;
      }),
      { numRuns: RUNS },
    );
    console.log(`${seen.runs} runs: ${seen.led} reached leadership, ${seen.resigned} resigned as leader`);
    // The share that reaches leadership is what makes the leader's checks above mean anything.
    assert.ok(seen.led >= seen.runs / 4, `only ${seen.led} of ${seen.runs} runs reached leadership`);
    assert.ok(seen.resigned >= seen.runs / 10, `only ${seen.resigned} of ${seen.runs} runs resigned as leader`);
  });
});
