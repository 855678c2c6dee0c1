import { ZooKeeperNode } from '../zookeeper/zookeeper-node.ts';
import { resolveZooKeeperOptions } from '../zookeeper/options.ts';
import { ConclaveNode } from './conclave-node.ts';
import type { Elector } from './elector.ts';
import type { NodeOptions } from './options.ts';

/** Starts a node: on the LAN, or through ZooKeeper when `backend` is a zookeeper:// URL. */
export function startNode(options: NodeOptions): Promise<Elector> {
  if (options.backend !== undefined) return ZooKeeperNode.start(resolveZooKeeperOptions(options));
  return ConclaveNode.start(options);
}
