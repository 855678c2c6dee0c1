/** The multicast socket's plan for each process.platform, and --bind-multicast over it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMulticastBind, multicastSocketPlan } from '../../src/net/multicast-socket-plan.ts';
import { UsageError, parseRunFlags } from '../../src/session/run-command.ts';

const BASE = { group: '239.255.77.7', port: 7707, interfaceAddress: '192.168.10.21' };

describe('multicast socket plan', () => {
  it('Windows: bind 0.0.0.0 with SO_REUSEADDR, join the group on the interface, send from it', () => {
    const plan = multicastSocketPlan({ ...BASE, platform: 'win32' });
    assert.deepEqual(
      { ...plan, why: undefined },
      { bind: 'wildcard', bindAddress: '0.0.0.0', port: 7707, reuseAddr: true, join: { group: '239.255.77.7', interfaceAddress: '192.168.10.21' }, multicastInterface: '192.168.10.21', why: undefined },
    );
    assert.match(plan.why, /^win32: Windows refuses a bind to a multicast address \(WSAEADDRNOTAVAIL\)$/);
  });

  for (const platform of ['linux', 'darwin', 'freebsd'] as const) {
    it(`${platform}: bind the group (it filters other groups out), join it on the interface`, () => {
      const plan = multicastSocketPlan({ ...BASE, platform });
      assert.equal(plan.bind, 'group');
      assert.equal(plan.bindAddress, '239.255.77.7');
      assert.equal(plan.reuseAddr, true);
      assert.deepEqual(plan.join, { group: '239.255.77.7', interfaceAddress: '192.168.10.21' });
      assert.equal(plan.multicastInterface, null);
      assert.match(plan.why, new RegExp(`^${platform}: bound to the group`));
    });
  }

  it('--bind-multicast wins over the platform, either way', () => {
    assert.equal(multicastSocketPlan({ ...BASE, platform: 'linux', bind: 'wildcard' }).bindAddress, '0.0.0.0');
    assert.equal(multicastSocketPlan({ ...BASE, platform: 'win32', bind: 'group' }).bindAddress, '239.255.77.7');
    assert.equal(multicastSocketPlan({ ...BASE, platform: 'linux', bind: 'wildcard' }).why, '--bind-multicast wildcard');
  });

  it('defaults by platform', () => {
    assert.deepEqual((['win32', 'linux', 'darwin', 'aix'] as const).map(defaultMulticastBind), ['wildcard', 'group', 'group', 'group']);
  });
});

describe('--bind-multicast', () => {
  const flags = ['--id', '1', '--cluster-size', '3'];
  it('takes group or wildcard', () => {
    assert.equal(parseRunFlags([...flags, '--bind-multicast', 'wildcard'], {})!.node.multicastBind, 'wildcard');
    assert.equal(parseRunFlags([...flags, '--bind-multicast', 'group'], {})!.node.multicastBind, 'group');
    assert.equal(parseRunFlags(flags, {})!.node.multicastBind, undefined, 'absent: by platform');
  });

  it('anything else, or with --no-multicast: a usage error naming it', () => {
    assert.throws(() => parseRunFlags([...flags, '--bind-multicast', 'any'], {}), (error: unknown) => error instanceof UsageError && error.message === '--bind-multicast must be group or wildcard, got "any"');
    assert.throws(() => parseRunFlags([...flags, '--no-multicast', '--seeds', 'h:1', '--bind-multicast', 'group'], {}), /--bind-multicast has no effect with --no-multicast/);
  });
});
