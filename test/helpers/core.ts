/**
 * Builders for core-level interaction tests: one node, scripted messages, expected outputs
 * (in the manner of etcd raft's interaction tests).
 */
import { ElectionNode } from '../../src/core/node.ts';
import {
  Role,
  resolveConfig,
  type Body,
  type ElectionConfigInput,
  type Message,
  type NodeId,
  type Outgoing,
  type PersistentState,
  type Ready,
} from '../../src/core/index.ts';

export const BOOT = 1000; // local clock at boot in these tests

export function node(
  id: NodeId,
  options: { size?: number; config?: Partial<ElectionConfigInput>; persisted?: PersistentState | null; nowMs?: number } = {},
): ElectionNode {
  const config = resolveConfig({ clusterSize: options.size ?? 5, ...options.config });
  return new ElectionNode({
    id,
    config,
    bootId: 7000 + id,
    nowMs: options.nowMs ?? BOOT,
    persisted: options.persisted ?? null,
    random: () => 0.5,
  });
}

/** A message from `from` (boot ID 7000 + from) in `term`, addressed to everyone unless `to`. */
export function msg<M extends Message>(from: NodeId, term: number, body: Body<M>, to: NodeId = 0): M {
  return { ...body, from, bootId: 7000 + from, term, to } as M;
}

export function heartbeat(
  from: NodeId,
  term: number,
  fields: Partial<Body<Extract<Message, { type: 'heartbeat' }>>> = {},
): Message {
  return msg(from, term, {
    type: 'heartbeat',
    role: Role.Follower,
    leader: null,
    round: 0,
    hears: [],
    canLead: true,
    intervalMs: 100,
    ...fields,
  });
}

export function leaderRound(from: NodeId, term: number, round: number, hears: NodeId[] = []): Message {
  return heartbeat(from, term, { role: Role.Leader, leader: from, round, hears });
}

export function voteRequest(
  from: NodeId,
  term: number,
  voteTerm: number,
  options: { preVote?: boolean; skip?: NodeId[]; resignedTerm?: number; resignedBoot?: number } = {},
): Message {
  return msg(from, term, {
    type: 'vote-request',
    preVote: options.preVote ?? false,
    voteTerm,
    skip: options.skip ?? [],
    resignedTerm: options.resignedTerm ?? 0,
    resignedBoot: options.resignedBoot ?? 0,
    cause: 'failover',
  });
}

/** Messages of one type in a Ready. */
export function sent<T extends Message['type']>(ready: Ready, type: T): Array<Outgoing & { message: Extract<Message, { type: T }> }> {
  return ready.messages.filter((o) => o.message.type === type) as Array<Outgoing & { message: Extract<Message, { type: T }> }>;
}

/** Makes `peers` known to `n` as live, eligible and hearing everyone, at time `nowMs`. */
export function hearPeers(n: ElectionNode, peers: NodeId[], nowMs: number, term = 0): void {
  const everyone = [n.id, ...peers];
  for (const p of peers) n.step(heartbeat(p, term, { hears: everyone.filter((x) => x !== p) }), nowMs);
}

/**
 * Wakes `n` at each of its deadlines before `untilMs`, as a driver's timer does. A node given no
 * input for longer than its answer timeout past a deadline takes itself for stalled, and reads
 * what comes next as its queue draining (docs/protocol.md, "Late rounds").
 */
export function idleUntil(n: ElectionNode, untilMs: number): void {
  for (let at = n.nextDeadlineMs(), steps = 0; at < untilMs && steps < 100_000; at = Math.max(n.nextDeadlineMs(), at + 1), steps++) n.tick(at);
  n.ready();
}
