import { DEFAULT_LAN_TIMINGS } from '../core/index.ts';
import { DEFAULT_LAN_OPTIONS, checkClusterName, type NodeOptions } from '../runtime/options.ts';
import { parseBackendUrl } from '../zookeeper/backend-url.ts';
import type { ZooKeeperNodeOptions } from '../zookeeper/zookeeper-node.ts';
import { OptionError } from '../contract/errors.ts';

/**
 * A ZooKeeper-backed node's defaults, whole (the reasons are in ./option-table.ts). The election's
 * path (/conclave/<cluster>) and mode (bully) are the backend URL's defaults (zookeeper/backend-url.ts).
 */
export const DEFAULT_ZOOKEEPER_OPTIONS = Object.freeze({
  cluster: DEFAULT_LAN_OPTIONS.cluster,
  /** The session timeout asked for; the ensemble may grant another, which the node then uses. */
  timeoutMs: DEFAULT_LAN_TIMINGS.timeoutMs,
  dampingMs: DEFAULT_LAN_TIMINGS.dampingMs,
  preempt: DEFAULT_LAN_TIMINGS.preempt,
  metricsHost: DEFAULT_LAN_OPTIONS.metricsHost,
} as const satisfies Partial<NodeOptions>);

/** NodeOptions for a ZooKeeper-backed node; throws OptionError naming the problem. */
export function resolveZooKeeperOptions(options: NodeOptions): ZooKeeperNodeOptions {
  const cluster = options.cluster ?? DEFAULT_ZOOKEEPER_OPTIONS.cluster;
  checkClusterName(cluster);
  if (!Number.isInteger(options.id) || options.id < 1 || options.id > 0xffff_ffff) throw new OptionError('id', 'node ID', ` ${options.id}: use 1 to 4294967295`);
  const sessionTimeoutMs = options.timeoutMs ?? DEFAULT_ZOOKEEPER_OPTIONS.timeoutMs;
  if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs < 100) throw new OptionError('timeoutMs', 'timeoutMs', ` ${sessionTimeoutMs}: ZooKeeper sessions need at least 100 ms`);
  return {
    id: options.id,
    cluster,
    backend: parseBackendUrl(options.backend ?? '', cluster),
    sessionTimeoutMs,
    dampingMs: options.dampingMs ?? DEFAULT_ZOOKEEPER_OPTIONS.dampingMs,
    preempt: options.preempt ?? DEFAULT_ZOOKEEPER_OPTIONS.preempt,
    ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    metricsHost: options.metricsHost ?? DEFAULT_ZOOKEEPER_OPTIONS.metricsHost,
  };
}
