/**
 * The heartbeat chart's data: uPlot wants one shared x axis, but every peer's heartbeats arrive
 * at their own moments. Arrivals go into fixed time bins (100 ms over a minute: ~600 points,
 * finer than a pixel column of a projected chart), keeping the longest gap of each bin so a late
 * heartbeat is never averaged away. The work and the memory depend on peers × bins, not on how
 * many heartbeats arrived.
 */
import type { NodeId } from '../../core/messages.ts';
import type { HeartbeatWindow } from './heartbeat-window.ts';

/** Not finer than this: more points would not show and would cost drawing time. */
export const MIN_BIN_MS = 50;
/** Bins per window: about one per pixel column of a wide chart. */
export const BINS_PER_WINDOW = 600;

export function binSizeMs(historyMs: number): number {
  return Math.max(MIN_BIN_MS, Math.ceil(historyMs / BINS_PER_WINDOW));
}

/** uPlot's AlignedData: x in seconds since the epoch, then one y array per peer. */
export type ChartData = [xs: number[], ...ys: Array<Array<number | null>>];

export interface ChartFrame {
  data: ChartData;
  /** Arrivals inside the window, over all plotted peers. */
  plotted: number;
  /** The longest gap plotted (ms), 0 without data: the y axis must reach it. */
  maxIntervalMs: number;
  /** The shortest gap plotted (ms), Infinity without data. */
  minIntervalMs: number;
}

/**
 * @param peers the plotted peers, in series order
 * @param endMs the right edge, on the node's clock
 */
export function buildChartFrame(window: HeartbeatWindow, peers: readonly NodeId[], endMs: number, historyMs: number): ChartFrame {
  const binMs = binSizeMs(historyMs);
  // Bins aligned to multiples of binMs, so a point stays put as the window slides.
  const firstBinMs = Math.floor((endMs - historyMs) / binMs) * binMs;
  const binCount = Math.floor((endMs - firstBinMs) / binMs) + 1;
  const xs = new Array<number>(binCount);
  for (let i = 0; i < binCount; i++) xs[i] = (firstBinMs + i * binMs) / 1000;
  const startMs = endMs - historyMs;
  let plotted = 0;
  let maxIntervalMs = 0;
  let minIntervalMs = Infinity;
  const series: Array<Array<number | null>> = peers.map((peer) => {
    const ys = new Array<number | null>(binCount).fill(null);
    window.forEachSince(peer, startMs, (atMs, intervalMs) => {
      if (atMs > endMs) return;
      const bin = Math.floor((atMs - firstBinMs) / binMs);
      const previous = ys[bin];
      if (previous === null || previous === undefined || intervalMs > previous) ys[bin] = intervalMs;
      plotted++;
      if (intervalMs > maxIntervalMs) maxIntervalMs = intervalMs;
      if (intervalMs < minIntervalMs) minIntervalMs = intervalMs;
    });
    return ys;
  });
  return { data: [xs, ...series], plotted, maxIntervalMs, minIntervalMs };
}

/** The largest 1, 2 or 5 × 10ⁿ not above `value` (value > 0). */
export function niceFloor(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  for (const step of [5, 2, 1]) if (step * decade <= value) return step * decade;
  return decade;
}

/** Whether `value` is 1, 2 or 5 × 10ⁿ: the only ticks of the log axis that get a label. */
export function isNiceTick(value: number): boolean {
  if (!(value > 0)) return false;
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  return [1, 2, 5].some((step) => Math.abs(mantissa - step) < 1e-6);
}

/**
 * The y axis, logarithmic: the coordinator's rounds every ~100 ms, the followers' member beats
 * every ~1 s and the silence limits above them (1 s and 3 s by default) all need room, and on a
 * log scale the jitter of each and the margin to its limit are all visible. From a round value
 * below the shortest gap (and the fastest rate) to above the longest limit (or the longest gap,
 * if it exceeded that), so every dashed limit line is always in view.
 *
 * @param limitsMs the silence limits drawn (one number: the single timeout of older dashboards)
 * @param ratesMs the announced beat intervals marked on the chart
 */
export function yRangeMs(limitsMs: number | readonly number[], minIntervalMs: number, maxIntervalMs: number, ratesMs: readonly number[] = []): [number, number] {
  const limits = (typeof limitsMs === 'number' ? [limitsMs] : limitsMs).filter((ms) => Number.isFinite(ms) && ms > 0);
  const lowestLimit = limits.length === 0 ? 1_000 : Math.min(...limits);
  const highestLimit = limits.length === 0 ? 1_000 : Math.max(...limits);
  const fastest = Math.min(Infinity, ...ratesMs.filter((ms) => Number.isFinite(ms) && ms > 0));
  const low = niceFloor(Math.max(1, Math.min(Number.isFinite(minIntervalMs) ? minIntervalMs * 0.7 : Infinity, fastest * 0.7, lowestLimit / 20)));
  const high = Math.max(highestLimit * 1.4, maxIntervalMs * 1.3);
  return [low, Math.ceil(high)];
}

/**
 * Twelve hues, mid-lightness and saturated so each reads on a white and on a near-black
 * background alike; after that, golden-angle hues at the same lightness.
 */
export const PEER_PALETTE = [
  '#3d85e0',
  '#f08c2e',
  '#2fae8f',
  '#e0497a',
  '#8d6be8',
  '#b9a01c',
  '#20a8cf',
  '#d9603b',
  '#6aab34',
  '#c25ec9',
  '#7c8fa6',
  '#e2b33b',
] as const;

export function peerColor(index: number): string {
  if (index < PEER_PALETTE.length) return PEER_PALETTE[index]!;
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 62% 55%)`;
}

/** "3,5,7": when this changes, the chart is built anew (series cannot be swapped cheaply). */
export function peerSetKey(peers: readonly NodeId[]): string {
  return [...peers].sort((a, b) => a - b).join(',');
}
