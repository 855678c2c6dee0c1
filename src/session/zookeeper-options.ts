import { DEFAULT_LAN_TIMINGS } from '../core/index.ts';
import { DEFAULT_CLUSTER, checkClusterName, type NodeOptions } from '../runtime/options.ts';
import { parseBackendUrl } from '../zookeeper/backend-url.ts';
import type { ZooKeeperNodeOptions } from '../zookeeper/zookeeper-node.ts';
import { OptionError } from '../contract/errors.ts';

/** NodeOptions for a ZooKeeper-backed node; throws OptionError naming the problem. */
export function resolveZooKeeperOptions(options: NodeOptions): ZooKeeperNodeOptions {
  const cluster = options.cluster ?? DEFAULT_CLUSTER;
  checkClusterName(cluster);
  if (!Number.isInteger(options.id) || options.id < 1 || options.id > 0xffff_ffff) throw new OptionError('id', 'node ID', ` ${options.id}: use 1 to 4294967295`);
  const sessionTimeoutMs = options.timeoutMs ?? DEFAULT_LAN_TIMINGS.timeoutMs;
  if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs < 100) throw new OptionError('timeoutMs', 'timeoutMs', ` ${sessionTimeoutMs}: ZooKeeper sessions need at least 100 ms`);
  return {
    id: options.id,
    cluster,
    backend: parseBackendUrl(options.backend ?? '', cluster),
    sessionTimeoutMs,
    dampingMs: options.dampingMs ?? DEFAULT_LAN_TIMINGS.dampingMs,
    preempt: options.preempt ?? true,
    ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    metricsHost: options.metricsHost ?? '127.0.0.1',
  };
}
