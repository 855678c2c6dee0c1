import type { NodeId } from '../core/index.ts';
import { TestClusterError } from './errors.ts';

/** The largest cluster a test should start: real nodes share one process and its CPU. */
const MAX_TEST_NODES = 15;

/** IDs 1..nodes, for a test cluster of `nodes` voters. */
export function voterIds(nodes: number): NodeId[] {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_TEST_NODES) throw new TestClusterError(`nodes: ${nodes} is not a whole number from 1 to ${MAX_TEST_NODES}`);
  return Array.from({ length: nodes }, (_, i) => i + 1);
}
