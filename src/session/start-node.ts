import { resolveZooKeeperOptions } from './zookeeper-options.ts';
import { ConclaveNode } from '../runtime/conclave-node.ts';
import type { Elector } from '../contract/elector.ts';
import type { NodeOptions } from '../runtime/options.ts';

/**
 * Starts a node: on the LAN, or through ZooKeeper when `backend` is a zookeeper:// URL. The
 * ZooKeeper client is loaded only then: a LAN node, one of many starting at once, does not pay for it.
 */
export async function startNode(options: NodeOptions): Promise<Elector> {
  if (options.backend === undefined) return ConclaveNode.start(options);
  // Checked before the import, so that a bad URL is named as fast as any other bad flag.
  const resolved = resolveZooKeeperOptions(options);
  const { ZooKeeperNode } = await import('../zookeeper/zookeeper-node.ts');
  return ZooKeeperNode.start(resolved);
}
