/** `conclave run`'s flags: parsed into settings, and a bad one named with exit status 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parseRunFlags } from '../../src/session/run-command.ts';
import type { OptionError } from '../../src/contract/errors.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const BASE = ['--id', '1', '--cluster-size', '3'];

describe('dashboard flags', () => {
  it('are off unless --dashboard-port is given; the host defaults to loopback', () => {
    assert.equal(parseRunFlags(BASE, {})!.dashboard, null);
    assert.deepEqual(parseRunFlags([...BASE, '--dashboard-port', '0'], {})!.dashboard, { port: 0, host: '127.0.0.1', controls: false });
    assert.deepEqual(parseRunFlags([...BASE, '--dashboard-port', '8080', '--dashboard-host', '0.0.0.0', '--dashboard-controls'], {})!.dashboard, {
      port: 8080,
      host: '0.0.0.0',
      controls: true,
    });
    assert.deepEqual(parseRunFlags([...BASE, '--dashboard-port', '7780', '--dashboard-socket', '/tmp/n1.sock'], {})!.dashboard, {
      port: 7780,
      host: '127.0.0.1',
      controls: false,
      socketPath: '/tmp/n1.sock',
    });
  });

  for (const [flags, named] of [
    [['--dashboard-port', '70000'], /--dashboard-port must be an integer from 0 to 65535, got "70000"/],
    [['--dashboard-port', 'x'], /--dashboard-port must be an integer/],
    [['--dashboard-host', '0.0.0.0'], /--dashboard-host needs --dashboard-port/],
    [['--dashboard-controls'], /--dashboard-controls needs --dashboard-port/],
    [['--dashboard-socket', '/tmp/n1.sock'], /--dashboard-socket needs --dashboard-port/],
    [['--member-beat-ms', 'abc'], /--member-beat-ms must be an integer from 1 to 60000, got "abc"/],
    [['--member-beat-ms', '50'], /--member-beat-ms: 50 must be at least heartbeatMs \(100\)/],
  ] as const) {
    it(`exit 2 naming the flag: ${flags.join(' ')}`, () => {
      // Rejected while parsing, before any socket is opened.
      const result = spawnSync(process.execPath, [CLI, 'run', ...BASE, ...flags], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, named);
      assert.match(result.stderr, /see 'conclave run --help'/);
    });
  }

  it('--help lists them', () => {
    const result = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 0);
    for (const flag of ['--dashboard-port', '--dashboard-host', '--dashboard-controls']) assert.ok(result.stdout.includes(flag), flag);
  });
});

describe('network flags', () => {
  it('--seeds, --unicast-port and --no-multicast reach the node options', () => {
    const { node } = parseRunFlags([...BASE, '--seeds', '10.0.0.1:7000,lab-pc', '--unicast-port', '7001', '--no-multicast'], {})!;
    assert.equal(node.seeds, '10.0.0.1:7000,lab-pc');
    assert.equal(node.unicastPort, 7001);
    assert.equal(node.multicast, false);
  });

  for (const [flags, named] of [
    [['--no-multicast'], /--no-multicast: without multicast a node finds no peer: give seeds/],
    [['--seeds', '10.0.0.1:0'], /--seeds "10.0.0.1:0": port must be 1 to 65535/],
    [['--seeds', 'a b'], /--seeds "a b": use host:port/],
    [['--unicast-port', '70000'], /--unicast-port must be an integer from 0 to 65535/],
  ] as const) {
    it(`exit 2 naming the flag: ${flags.join(' ')}`, () => {
      const result = spawnSync(process.execPath, [CLI, 'run', ...BASE, ...flags], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, named);
    });
  }
});

describe('--backend', () => {
  it('needs no --cluster-size, and reaches the node options', () => {
    const { node } = parseRunFlags(['--id', '4', '--backend', 'zookeeper://127.0.0.1:2181/x', '--timeout-ms', '2000'], {})!;
    assert.equal(node.backend, 'zookeeper://127.0.0.1:2181/x');
    assert.equal(node.timeoutMs, 2000);
  });

  for (const [flags, named] of [
    [['--seeds', '10.0.0.1'], /--seeds has no effect with --backend/],
    [['--key-file', '/dev/null'], /--key-file has no effect with --backend/],
    [['--data-dir', '/tmp/x'], /--data-dir has no effect with --backend/],
  ] as const) {
    it(`exit 2 naming the flag: --backend with ${flags[0]}`, () => {
      const result = spawnSync(process.execPath, [CLI, 'run', '--id', '1', '--backend', 'zookeeper://127.0.0.1:1/x', ...flags], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, named);
    });
  }

  it('exit 2 naming a bad backend URL', () => {
    const result = spawnSync(process.execPath, [CLI, 'run', '--id', '1', '--backend', 'zookeeper://zk1/a?mode=random'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /--backend "zookeeper:\/\/zk1\/a\?mode=random": mode must be bully or fair/);
  });
});

describe('start-up errors by code', () => {
  it('an OptionError becomes a usage error naming the flag; a RangeError of a bug does not', async () => {
    const { asUsageError } = await import('../../src/session/run-command.ts');
    const { resolveOptions } = await import('../../src/runtime/options.ts');
    let thrown: unknown;
    try {
      resolveOptions({ id: 1, clusterSize: 3, group: '10.0.0.1' });
    } catch (error) {
      thrown = error;
    }
    assert.equal((thrown as Error).name, 'OptionError');
    assert.equal((thrown as OptionError).code, 'ERR_OPTION', 'no longer a RangeError: a ConclaveError, caught by code (docs/errors.md)');
    assert.equal(asUsageError(thrown)?.message, '--group 10.0.0.1 is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255)');
    assert.equal(asUsageError(new RangeError('group index 7 out of range')), null, 'a bug is not a bad flag');
  });

  it('a wrapped error keeps its cause: a metrics port in use', async () => {
    const { createServer } = await import('node:net');
    const { startMetrics } = await import('../../src/metrics/metrics.ts');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const failure = await startMetrics({ id: 1, cluster: 'c' }, () => { throw new Error('unused'); }, { port, host: '127.0.0.1' }).then(
        () => null,
        (error: unknown) => error as Error,
      );
      assert.equal(failure?.name, 'MetricsListenError');
      assert.equal((failure?.cause as NodeJS.ErrnoException | undefined)?.code, 'EADDRINUSE');
    } finally {
      taken.close();
    }
  });
});
