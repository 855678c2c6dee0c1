/**
 * Nodes that disagree on anything the safety argument or the failure detector depends on must not
 * count each other: the voter set, the timeout, the lease, the drift bound, the slow beat. Each is
 * hashed into config_id, and a datagram whose config_id differs is dropped (`config-mismatch`).
 * Each field is changed here on its own: a field left out of the hash lets that one disagreement in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configId, resolveConfig, type ElectionConfig, type ElectionConfigInput } from '../../src/core/index.ts';
import { Wire } from '../../src/wire/wire.ts';
import { heartbeat } from '../helpers/core.ts';

const BASE: ElectionConfigInput = { clusterSize: 3, voters: [1, 2, 3], timeoutMs: 1000, leaseMs: 800, maxClockDriftPpm: 1000, memberBeatMs: 1000 };

/** One field changed, every other as in BASE; `voters` keeps the cluster size. */
const ONE_FIELD_CHANGED: ReadonlyArray<{ field: keyof ElectionConfig; input: ElectionConfigInput }> = [
  { field: 'voters', input: { ...BASE, voters: [1, 2, 4] } },
  { field: 'timeoutMs', input: { ...BASE, timeoutMs: 1200 } },
  { field: 'leaseMs', input: { ...BASE, leaseMs: 700 } },
  { field: 'maxClockDriftPpm', input: { ...BASE, maxClockDriftPpm: 2000 } },
  { field: 'memberBeatMs', input: { ...BASE, memberBeatMs: 2000 } },
];

function wireFor(config: ElectionConfig, selfId: number): Wire {
  return new Wire({ selfId, cluster: 'lab', configId: configId(config), voters: config.voters, keys: null, aliveMs: config.timeoutMs });
}

describe('config_id: every field it guards, changed alone', () => {
  const base = resolveConfig(BASE);

  for (const { field, input } of ONE_FIELD_CHANGED) {
    it(`a node with another ${field} is not counted: its datagrams are dropped as config-mismatch, both ways`, () => {
      const other = resolveConfig(input);
      const differing = (Object.keys(base) as Array<keyof ElectionConfig>).filter((key) => JSON.stringify(base[key]) !== JSON.stringify(other[key]));
      assert.deepEqual(differing, [field], 'the two configurations differ in this field alone');
      assert.notEqual(configId(other), configId(base));
      // n1 runs the base configuration, n2 the other one (n2 is a voter in both).
      const n1 = wireFor(base, 1);
      const n2 = wireFor(other, 2);
      const inbound = n1.decode(n2.encode(heartbeat(2, 1), 1), '10.0.0.2', 0);
      assert.equal(inbound.ok ? 'ok' : inbound.reason, 'config-mismatch');
      const outbound = n2.decode(n1.encode(heartbeat(1, 1), 1), '10.0.0.1', 0);
      assert.equal(outbound.ok ? 'ok' : outbound.reason, 'config-mismatch');
    });
  }

  it('the same configuration, resolved twice, is counted', () => {
    const n1 = wireFor(base, 1);
    const n2 = wireFor(resolveConfig({ ...BASE }), 2);
    assert.ok(n1.decode(n2.encode(heartbeat(2, 1), 1), '10.0.0.2', 0).ok);
  });
});
