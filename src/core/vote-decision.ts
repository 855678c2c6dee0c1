import { RejectReason, type NodeId } from './messages.ts';

/** A voter's answer to one vote request, before it is sent. */
export interface VoteDecision {
  granted: boolean;
  reason: RejectReason | null;
  /** For LEASE_HELD and QUARANTINE: how long until this voter is free. */
  retryAfterMs: number;
  /** For HIGHER_NODE: whom this voter defers to. */
  prefer: NodeId | null;
}

export const GRANT: VoteDecision = { granted: true, reason: null, retryAfterMs: 0, prefer: null };

export function reject(reason: RejectReason, retryAfterMs = 0, prefer: NodeId | null = null): VoteDecision {
  return { granted: false, reason, retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)), prefer };
}
