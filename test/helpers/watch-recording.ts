/**
 * Hand-made observer recordings (`conclave watch --record` lines) of three voters, for the check of
 * recordings and for the page's replay. Times are ms after T0 on the observer's clock.
 */
import type { WatchRecordLine } from '../../src/contract/watch-record.ts';
import type { NodeId, Role } from '../../src/core/index.ts';

export const REC_T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const LEADER_BEAT_MS = 100;
const MEMBER_BEAT_MS = 1000;

export class WatchRecording {
  readonly lines: WatchRecordLine[] = [];

  /** A changed heartbeat: a leader (leader === node) beats fast, a follower of someone slowly. */
  beat(atMs: number, node: NodeId, role: Role, term: number, leader: NodeId | null, hears: NodeId[]): this {
    const intervalMs = role === 'follower' && leader !== null ? MEMBER_BEAT_MS : LEADER_BEAT_MS;
    this.lines.push({ ts: REC_T0 + atMs, node, role, term, leader, hears, canLead: true, intervalMs, silent: false, lastHeardTs: REC_T0 + atMs });
    return this;
  }

  /** The node fell silent at `atMs`, last heard at `lastHeardMs`. */
  silent(atMs: number, node: NodeId, lastHeardMs: number): this {
    const last = [...this.lines].reverse().find((line) => line.node === node)!;
    this.lines.push({ ...last, ts: REC_T0 + atMs, silent: true, lastHeardTs: REC_T0 + lastHeardMs });
    return this;
  }

  get text(): string {
    return this.lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  }
}

/**
 * n1 leads term 1; it is killed (last heard at 2000, silent at 3000); n2 leads term 2 from 3100;
 * at 5000 n2 hands over to n3 (term 3), whose first leader beat comes 400 ms before n2's next
 * beat says follower (within a member beat: no fault). Ends at 6000 with n3 leading, n2 following.
 */
export function cleanFailover(): WatchRecording {
  return new WatchRecording()
    .beat(0, 1, 'leader', 1, 1, [2, 3])
    .beat(300, 2, 'follower', 1, 1, [1, 3])
    .beat(700, 3, 'follower', 1, 1, [1, 2])
    .beat(2900, 2, 'follower', 1, null, [3])
    .beat(2950, 3, 'follower', 1, null, [2])
    .silent(3000, 1, 2000)
    .beat(3100, 2, 'leader', 2, 2, [3])
    .beat(3150, 3, 'follower', 2, 2, [2])
    .beat(5000, 3, 'leader', 3, 3, [2])
    .beat(5400, 2, 'follower', 3, 3, [3])
    .beat(6000, 3, 'leader', 3, 3, [2]);
}

/** The clean failover, but n1 was not dead: heard again at 3500 leading term 2, n2's term. */
export function twoLeadersInOneTerm(): WatchRecording {
  const recording = cleanFailover();
  recording.beat(3500, 1, 'leader', 2, 1, []).beat(3800, 1, 'follower', 2, 2, [2, 3]);
  recording.lines.sort((a, b) => a.ts - b.ts);
  return recording;
}
