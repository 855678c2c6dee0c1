/** The pure election core: no I/O, no clocks, no randomness of its own. */
export { ConfigError, DEFAULT_LAN_TIMINGS, DEFAULT_LAN_TIMING_REASONS, MAX_BEAT_INTERVAL_MS, MISSED_BEATS, configId, maxSafeLeaseMs, resolveConfig, silenceLimitMs } from './config.ts';
export type { ElectionConfig, ElectionConfigInput } from './config.ts';
export { ArrivalWindow, phiOf } from './detector.ts';
export type { CoreEvent, DemotionReason } from './events.ts';
export * from './messages.ts';
/**
 * The core as drivers use it: the facade (../election/election-core.ts). The node behind it
 * (./node.ts) is not exported: its transitions are for its roles (./role-context.ts); the core's
 * own tests import it from its file, and test-made broken nodes go through `CoreHooks`.
 */
export { createLanCore, type LanCore, type LanInput } from './lan-core.ts';
export type { ElectionCore } from '../election/election-core.ts';
export type { CoreHooks, ElectionNodeOptions, Random, Ready } from './node.ts';
export { PeerState } from './peers.ts';
export { NO_BOOT, type PersistentState } from './state/durable.ts';
export type { NodeSnapshot } from './state/snapshot.ts';
export type { PeerChange } from './peers.ts';
export { VoteResult, hasQuorum, quorumSize, voteResult } from './quorum.ts';
export type { NodeStatus, PeerStatus } from './status.ts';
export type { VoteDecision } from './vote-decision.ts';
