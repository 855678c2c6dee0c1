import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_LAN_TIMINGS, configId, maxSafeLeaseMs, resolveConfig } from '../../src/core/index.ts';

function rejects(input: Parameters<typeof resolveConfig>[0], field: string, pattern: RegExp): void {
  assert.throws(
    () => resolveConfig(input),
    (error: unknown) => error instanceof ConfigError && error.field === field && pattern.test(error.message),
  );
}

describe('configuration', () => {
  it('defaults the voters to 1..clusterSize and the timings to the LAN defaults', () => {
    const config = resolveConfig({ clusterSize: 3 });
    assert.deepEqual(config.voters, [1, 2, 3]);
    assert.equal(config.timeoutMs, DEFAULT_LAN_TIMINGS.timeoutMs);
    assert.ok(config.leaseMs < maxSafeLeaseMs(config.timeoutMs, config.maxClockDriftPpm));
  });

  it('rejects a lease that is not shorter than the election timeout less the drift bound', () => {
    rejects({ clusterSize: 3, leaseMs: 1200 }, 'leaseMs', /below the election timeout/);
    rejects({ clusterSize: 3, leaseMs: 1000 }, 'leaseMs', /two leaders/);
    rejects({ clusterSize: 3, leaseMs: 999, maxClockDriftPpm: 1000 }, 'leaseMs', /998\.0/);
  });

  it('rejects timings that contradict each other', () => {
    rejects({ clusterSize: 3, heartbeatMs: 600 }, 'timeoutMs', /twice heartbeatMs/);
    rejects({ clusterSize: 3, leaseMs: 50, heartbeatMs: 100 }, 'leaseMs', /longer than heartbeatMs/);
    rejects({ clusterSize: 3, answerTimeoutMs: 1000 }, 'answerTimeoutMs', /below timeoutMs/);
    rejects({ clusterSize: 3, heartbeatMs: 0 }, 'heartbeatMs', /positive/);
    rejects({ clusterSize: 3, dampingMs: -1 }, 'dampingMs', /0 or more/);
  });

  it('rejects a voter set that does not match the cluster size or holds non-IDs', () => {
    rejects({ clusterSize: 0 }, 'clusterSize', /1 to 255/);
    rejects({ clusterSize: 3, voters: [1, 2] }, 'voters', /lists 2 IDs/);
    rejects({ clusterSize: 2, voters: [4, 4] }, 'voters', /twice/);
    rejects({ clusterSize: 1, voters: [0] }, 'voters', /not a node ID/);
  });

  it('gives the same config ID only to configurations that agree on voters and safety timings', () => {
    const base = configId(resolveConfig({ clusterSize: 3 }));
    assert.equal(configId(resolveConfig({ clusterSize: 3, heartbeatMs: 50 })), base, 'heartbeats may differ');
    assert.notEqual(configId(resolveConfig({ clusterSize: 5 })), base);
    assert.notEqual(configId(resolveConfig({ clusterSize: 3, timeoutMs: 2000, leaseMs: 1800 })), base);
  });

  it('adds the agreed description (a cluster file) to the config ID; an empty one changes nothing', () => {
    const config = resolveConfig({ clusterSize: 3 });
    assert.equal(configId(config, ''), configId(config));
    assert.notEqual(configId(config, '{"cluster":"lab"}'), configId(config));
    assert.notEqual(configId(config, '{"cluster":"lab"}'), configId(config, '{"cluster":"lab2"}'));
  });
});
