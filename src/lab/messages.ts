/** What the lab page receives and sends: one snapshot type, one action type. */
import type { EventKind } from '../contract/events.ts';
import type { ClusterView, LabNodeView } from './cluster-view.ts';

export type LabMode = 'netns' | 'loopback';

export interface LabNodeSnapshot extends LabNodeView {
  /** Its address on the lab network (netns mode), or null. */
  ip: string | null;
  /** Name of its last event (`leader`, `elected`, …), or null before the first. */
  lastEvent: EventKind | null;
  /** When the lab last heard from it (ms since the epoch), or null. */
  lastEventAt: number | null;
  /** Until when a stall lasts (ms since the epoch), while `condition` is 'stalled'. */
  stalledUntil: number | null;
  /** Its own dashboard, relative to the lab page, while it runs; null when down or the lab serves none. */
  dashboard: string | null;
}

export interface LabTimelineEntry {
  ts: number;
  /** 'stalled': a node said, on waking, that it had been frozen (docs/events.md, `stalled`). */
  kind: 'action' | 'agreed' | 'event' | 'warning' | 'stalled';
  text: string;
  /** The node it is about, if one. */
  node: number | null;
  /** For 'agreed': ms from the action to the cluster agreeing again. */
  durationMs: number | null;
}

export interface LabSnapshot {
  mode: LabMode;
  /** Why the lab runs in this mode, in words (e.g. "root: one network namespace per node"). */
  modeReason: string;
  voters: number;
  heartbeatMs: number;
  /** A follower's heartbeat while it follows a live coordinator (the slow rate). */
  memberBeatMs: number;
  timeoutMs: number;
  nodes: LabNodeSnapshot[];
  /** The partition in force: each group hears only itself; empty when the network is whole. */
  groups: number[][];
  lossPercent: number;
  view: ClusterView;
  /** The last action still waiting for the cluster to agree, if any. */
  pending: { action: string; since: number } | null;
  /** Newest last, bounded. */
  timeline: LabTimelineEntry[];
  /** Which actions this mode supports; the page disables the others and says why. */
  supports: { unplug: boolean; partition: boolean; loss: boolean };
}

export type LabAction =
  | { action: 'kill'; node: number }
  | { action: 'restart'; node: number }
  | { action: 'unplug'; node: number }
  | { action: 'replug'; node: number }
  /** Freezes the process (SIGSTOP) for `ms`, like a long garbage-collection pause. */
  | { action: 'stall'; node: number; ms: number }
  | { action: 'partition'; groups: number[][] }
  | { action: 'loss'; percent: number }
  | { action: 'heal' };

export interface LabActionResult {
  ok: boolean;
  error?: string;
}
