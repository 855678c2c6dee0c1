/**
 * The page's one store: applies the node's messages. A hello replaces everything (every
 * connection, and every reconnection, starts with one); a status replaces the snapshot and adds
 * the heartbeats since the last; an event goes on top of the timeline.
 *
 * Snapshots are `$state.raw`: they are replaced whole five times a second, so deep proxies
 * over 100 peers would cost time and buy nothing.
 */
import type { ControlsInfo, DashboardMessage, HeartbeatSample } from '../../dashboard/messages.ts';
import type { RuntimeStatus } from '../../contract/status.ts';
import { ClockOffsetEstimator } from './clock-offset.ts';
import { HeartbeatWindow } from './heartbeat-window.ts';
import type { ConnectionState } from './source.ts';
import { MAX_TIMELINE_ENTRIES, prependEntry, timelineEntry, timelineFromEvents, type TimelineEntry } from './timeline.ts';

const DEFAULT_HISTORY_MS = 60_000;

export class DashboardState {
  status = $state.raw<RuntimeStatus | null>(null);
  /** This browser's clock when the snapshot arrived; its durations are relative to then. */
  receivedAtMs = $state(0);
  timeline = $state.raw<TimelineEntry[]>([]);
  controls = $state.raw<ControlsInfo | null>(null);
  historyMs = $state(DEFAULT_HISTORY_MS);
  connection = $state<ConnectionState>('connecting');
  /** Bumped whenever `heartbeats` changes: the window itself is not reactive (it is big). */
  samplesVersion = $state(0);
  /** The node's clock minus this browser's (see ClockOffsetEstimator). */
  clockOffsetMs = $state(0);

  readonly heartbeats = new HeartbeatWindow(DEFAULT_HISTORY_MS);
  private readonly offset = new ClockOffsetEstimator();
  private nextSeq = 0;

  apply(message: DashboardMessage, nowMs: number): void {
    switch (message.type) {
      case 'hello':
        this.status = message.status;
        this.receivedAtMs = nowMs;
        this.controls = message.controls;
        this.historyMs = message.historyMs;
        this.timeline = timelineFromEvents(message.events, this.nextSeq, MAX_TIMELINE_ENTRIES);
        this.nextSeq += message.events.length;
        this.heartbeats.reset(message.historyMs);
        this.heartbeats.append(message.samples);
        this.samplesVersion++;
        return;
      case 'status':
        this.status = message.status;
        this.receivedAtMs = nowMs;
        this.addFreshSamples(message.samples, nowMs);
        return;
      case 'event':
        this.timeline = prependEntry(this.timeline, timelineEntry(message.event, this.nextSeq++), MAX_TIMELINE_ENTRIES);
        return;
    }
  }

  /** A status's samples are seconds fresh at most (unlike a hello's): they set the clock offset. */
  private addFreshSamples(samples: readonly HeartbeatSample[], nowMs: number): void {
    let newestMs = -Infinity;
    for (const sample of samples) if (sample[1] > newestMs) newestMs = sample[1];
    if (newestMs !== -Infinity) this.clockOffsetMs = this.offset.observe(newestMs, nowMs);
    this.heartbeats.append(samples);
    this.samplesVersion++;
  }
}
