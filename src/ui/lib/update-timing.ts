/**
 * Frame time of one status update, for the benchmark at 100 peers: from just before the
 * snapshot is applied until Svelte has flushed the DOM and the next frame has been rendered. Read it with
 * performance.getEntriesByName('conclave-update').
 */
import { tick } from 'svelte';

export const UPDATE_START_MARK = 'conclave-update-start';
export const UPDATE_MEASURE = 'conclave-update';
/** The newest measures kept: enough for a benchmark, bounded for a page open all day. */
export const MAX_UPDATE_MEASURES = 1000;
const KEEP_AFTER_TRIM = MAX_UPDATE_MEASURES / 2;

let measures = 0;

export async function measureUpdate(apply: () => void): Promise<void> {
  // A hidden tab gets no frames: waiting for one would pile up a promise per status.
  if (document.hidden) {
    apply();
    return;
  }
  const start = performance.mark(UPDATE_START_MARK);
  apply();
  await tick();
  await new Promise<number>((resolve) => requestAnimationFrame(resolve));
  // The frame's style, layout and paint run right after its animation callbacks; a task posted
  // now runs after them, so the measure covers the rendering of this update too.
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
  // From this update's own mark: updates 200 ms apart may overlap when one frame is slow, and the
  // mark's name would then refer to the newer one.
  performance.measure(UPDATE_MEASURE, { start: start.startTime });
  performance.clearMarks(UPDATE_START_MARK);
  if (++measures > MAX_UPDATE_MEASURES) trimMeasures();
}

/** The timeline can only be cleared by name, so the newest half is measured again. */
function trimMeasures(): void {
  const kept = performance.getEntriesByName(UPDATE_MEASURE, 'measure').slice(-KEEP_AFTER_TRIM);
  performance.clearMeasures(UPDATE_MEASURE);
  for (const entry of kept) performance.measure(UPDATE_MEASURE, { start: entry.startTime, duration: entry.duration });
  measures = kept.length;
}
