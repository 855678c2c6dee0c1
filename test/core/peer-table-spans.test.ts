/**
 * The peer table keeps what its passes over every peer found between inputs (state changes, alive
 * counts, the next deadline) until a peer is heard or a deadline passes. Whatever the inputs, it
 * must answer as a fresh pass would: every peer's state brought up to date by `refresh`, the
 * counts and the deadline those of every peer looked at now.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveConfig, Role, type Message, type NodeId } from '../../src/core/index.ts';
import { PeerTable } from '../../src/core/peers.ts';
import { fcRuns } from '../helpers/fc-runs.ts';

const IDS = [1, 2, 3, 4, 5, 6] as const;

type Step =
  | { kind: 'heartbeat'; from: NodeId; intervalMs: number; hears: NodeId[]; afterMs: number }
  | { kind: 'coordinator' | 'leave' | 'restart'; from: NodeId; afterMs: number }
  | { kind: 'excuse'; stallMs: number; afterMs: number }
  | { kind: 'tick'; afterMs: number };

const id = fc.constantFrom(...IDS);
const afterMs = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 4000, noNaN: true }));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), from: id, intervalMs: fc.constantFrom(100, 500, 1000), hears: fc.subarray([...IDS]), afterMs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('coordinator' as const, 'leave' as const, 'restart' as const), from: id, afterMs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('excuse' as const), stallMs: fc.integer({ min: 1, max: 3000 }), afterMs }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), afterMs }) },
);

function message(s: Step & { from: NodeId }, bootOf: Map<NodeId, number>, nowMs: number): Message {
  const header = { from: s.from, bootId: bootOf.get(s.from) ?? 1, term: 1, to: 0, sentAtMs: Math.floor(nowMs) + 1 };
  if (s.kind === 'heartbeat') return { ...header, type: 'heartbeat', role: Role.Follower, leader: null, round: 0, hears: s.hears, canLead: true, intervalMs: s.intervalMs };
  if (s.kind === 'coordinator') return { ...header, type: 'coordinator', round: 1, cause: 'failover', votedBy: [s.from] } as Message;
  return { ...header, type: 'leave' };
}

describe('peer table between inputs', () => {
  it('answers as a pass over every peer would, whatever was heard, excused or timed out', () => {
    const config = resolveConfig({ clusterSize: IDS.length, suspectPhi: 3 });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
        const table = new PeerTable(config);
        const bootOf = new Map<NodeId, number>();
        let nowMs = 1000;
        for (const s of steps) {
          nowMs += s.afterMs;
          if (s.kind === 'excuse') table.excuse(nowMs - s.stallMs, s.stallMs, nowMs);
          else if (s.kind === 'restart') bootOf.set(s.from, (bootOf.get(s.from) ?? 1) + 1);
          else if (s.kind !== 'tick') table.observe(message(s, bootOf, nowMs), nowMs);
          table.refresh(nowMs);
          const peers = [...table.all()];
          for (const peer of peers) assert.equal(peer.state, table.stateOf(peer, nowMs), `n${peer.id} at ${nowMs} ms`);
          for (const above of [0, 3]) {
            const alive = peers.filter((peer) => peer.id > above && table.isAlive(peer, nowMs)).length;
            assert.equal(table.aliveCount(nowMs, above), alive, `alive above ${above} at ${nowMs} ms`);
          }
          const deadlines = peers.flatMap((peer) => [table.deadMs(peer), peer.aliveSinceMs + config.dampingMs]).filter((at) => at > nowMs);
          assert.equal(table.nextDeadlineMs(nowMs), Math.min(Infinity, ...deadlines), `next deadline at ${nowMs} ms`);
        }
      }),
      { numRuns: fcRuns('the peer table between inputs', 300) },
    );
  });
});
