/** What the nodes of a test cluster said, in order: the tests' record of `elected` and `demoted`. */
import type { NodeId } from '../../src/core/index.ts';
import type { TestCluster } from '../../src/testing/index.ts';

export type Said = { node: NodeId; said: 'elected' } & { term: number } | { node: NodeId; said: 'demoted'; term: number; reason: string };

export function recordEvents(cluster: TestCluster): Said[] {
  const said: Said[] = [];
  for (const node of cluster.nodes) {
    node.on('elected', ({ term }) => said.push({ node: node.id, said: 'elected', term }));
    node.on('demoted', ({ term, reason }) => said.push({ node: node.id, said: 'demoted', term, reason }));
  }
  return said;
}

/** One test cluster of each mode, for tests whose body runs against both. */
export const MODES = [
  { name: 'real nodes on loopback', create: (nodes: number) => import('../../src/testing/index.ts').then((kit) => kit.createTestCluster({ nodes })) },
  { name: 'deterministic', create: (nodes: number) => import('../../src/testing/index.ts').then((kit) => kit.createTestCluster({ nodes, deterministic: true, seed: 7 })) },
] as const;
