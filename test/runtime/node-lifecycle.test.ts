/**
 * A real node's life around its users: a listener that throws, a stop() that comes before the
 * node began, a stop() whose steps fail, a socket that reports errors. One-node clusters on
 * loopback, without multicast: their only traffic is unicast to a socket of this test on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConclaveNode } from '../../src/runtime/conclave-node.ts';
import { type NodeEvent } from '../../src/contract/events.ts';
import { StateFile } from '../../src/runtime/state-file.ts';
import { assertListenerIsolation, until } from '../helpers/listener-isolation.ts';

let dir: string;
let sink: Socket;
let sinkPort: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-node-life-'));
  sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  sinkPort = sink.address().port;
});
afterEach(() => {
  sink.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(extra: { metricsPort?: number } = {}): Promise<ConclaveNode> {
  return ConclaveNode.start({
    id: 1,
    clusterSize: 1,
    cluster: 'life',
    interface: 'lo',
    multicast: false,
    seeds: `127.0.0.1:${sinkPort}`,
    unicastPort: 0,
    dataDir: join(dir, 'n1'),
    heartbeatMs: 50,
    timeoutMs: 300,
    dampingMs: 0,
    ...extra,
  });
}

describe('node lifecycle', () => {
  it('goes on when a listener throws: the lease is kept, and the next election is won', async () => {
    // Three timeouts later the lease is still valid: the node kept ticking and renewing it.
    await assertListenerIsolation(await start(), 900);
  });

  it('an async listener that rejects is reported, not an unhandled rejection that ends the process', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const node = await start();
    const lines: NodeEvent[] = [];
    node.on('event', (line) => lines.push(line));
    node.on('elected', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('an async listener failed');
    });
    try {
      await until(lines, 'listener-error', 1, 10_000);
      assert.equal(lines.find((line) => line.event === 'listener-error')!.error, 'an async listener failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await node.stop();
    }
  });

  it('a stop() before the node began says neither hello nor goodbye', async () => {
    const node = await start();
    const lines: string[] = [];
    node.on('event', (line) => lines.push(line.event));
    let datagrams = 0;
    sink.on('message', () => datagrams++);
    await node.stop(); // before the deferred begin()
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(lines, ['stopped']);
    assert.equal(datagrams, 0, 'nothing was sent');
  });

  it('stop() releases the data directory and the metrics port even when a step fails, then throws the first error', async () => {
    const node = await start({ metricsPort: 0 });
    const lines: string[] = [];
    node.on('event', (line) => lines.push(line.event));
    await new Promise((resolve) => setTimeout(resolve, 100)); // begun
    const port = node.metricsPort!;
    // No close of ours fails today (the sockets' closes are all settled), so the failure is put
    // in — after the real close, so that the sockets do not keep the test process alive.
    const transport = (node as unknown as { transport: { close(): Promise<void> } }).transport;
    const realClose = transport.close.bind(transport);
    transport.close = async () => {
      await realClose();
      throw new Error('close failed');
    };
    await assert.rejects(node.stop(), /close failed/);
    assert.equal(lines.at(-1), 'stopped');
    const again = await StateFile.open(join(dir, 'n1'), { nodeId: 1, voters: [1] });
    await again.store.close();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts the errors its sockets report, by code, in the status and the metrics', async () => {
    const node = await start({ metricsPort: 0 });
    try {
      // A real receive error cannot be provoked from here (Linux reports no ICMP error to an
      // unconnected UDP socket); the socket is given the error Node would emit for one.
      const { socket } = (node as unknown as { transport: { unicast: { socket: Socket } } }).transport.unicast;
      for (let i = 0; i < 2; i++) socket.emit('error', Object.assign(new Error('recvmsg ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'recvmsg' }));
      assert.deepEqual(node.status().traffic.socketErrors, { ECONNREFUSED: 2 });
      const text = await (await fetch(`http://127.0.0.1:${node.metricsPort}/metrics`)).text();
      assert.match(text, /^conclave_socket_errors_total\{code="ECONNREFUSED"[^}]*\} 2$/m);
    } finally {
      await node.stop();
    }
  });
});
