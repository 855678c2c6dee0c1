import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { NodeId } from '../core/index.ts';
import type { KeyRing } from '../wire/seal.ts';

/** Only loopback: nothing a test cluster sends leaves the machine, and no multicast is used. */
export const LOOPBACK_ADDRESS = '127.0.0.1';

/**
 * A cluster name and key of its own: two clusters running at once (parallel test files) drop
 * each other's datagrams even if a port is reused between them.
 */
export function privateCluster(): { cluster: string; keys: KeyRing } {
  return {
    cluster: `test-${randomBytes(6).toString('hex')}`,
    keys: { sendKeyId: 1, keys: new Map([[1, new Uint8Array(randomBytes(32))]]) },
  };
}

/**
 * A free UDP port on loopback for each ID: all bound at once (so they differ), then released for
 * the nodes to take. Another process could take one in between; then that node fails to start
 * with "in use", which names the port.
 */
export async function freeUdpPorts(ids: readonly NodeId[]): Promise<Map<NodeId, number>> {
  const sockets: Socket[] = [];
  try {
    const ports = new Map<NodeId, number>();
    for (const id of ids) {
      const socket = createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, LOOPBACK_ADDRESS, () => resolve());
      });
      ports.set(id, socket.address().port);
    }
    return ports;
  } finally {
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  }
}

/** Every other node, as a seed "127.0.0.1:port": with multicast off, each knows all its peers from the start. */
export function seedsOf(id: NodeId, ports: ReadonlyMap<NodeId, number>): string[] {
  return [...ports].filter(([other]) => other !== id).map(([, port]) => `${LOOPBACK_ADDRESS}:${port}`);
}
