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
  | { kind: 'heartbeat'; from: NodeId; hears: NodeId[]; afterMs: number }
  | { kind: 'coordinator' | 'leave' | 'restart'; from: NodeId; afterMs: number }
  | { kind: 'excuse'; stallMs: number; afterMs: number }
  | { kind: 'tick'; afterMs: number };

const id = fc.constantFrom(...IDS);
const afterMs = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 150 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 4000, noNaN: true }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('heartbeat' as const), from: id, hears: fc.subarray([...IDS]), afterMs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('coordinator' as const, 'leave' as const, 'restart' as const), from: id, afterMs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('excuse' as const), stallMs: fc.integer({ min: 1, max: 3000 }), afterMs }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('tick' as const), afterMs }) },
);

function message(s: Step & { from: NodeId }, bootOf: Map<NodeId, number>, nowMs: number): Message {
  const header = { from: s.from, bootId: bootOf.get(s.from) ?? 1, term: 1, to: 0, sentAtMs: Math.floor(nowMs) + 1 };
  // Node 1 beats fast, as a coordinator does; the others at the slow rate.
  const intervalMs = s.from === 1 ? 100 : 1000;
  if (s.kind === 'heartbeat') return { ...header, type: 'heartbeat', role: Role.Follower, leader: null, round: 0, hears: s.hears, canLead: true, intervalMs };
  if (s.kind === 'coordinator') return { ...header, type: 'coordinator', round: 1, cause: 'failover', votedBy: [s.from] } as Message;
  return { ...header, type: 'leave' };
}

describe('peer table between inputs', () => {
  it('answers as a pass over every peer would, whatever was heard, excused or timed out', () => {
    const config = resolveConfig({ clusterSize: IDS.length, suspectPhi: 3 });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), (steps) => {
        const table = new PeerTable(config);
        const bootOf = new Map<NodeId, number>();
        let nowMs = 1000;
        for (const s of steps) {
          nowMs += s.afterMs;
          if (s.kind === 'excuse') table.excuse(nowMs - s.stallMs, s.stallMs, nowMs);
          else if (s.kind === 'restart') bootOf.set(s.from, (bootOf.get(s.from) ?? 1) + 1);
          else if (s.kind !== 'tick') table.observe(message(s, bootOf, nowMs), nowMs);
          const peers = [...table.all()];
          // Refreshed on ticks only, so that a peer is also heard between an excuse and the refresh after it.
          if (s.kind === 'tick') {
            table.refresh(nowMs);
            for (const peer of peers) assert.equal(peer.state, table.stateOf(peer, nowMs), `n${peer.id} at ${nowMs} ms`);
          }
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

  it('declares a silent peer suspect and dead on time while a coordinator keeps beating', () => {
    const config = resolveConfig({ clusterSize: 3, suspectPhi: 3 });
    const table = new PeerTable(config);
    const beat = (from: NodeId, intervalMs: number, nowMs: number): Message =>
      ({ from, bootId: 1, term: 1, to: 0, sentAtMs: nowMs, type: 'heartbeat', role: Role.Follower, leader: null, round: 0, hears: [], canLead: true, intervalMs });
    // The slow peer is heard first, so that the coordinator's span, the shorter, is the one kept apart.
    table.observe(beat(2, 1000, 1000), 1000);
    table.observe(beat(3, 100, 1000), 1000);
    const changes: string[] = [];
    for (let nowMs = 1000; nowMs <= 6000; nowMs += 100) {
      table.observe(beat(3, 100, nowMs), nowMs);
      for (const { peer, change } of table.refresh(nowMs)) changes.push(`${nowMs} n${peer} ${change}`);
      for (const peer of table.all()) assert.equal(peer.state, table.stateOf(peer, nowMs), `n${peer.id} at ${nowMs} ms`);
    }
    assert.deepEqual(changes.map((c) => c.split(' ').slice(1).join(' ')), ['n2 suspected', 'n2 dead']);
  });
});
