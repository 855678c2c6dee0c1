/**
 * Callbacks that throw, against a real ZooKeeper server: an answer the session cannot read
 * rejects the request's promise at once, instead of throwing inside the client's socket handling;
 * a listener of the node that throws does not stop it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Stat } from 'node-zookeeper-client';
import { assertListenerIsolation } from '../helpers/listener-isolation.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { resolveZooKeeperOptions } from '../../src/session/zookeeper-options.ts';
import { SessionState } from '../../src/contract/zookeeper-status.ts';
import { ZkSession } from '../../src/zookeeper/zk-session.ts';
import { ZooKeeperNode } from '../../src/zookeeper/zookeeper-node.ts';
import { ZkServer, zooKeeperMissing } from './zk-server.ts';

const skip = skipUnlessCi(zooKeeperMissing());

type Callback = (error: unknown, ...rest: unknown[]) => void;

describe('ZooKeeper callbacks', { skip }, () => {
  let zk: ZkServer;
  let session: ZkSession;

  before(async () => {
    zk = await ZkServer.start();
    let isConnected!: () => void;
    const connected = new Promise<void>((resolve) => (isConnected = resolve));
    session = new ZkSession({
      servers: [`127.0.0.1:${zk.port}`],
      sessionTimeoutMs: 4000,
      requestTimeoutMs: 20_000,
      onState: (state) => state === SessionState.Connected && isConnected(),
    });
    session.connect();
    await connected;
    await session.mkdirp('/life/a');
  });
  after(() => {
    session?.close();
    zk?.destroy();
  });

  it('rejects, well before its deadline, when the answer cannot be read', async () => {
    // A zxid beyond 2^53 needs an ensemble epoch of 2^21, which no test server reaches: the real
    // answer is taken from the real server, and only its zxid is changed on the way in.
    const client = (session as unknown as { client: Record<string, (...args: unknown[]) => void> }).client;
    for (const method of ['getData', 'exists']) {
      const real = client[method]!.bind(client);
      client[method] = (...args: unknown[]) => {
        const callback = args.pop() as Callback;
        real(...args, (error: unknown, ...rest: unknown[]) => {
          const stat = rest.at(-1) as Stat;
          callback(error, ...rest.slice(0, -1), { ...stat, czxid: Buffer.from('ffffffffffffffff', 'hex') });
        });
      };
    }
    for (const request of [() => session.read('/life/a'), () => session.exists('/life/a')]) {
      const started = Date.now();
      await assert.rejects(request(), /beyond 2\^53/);
      assert.ok(Date.now() - started < 10_000, 'rejected by itself, not by the 20 s deadline');
    }
  });

  it('a node goes on when a listener throws: it keeps leading, and wins again after a resignation', async () => {
    const node = await ZooKeeperNode.start(
      resolveZooKeeperOptions({ id: 1, clusterSize: 1, backend: zk.url('/listeners', 'bully'), timeoutMs: 2000, dampingMs: 0 }),
    );
    const lines = await assertListenerIsolation(node, 2000); // a session timeout: renewals went on
    assert.ok(!lines.some((line) => line.event === 'warning'), 'the throw is not taken for a ZooKeeper problem');
  });
});
