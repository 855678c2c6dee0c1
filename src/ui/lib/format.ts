/**
 * Numbers and times in words a room full of students can read from a projector. Plain functions
 * of their inputs (no clock, no DOM), so the tests can pin every rule down.
 */
import type { NodeId } from '../../core/messages.ts';

/** What a cell shows when there is no value (no heartbeat yet, a value JSON turned into null). */
export const NO_VALUE = '—';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Infinity and NaN arrive as null once they crossed JSON; both mean "no value" here. */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** "850 ms", "1.2 s", "42 s", "3 min", "2 h 5 min", "3 d". */
export function formatDurationMs(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_VALUE;
  const value = Math.max(0, ms);
  // Round first, then pick the unit, so 999.7 ms reads "1.0 s" and never "1000 ms".
  if (Math.round(value) < SECOND_MS) return `${Math.round(value)} ms`;
  const tenths = Math.round(value / 100) / 10;
  if (tenths < 10) return `${tenths.toFixed(1)} s`;
  const seconds = Math.round(value / SECOND_MS);
  if (seconds < 60) return `${seconds} s`;
  // 59.7 s rounds up to a minute: say "1 min", not "59 s".
  return formatCoarse(Math.max(value, seconds * SECOND_MS));
}

/** A beat interval, as short as it reads: "100 ms", "1 s", "1.5 s" (never "1.0 s"). */
export function formatRateMs(ms: number | null | undefined): string {
  return formatDurationMs(ms).replace(/\.0 s$/, ' s');
}

/** Whole units, rounded down: a relative time must never claim more than has passed. */
function formatCoarse(ms: number): string {
  if (ms < MINUTE_MS) return `${Math.floor(ms / SECOND_MS)} s`;
  if (ms < HOUR_MS) return `${Math.floor(ms / MINUTE_MS)} min`;
  if (ms < DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(ms / DAY_MS)} d`;
}

/** "just now", "3 s ago", "4 min ago": whole seconds, so it changes once a second at most. */
export function formatAgo(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_VALUE;
  if (ms < SECOND_MS) return 'just now';
  return `${formatCoarse(ms)} ago`;
}

/** Local time of day with milliseconds, "13:04:05.067": event order within a second matters. */
export function formatClockTime(epochMs: number): string {
  return `${formatTimeOfDay(epochMs)}.${String(new Date(epochMs).getMilliseconds()).padStart(3, '0')}`;
}

/** Local time of day, "13:04:05". */
export function formatTimeOfDay(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Above this the suspicion level is "certainly gone"; more digits would only add noise. */
const PHI_DISPLAY_MAX = 99.9;

/** Suspicion level phi with one decimal; beyond 99.9 it reads "> 99.9". */
export function formatPhi(phi: number | null | undefined): string {
  if (!isNumber(phi)) return NO_VALUE;
  if (phi > PHI_DISPLAY_MAX) return `> ${PHI_DISPLAY_MAX}`;
  return Math.max(0, phi).toFixed(1);
}

/** "n5": how every ID is written on the page, as in the CLI's output. */
export function nodeLabel(id: NodeId | null | undefined): string {
  return id === null || id === undefined ? 'none' : `n${id}`;
}

/** "n1, n3, n5", or "none". */
export function nodeList(ids: readonly NodeId[]): string {
  return ids.length === 0 ? 'none' : ids.map((id) => nodeLabel(id)).join(', ');
}

/** "1 vote" / "3 votes". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
