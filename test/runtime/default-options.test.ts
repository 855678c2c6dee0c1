/** The whole default objects: frozen, exported from the package root, and what a node uses when an option is not given. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LAN_OPTIONS, DEFAULT_ZOOKEEPER_OPTIONS } from '../../src/index.ts';
import { resolveOptions } from '../../src/runtime/options.ts';
import { resolveZooKeeperOptions } from '../../src/session/zookeeper-options.ts';

describe('default options', () => {
  it('are frozen', () => {
    assert.ok(Object.isFrozen(DEFAULT_LAN_OPTIONS));
    assert.ok(Object.isFrozen(DEFAULT_ZOOKEEPER_OPTIONS));
  });

  it('a LAN node given them whole resolves as one given nothing', () => {
    const bare = resolveOptions({ id: 2, clusterSize: 3 });
    assert.deepEqual(resolveOptions({ ...DEFAULT_LAN_OPTIONS, id: 2, clusterSize: 3 }), bare);
    assert.equal(bare.group, DEFAULT_LAN_OPTIONS.group);
    assert.equal(bare.config.timeoutMs, DEFAULT_LAN_OPTIONS.timeoutMs);
  });

  it('spread and overridden, they still let the lease follow the timeout (it is left out of them)', () => {
    assert.equal(resolveOptions({ ...DEFAULT_LAN_OPTIONS, id: 1, clusterSize: 1, timeoutMs: 3000 }).config.leaseMs, 2700);
  });

  it('a ZooKeeper node given them whole resolves as one given nothing', () => {
    const backend = 'zookeeper://127.0.0.1:2181';
    assert.deepEqual(resolveZooKeeperOptions({ ...DEFAULT_ZOOKEEPER_OPTIONS, id: 2, clusterSize: 1, backend }), resolveZooKeeperOptions({ id: 2, clusterSize: 1, backend }));
  });
});
