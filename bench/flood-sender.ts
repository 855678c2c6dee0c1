/**
 * The flooder of bench:flood, run in a namespace of its own on the lab's switch: sends forged
 * datagrams (well-framed heartbeats of a voter, with a MAC made with a wrong key: `bad-mac`) at
 * `rate` a second for `seconds`, to `targets` (ip:port, in turn). Bounded twice: it stops after
 * rate × seconds datagrams, and after `seconds` + 2 s whatever it sent. Prints
 * `sent <n> in <ms> ms, <failed> failed, CPU <ms> ms` and exits.
 *
 *   flood-sender.ts <own-ip> <rate> <seconds> <cluster-size> <target>...
 */
import dgram from 'node:dgram';
import { configId, resolveConfig } from '../src/core/index.ts';
import { Wire } from '../src/wire/wire.ts';
import { heartbeat } from '../test/helpers/core.ts';

const [ownIp, rateText, secondsText, clusterSizeText, ...targetTexts] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
if (ownIp === undefined || !(rate > 0) || !(seconds > 0) || targetTexts.length === 0) {
  throw new Error('usage: flood-sender.ts <own-ip> <rate> <seconds> <cluster-size> <ip:port>...');
}
const targets = targetTexts.map((text) => {
  const [address, port] = text.split(':');
  return { address: address!, port: Number(port) };
});
const total = rate * seconds;
const deadlineMs = seconds * 1000 + 2000;
/** Sends per tick at most: a late tick catches up, but not in one unbounded burst. */
const MAX_BURST = Math.max(100, Math.ceil(rate / 50));

const config = resolveConfig({ clusterSize: Number(clusterSizeText) });
const forger = new Wire({
  selfId: 2,
  cluster: 'lab',
  configId: configId(config),
  voters: config.voters,
  keys: { sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode('not the cluster key')]]) },
  aliveMs: 1000,
});
/** Distinct datagrams (another sequence number each), as a forger replaying variations would send. */
const POOL = 1024;
const pool = Array.from({ length: POOL }, (_, i) => forger.encode(heartbeat(2, 5), i + 1));

const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
await new Promise<void>((resolve) => socket.bind(0, ownIp, () => resolve()));
socket.setMulticastInterface(ownIp);
socket.setMulticastTTL(1);

let sent = 0;
let failed = 0;
const onSent = (error: Error | null): void => {
  if (error !== null) failed++;
};
const startMs = performance.now();
await new Promise<void>((resolve) => {
  const tick = (): void => {
    const elapsedMs = performance.now() - startMs;
    const due = Math.min(total, Math.floor((elapsedMs / 1000) * rate)) - sent;
    for (let i = 0; i < Math.min(due, MAX_BURST); i++, sent++) {
      const target = targets[sent % targets.length]!;
      const bytes = pool[sent % POOL]!;
      socket.send(bytes, 0, bytes.length, target.port, target.address, onSent);
    }
    if (sent >= total || elapsedMs >= deadlineMs) resolve();
    else setTimeout(tick, 1);
  };
  tick();
});
const elapsedMs = performance.now() - startMs;
// Let the last sends' callbacks come back before closing.
await new Promise((resolve) => setTimeout(resolve, 200));
socket.close();
const { user, system } = process.cpuUsage();
console.log(`sent ${sent} in ${Math.round(elapsedMs)} ms, ${failed} failed, CPU ${Math.round((user + system) / 1000)} ms`);
