/**
 * What a dashboard receives from the node it belongs to, over Server-Sent Events in a browser or
 * IPC in Electron. Both hosts send exactly these messages; the Svelte app knows nothing else.
 */
import type { NodeEvent } from '../contract/events.ts';
import type { RuntimeStatus } from '../contract/status.ts';

/** One heartbeat arrival: [peer ID, arrival time (ms since the epoch), gap since its previous one (ms)]. */
export type HeartbeatSample = [peer: number, atMs: number, intervalMs: number];

export const CONTROL_ACTIONS = ['resign', 'pause', 'resume'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export interface ControlsInfo {
  /** Whether the controls work at all (in a browser, only with --dashboard-controls). */
  enabled: boolean;
  /** Whether a request must carry the token printed at start (browser: yes; Electron: no). */
  needsToken: boolean;
}

export type DashboardMessage =
  /** First message on every connection: the present and the recent past. */
  | {
      type: 'hello';
      status: RuntimeStatus;
      /** The most recent events, oldest first. */
      events: NodeEvent[];
      /** Heartbeat arrivals of the last minute, oldest first. */
      samples: HeartbeatSample[];
      controls: ControlsInfo;
      /** The window the samples cover, in ms. */
      historyMs: number;
    }
  /** A fresh snapshot (at least 5 per second) with the heartbeats that arrived since the last one. */
  | { type: 'status'; status: RuntimeStatus; samples: HeartbeatSample[] }
  /** One line of the node's story, as soon as it happens. */
  | { type: 'event'; event: NodeEvent };

/**
 * A message as the feed sends it, numbered so that a page which listens before it asks for its
 * hello (Electron's IPC) can tell what the hello already holds. A status or an event carries its
 * own number (1, 2, … in the order sent, never reused); a hello carries the number of the last
 * message before it, whose contents it includes. The page's store does not need the number.
 */
export type NumberedMessage = DashboardMessage & { seq: number };

export interface ControlResult {
  ok: boolean;
  /** Why it did not work, in words for the person who clicked. */
  error?: string;
}
