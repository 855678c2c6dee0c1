/** The pure election core: no I/O, no clocks, no randomness of its own. */
export { ConfigError, DEFAULT_LAN_TIMINGS, MAX_BEAT_INTERVAL_MS, MISSED_BEATS, configId, maxSafeLeaseMs, resolveConfig, silenceLimitMs } from './config.ts';
export type { ElectionConfig, ElectionConfigInput } from './config.ts';
export { ArrivalWindow, phiOf } from './detector.ts';
export type { CoreEvent, DemotionReason } from './events.ts';
export * from './messages.ts';
/** What drivers use: the core's facade (../election/election-core.ts). */
export { createLanCore, lanCoreOf, type LanCore, type LanInput } from './lan-core.ts';
export type { ElectionCore } from '../election/election-core.ts';
/**
 * The node behind the facade, for the core's own tests and the simulator's broken cores only:
 * its transitions are public to its roles (./role-context.ts), not to drivers.
 */
export { ElectionNode } from './node.ts';
export type { CoreHooks, NodeOptions, Random, Ready } from './node.ts';
export { PeerState } from './peers.ts';
export type { PersistentState } from './state/durable.ts';
export type { NodeSnapshot } from './state/snapshot.ts';
export type { PeerChange } from './peers.ts';
export { VoteResult, hasQuorum, quorumSize, voteResult } from './quorum.ts';
export type { NodeStatus, PeerStatus } from './status.ts';
export type { VoteDecision } from './vote-decision.ts';
