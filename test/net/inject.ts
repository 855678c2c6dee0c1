/**
 * A hostile test host: run inside its own namespace on the lab's switch, it sends garbage,
 * unauthenticated, wrongly keyed, foreign, replayed and impostor datagrams to the group.
 * Prints one line per kind with how many it sent.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { configId, resolveConfig } from '../../src/core/index.ts';
import { Wire } from '../../src/wire/wire.ts';
import { heartbeat } from '../helpers/core.ts';

const [address, key, clusterSize = '5', group = '239.255.77.7', port = '7707'] = process.argv.slice(2);
if (address === undefined || key === undefined) throw new Error('usage: inject.ts <own-ip> <key> [cluster-size] [group] [port]');
const config = resolveConfig({ clusterSize: Number(clusterSize) });
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
await new Promise<void>((resolve) => socket.bind(Number(port), group, () => resolve()));
socket.addMembership(group, address);
socket.setMulticastInterface(address);

const send = (bytes: Uint8Array): Promise<void> =>
  new Promise((resolve) => socket.send(bytes, Number(port), group, () => resolve()));
const keyRing = (secret: string) => ({ sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode(secret)]]) });
const wire = (options: { keys: ReturnType<typeof keyRing> | null; cluster?: string }) =>
  new Wire({ selfId: 2, cluster: options.cluster ?? 'lab', configId: configId(config), voters: config.voters, keys: options.keys, aliveMs: 1000 });

// Capture what the nodes send for half a second, to replay it afterwards.
const captured: Buffer[] = [];
socket.on('message', (bytes) => captured.length < 200 && captured.push(bytes));
await new Promise((resolve) => setTimeout(resolve, 500));
socket.removeAllListeners('message');

const report = async (kind: string, datagrams: Uint8Array[]): Promise<void> => {
  for (const d of datagrams) await send(d);
  console.log(`${kind} ${datagrams.length}`);
};
await report('garbage', Array.from({ length: 100 }, (_, i) => randomBytes(1 + (i * 13) % 1300)));
await report('oversized', Array.from({ length: 10 }, () => randomBytes(2000)));
await report('unauthenticated', Array.from({ length: 20 }, (_, i) => wire({ keys: null }).encode(heartbeat(2, 99), i + 1)));
await report('bad-mac', Array.from({ length: 20 }, (_, i) => wire({ keys: keyRing('not-the-cluster-secret!') }).encode(heartbeat(2, 99), i + 1)));
await report('foreign-cluster', Array.from({ length: 20 }, (_, i) => wire({ keys: keyRing(key), cluster: 'other' }).encode(heartbeat(2, 99), i + 1)));
// Replayed once every captured datagram is older than its sender's 64-datagram window (a node
// sends at most 20 a second): then they are replays, reported as such. Within the window a copy
// is a duplicate, which a network makes too, and which is only counted.
await new Promise((resolve) => setTimeout(resolve, 7000));
await report('replayed', captured);
// A valid key, a known ID, a new boot, another address, while node 2 is alive: an impostor that
// claims a huge term and asks for votes.
const impostor = wire({ keys: keyRing(key) });
await report('impostor', Array.from({ length: 20 }, (_, i) => impostor.encode({ ...heartbeat(2, 99), bootId: Date.now() * 1024 + 5000 }, i + 1)));
socket.close();
