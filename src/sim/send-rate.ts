import type { ElectionConfig, NodeId } from '../core/index.ts';

/** The window datagrams are counted over, as `bench/storm.ts` counts a real node's. */
export const SEND_WINDOW_MS = 10_000;

/**
 * The most a node may send in a window once the cluster has settled, as a multiple of the
 * settled rate (`settledSendsPerSecond`): issue 22's goal, 3 ×. Why 3 is enough for a node doing
 * its job: a settled node sends at most 1000/heartbeatMs datagrams a second for the election (a
 * coordinator's rounds, or a follower's acknowledgements; a follower that loses its coordinator
 * stops acknowledging and beats at the slow rate, as only a coordinator beats fast) plus
 * 1000/memberBeatMs membership beats. A whole election in the
 * window adds at most 3 challenges and vote requests to every other voter, repeated with doubling
 * gaps (docs/protocol.md, "Rates"): fewer than 2 × 99 at 100 voters, under one settled rate over
 * 10 s (110 at the defaults). A second multiple is slack for a greeting per restarted peer.
 * Anything beyond is a node repeating itself: a storm.
 */
export const SEND_RATE_MULTIPLE_MAX = 3;

/** A window shorter than this at the end of a run is not judged: too few datagrams to mean a rate. */
const SHORTEST_JUDGED_WINDOW_MS = 1000;

/** What a node sends per second once settled, the higher of a coordinator's and a follower's. */
export function settledSendsPerSecond(config: Pick<ElectionConfig, 'heartbeatMs' | 'memberBeatMs'>): number {
  return 1000 / config.heartbeatMs + 1000 / config.memberBeatMs;
}

/** The busiest window of one node: how much, when, and what it sent. */
export interface SendWindow {
  node: NodeId;
  fromMs: number;
  untilMs: number;
  sent: number;
  /** `sent` over what the settled rate allows over the same time. */
  multiple: number;
  /** What the node sent in that window, by message type, most first. */
  byType: Array<[string, number]>;
}

/**
 * Every datagram each node sent (attempted: a send the kernel refused counts too, as the real
 * node's attempt does), by time and message type, for the send-rate bound and its report.
 */
export class SendRateMeter {
  private readonly sends = new Map<NodeId, { atMs: number[]; type: string[] }>();

  record(node: NodeId, atMs: number, type: string): void {
    let log = this.sends.get(node);
    if (log === undefined) this.sends.set(node, (log = { atMs: [], type: [] }));
    log.atMs.push(atMs);
    log.type.push(type);
  }

  /**
   * Each node's windows of SEND_WINDOW_MS from `fromMs` to `untilMs` (the last may be shorter,
   * if at least SHORTEST_JUDGED_WINDOW_MS), with `settledPerSecond` as the unit of `multiple`.
   */
  windows(fromMs: number, untilMs: number, settledPerSecondOf: number | ((node: NodeId) => number)): SendWindow[] {
    const out: SendWindow[] = [];
    for (const [node, log] of this.sends) {
      const settledPerSecond = typeof settledPerSecondOf === 'number' ? settledPerSecondOf : settledPerSecondOf(node);
      let i = lowerBound(log.atMs, fromMs);
      for (let start = fromMs; start + SHORTEST_JUDGED_WINDOW_MS <= untilMs; start += SEND_WINDOW_MS) {
        const end = Math.min(untilMs, start + SEND_WINDOW_MS);
        const byType = new Map<string, number>();
        let sent = 0;
        for (; i < log.atMs.length && log.atMs[i]! < end; i++) {
          sent++;
          byType.set(log.type[i]!, (byType.get(log.type[i]!) ?? 0) + 1);
        }
        const multiple = sent / ((settledPerSecond * (end - start)) / 1000);
        out.push({ node, fromMs: start, untilMs: end, sent, multiple, byType: [...byType].sort((a, b) => b[1] - a[1]) });
      }
    }
    return out;
  }

  /** The busiest window of any node in that span, or null if none is long enough. */
  peak(fromMs: number, untilMs: number, settledPerSecond: number | ((node: NodeId) => number)): SendWindow | null {
    let best: SendWindow | null = null;
    for (const w of this.windows(fromMs, untilMs, settledPerSecond)) if (best === null || w.multiple > best.multiple) best = w;
    return best;
  }
}

export function describeWindow(w: SendWindow, settledPerSecond: number): string {
  const seconds = (w.untilMs - w.fromMs) / 1000;
  return (
    `n${w.node} sent ${w.sent} datagrams in ${seconds.toFixed(1)} s from ${(w.fromMs / 1000).toFixed(1)} s ` +
    `(${w.multiple.toFixed(1)} × the settled ${settledPerSecond.toFixed(0)}/s; bound ${SEND_RATE_MULTIPLE_MAX} ×): ` +
    w.byType.map(([type, n]) => `${n} ${type}`).join(', ')
  );
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
