import { TestTimeoutError } from './errors.ts';

/** How often a wait on real nodes looks again: a few times per 50 ms heartbeat round. */
const POLL_MS = 10;

/**
 * Polls `value` until it is not null, for at most `withinMs` of wall time; then fails with
 * `describe()`'s account of what it saw. Leaves no timer behind either way.
 */
export async function waitUntil<T>(value: () => T | null, withinMs: number, what: string, describe: () => string): Promise<T> {
  const deadlineMs = performance.now() + withinMs;
  for (;;) {
    const found = value();
    if (found !== null) return found;
    if (performance.now() >= deadlineMs) throw new TestTimeoutError(`no ${what} within ${withinMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
