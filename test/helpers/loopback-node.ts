/**
 * A one-node cluster on loopback, without multicast: its only traffic is unicast to a socket of
 * the test on 127.0.0.1 (its seed). `close()` stops the node and removes its data directory.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConclaveNode } from '../../src/runtime/conclave-node.ts';
import type { NodeOptions } from '../../src/runtime/options.ts';

export interface LoopbackNode {
  node: ConclaveNode;
  close(): Promise<void>;
}

export async function startLoopbackNode(cluster: string, extra: Partial<NodeOptions> = {}): Promise<LoopbackNode> {
  const dir = mkdtempSync(join(tmpdir(), `conclave-${cluster}-`));
  const sink = createSocket('udp4');
  const close = async (node: ConclaveNode | null): Promise<void> => {
    await node?.stop();
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
    const node = await ConclaveNode.start({
      id: 1,
      clusterSize: 1,
      cluster,
      interface: 'lo',
      multicast: false,
      seeds: `127.0.0.1:${sink.address().port}`,
      unicastPort: 0,
      dataDir: join(dir, 'n1'),
      ...extra,
    });
    return { node, close: () => close(node) };
  } catch (error) {
    await close(null);
    throw error;
  }
}
