/** What every node emits, whichever way it elects: the lines of its story and the changes a program acts on. */
import type { NodeId, NodeStatus } from '../core/index.ts';

/** One line of the node's story: what the CLI prints with --json, and what the API emits. */
export interface NodeEvent {
  /** Milliseconds since the epoch. */
  ts: number;
  event: string;
  id: NodeId;
  role: NodeStatus['role'];
  term: number;
  /** A coordinator this node knows to hold a valid lease, or null; never a stale ID. */
  leader: NodeId | null;
  quorum: { have: number; need: number };
  [detail: string]: unknown;
}

/** What an Elector emits, for `on(...)`: the same for both backends. */
export interface ElectorEvents {
  /** Every line of the node's story. */
  event: [NodeEvent];
  /** This node's lease became valid: act as coordinator, with `term` as the fencing token. */
  elected: [{ term: number }];
  /** This node's lease ended: stop acting as coordinator now. */
  demoted: [{ term: number; reason: string }];
  /** The known coordinator changed (null: none known). */
  leader: [{ leader: NodeId | null; term: number }];
  /** A heartbeat of a peer arrived (after authentication); for live timing views. */
  heartbeat: [{ from: NodeId; atMs: number }];
}
