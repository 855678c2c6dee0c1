/**
 * A simulated run's story as each node's event lines, the way `conclave run --json` would print
 * them, so that `conclave check`'s module can judge a simulation as it judges real machines. The
 * header is folded from the core's own events (the simulation's observers see no status line);
 * `quorum` is not known here and is left at 0 of 0, which the check does not read. Times are the
 * simulation's true time after a fixed instant: one clock. Each process starts with a `started`
 * line carrying the term its disk held. A coordinator that steps down after its lease ran out (it
 * was frozen, or its timer fired late) says when the lease ended, as the runtime's `stalled` line
 * would: here in its `demoted` line, as ZooKeeper's does, converted from its clock the way the
 * runtime converts it (now, less how long ago by its own clock). The runtime's other lines
 * (`stalled`, `dropped`, …) are not made up.
 */
import { createLanCore, type CoreEvent, type LanCore, type NodeId, type Role } from '../../src/core/index.ts';
import type { RunOptions, RunResult } from '../../src/sim/run.ts';
import { runSimulation } from '../../src/sim/run.ts';

const EPOCH_MS = Date.UTC(2026, 0, 1);

type Line = Record<string, unknown>;

export function simulateWithEventLines(options: RunOptions): { result: RunResult; lines: Map<NodeId, Line[]> } {
  const lines = new Map<NodeId, Line[]>();
  const state = new Map<NodeId, { role: Role; term: number; leader: NodeId | null }>();
  let nowMs = 0;
  const emit = (node: NodeId, event: string, fields: Record<string, unknown>): void => {
    const { role, term, leader } = state.get(node)!;
    const list = lines.get(node) ?? [];
    lines.set(node, list);
    list.push({ ts: EPOCH_MS + nowMs, event, id: node, role, term, leader, quorum: { have: 0, need: 0 }, ...fields });
  };
  const createCore = options.createCore ?? createLanCore;
  /** Each process's last input time and last lease end, by its own clock. */
  const clocks = new Map<NodeId, LocalClock>();
  const result = runSimulation({
    ...options,
    // `conclave check` reads one log per ID: a second process with a voter's ID would interleave its lines with the voter's.
    impostor: false,
    createCore: (o) => {
      const persistedTerm = o.persisted?.term ?? 0;
      state.set(o.id, { role: 'follower', term: persistedTerm, leader: null });
      emit(o.id, 'started', { persistedTerm });
      const core = createCore(o);
      clocks.set(o.id, watchClock(core, o.nowMs));
      return core;
    },
    watch: (atMs, node, item) => {
      nowMs = atMs;
      options.watch?.(atMs, node, item);
      if (typeof item !== 'string') lineOf(node, item);
    },
  });
  function lineOf(node: NodeId, event: CoreEvent): void {
    const now = state.get(node)!;
    switch (event.type) {
      case 'role-changed':
        now.role = event.role;
        return emit(node, 'role', { previous: event.previous });
      case 'term-changed':
        now.term = event.term;
        return emit(node, 'term', { previous: event.previous });
      case 'leader-changed':
        now.leader = event.leader;
        return emit(node, 'leader', { previous: event.previous });
      case 'elected':
        Object.assign(now, { role: 'leader', term: Math.max(now.term, event.term), leader: node });
        return emit(node, 'elected', { cause: event.cause, votedBy: event.votedBy });
      case 'demoted': {
        const { nowMs: localNowMs, leaseEndMs } = clocks.get(node)!;
        const ranOut = leaseEndMs !== null && leaseEndMs < localNowMs;
        return emit(node, 'demoted', { reason: event.reason, leaseTerm: event.term, ...(ranOut ? { leaseEndedAt: EPOCH_MS + nowMs - (localNowMs - leaseEndMs) } : {}) });
      }
      case 'vote-cast':
        return emit(node, 'vote', { candidate: event.candidate, forTerm: event.term, preVote: event.preVote, granted: event.granted, reason: event.reason });
      default:
        return; // campaigns, challenges, peers, alarms: nothing the check reads
    }
  }
  return { result, lines };
}

interface LocalClock {
  nowMs: number;
  leaseEndMs: number | null;
}

/** Follows a core's clock through its inputs, and its lease's end after each input while it leads. */
function watchClock(core: LanCore, bootMs: number): LocalClock {
  const clock: LocalClock = { nowMs: bootMs, leaseEndMs: null };
  const inputs = core as unknown as Record<'tick' | 'step', (...args: unknown[]) => void>;
  for (const input of ['tick', 'step'] as const) {
    const original = inputs[input].bind(core);
    inputs[input] = (...args: unknown[]) => {
      clock.nowMs = Math.max(clock.nowMs, args.at(-1) as number);
      original(...args);
    };
  }
  const ready = core.ready.bind(core);
  core.ready = () => {
    const drained = ready();
    const view = core.view(clock.nowMs);
    if (view.role === 'leader') clock.leaseEndMs = view.leaseEndMs;
    return drained;
  };
  return clock;
}
