/**
 * Conclave's library API: run a node in your process and do leader-only work while it holds
 * the lease, with the term as a fencing token.
 *
 *   const node = await startNode({ id: 3, clusterSize: 5, keys: parseKeys(process.env.CONCLAVE_KEY!, 'env') });
 *   node.on('elected', ({ term }) => startWork(term));
 *   node.on('demoted', () => stopWork());
 *
 * The same through a ZooKeeper ensemble, where multicast does not reach:
 *
 *   const node = await startNode({ id: 3, clusterSize: 5, backend: 'zookeeper://zk1:2181,zk2:2181/conclave/lab' });
 */
export { ConclaveNode } from './runtime/conclave-node.ts';
export { startNode } from './session/start-node.ts';
export type { Elector } from './contract/elector.ts';
export { ZooKeeperNode } from './zookeeper/zookeeper-node.ts';
export type { ZooKeeperStatus } from './contract/zookeeper-status.ts';
/** `ConclaveNodeEvents`: the name before both backends shared it. */
export type { ElectorEvents, ElectorEvents as ConclaveNodeEvents, EventHeader, EventKind, NodeEvent, NodeEventOf } from './contract/events.ts';
/** The kinds of event line and the schema's version (docs/events.md). */
export { EVENT_KINDS, EVENT_SCHEMA_VERSION } from './contract/events.ts';
/** `node.events()`: the lines as an async iterator (docs/library.md, "Events as a stream"). */
export { DEFAULT_MAX_BUFFERED_EVENTS, type EventStream, type EventStreamItem, type EventStreamOptions, type EventsLagged } from './contract/event-stream.ts';
export type { LeaseEndReason } from './contract/event-fields.ts';
export type { CommonStatus, LanStatus, RuntimeStatus, ZooKeeperNodeStatus } from './contract/status.ts';
/** Every default as one frozen object per backend: spread it and override what differs. */
export { DEFAULT_CLUSTER, DEFAULT_GROUP, DEFAULT_LAN_OPTIONS, DEFAULT_PORT } from './runtime/options.ts';
export { DEFAULT_ZOOKEEPER_OPTIONS } from './session/zookeeper-options.ts';
export { dataRoot, defaultDataDir, type DataDirHost } from './runtime/data-dir.ts';
export type { NodeOptions } from './runtime/options.ts';
/** Every error a program can catch, by class or by `code` (docs/errors.md). */
export { ConclaveError, ConclaveErrorCode, isConclaveError } from './errors/conclave-error.ts';
export { OptionError, type OptionName } from './contract/errors.ts';
export { DataDirError, StateFileError } from './runtime/state-file.ts';
export { MetricsListenError } from './metrics/listen-error.ts';
export { KeyError, parseKeys, readKeyFile } from './net/keys.ts';
export { InterfaceError } from './net/interfaces.ts';
export type { KeyRing } from './wire/seal.ts';
export type { DropReason } from './wire/wire.ts';
export { ConfigError, ResignReason } from './core/index.ts';
export type { NodeId, NodeStatus, PeerStatus, Role } from './core/index.ts';
