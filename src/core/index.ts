/** The pure election core: no I/O, no clocks, no randomness of its own. */
export { ConfigError, DEFAULT_LAN_TIMINGS, DEFAULT_LAN_TIMING_REASONS, MAX_BEAT_INTERVAL_MS, MISSED_BEATS, configId, maxSafeLeaseMs, resolveConfig, silenceLimitMs } from './config.ts';
export type { ElectionConfig, ElectionConfigInput } from './config.ts';
export { ArrivalWindow, phiOf } from './detector.ts';
export type { CoreEvent, DemotionReason } from './events.ts';
export * from './messages.ts';
export { ElectionNode } from './node.ts';
export type { ElectionNodeOptions, Random, Ready } from './node.ts';
export { PeerState } from './peers.ts';
export type { PersistentState } from './state/durable.ts';
export type { NodeSnapshot } from './state/snapshot.ts';
export type { PeerChange } from './peers.ts';
export { VoteResult, hasQuorum, quorumSize, voteResult } from './quorum.ts';
export type { NodeStatus, PeerStatus } from './status.ts';
export type { VoteDecision } from './vote-decision.ts';
