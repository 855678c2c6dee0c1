/** `conclave watch` names the cluster as `conclave run` does, and gets the same config ID. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configId } from '../../src/core/index.ts';
import { resolveOptions } from '../../src/runtime/options.ts';
import { parseRunFlags, UsageError } from '../../src/session/run-command.ts';
import { parseWatchFlags } from '../../src/watch/watch-flags.ts';

const dir = mkdtempSync(join(tmpdir(), 'watch-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('conclave watch flags', () => {
  it('from a cluster file in which no voter is this machine: the file\'s config ID and key', () => {
    writeFileSync(join(dir, 'lab.key'), `1:${'k'.repeat(32)}\n`, { mode: 0o600 });
    const file = join(dir, 'lab.json');
    writeFileSync(file, JSON.stringify({ cluster: 'lab', voters: { 1: 'pc-01', 2: 'pc-02', 3: '10.9.9.3' }, timeoutMs: 2000, keyFile: 'lab.key' }));
    const watch = parseWatchFlags(['--cluster-file', file], {})!;
    const node = parseRunFlags(['--cluster-file', file, '--id', '2'], {})!;
    assert.equal(watch.configId, node.clusterFile!.configId);
    assert.equal(watch.cluster, 'lab');
    assert.deepEqual(watch.config.voters, [1, 2, 3]);
    assert.equal(watch.keys?.keys.size, 1);
    assert.deepEqual(watch.page, { host: '127.0.0.1', port: 0 });
    assert.throws(() => parseWatchFlags(['--cluster-file', file, '--cluster-size', '3'], {}), /--cluster-size conflicts with --cluster-file/);
  });

  it('from flags: the config ID a node with the same flags has', () => {
    const flags = ['--cluster-size', '5', '--timeout-ms', '2000', '--member-beat-ms', '1500'];
    const watch = parseWatchFlags([...flags, '--json', '--record', 'r.jsonl'], {})!;
    const node = resolveOptions(parseRunFlags([...flags, '--id', '3'], {})!.node);
    assert.equal(watch.configId, configId(node.config));
    assert.equal(watch.json, true);
    assert.equal(watch.page, null);
    assert.equal(watch.record, 'r.jsonl');
  });

  it('refuses what it cannot use, naming the flag', () => {
    assert.throws(() => parseWatchFlags([], {}), /--cluster-size is required/);
    assert.throws(() => parseWatchFlags(['--cluster-size', '3', '--voters', '1,2'], {}), /--voters lists 2 IDs/);
    assert.throws(() => parseWatchFlags(['--cluster-size', '3', '--json', '--page-port', '80'], {}), UsageError);
    assert.throws(() => parseWatchFlags(['--cluster-size', '3', '--id', '1'], {}), /Unknown option '--id'/);
    assert.equal(parseWatchFlags(['--help'], {}), null);
  });

  it('names the flag of a timer the election refuses, as conclave run does', () => {
    assert.throws(() => parseWatchFlags(['--cluster-size', '3', '--lease-ms', '1000'], {}), /^UsageError: --lease-ms: 1000 must be below the election timeout/);
  });
});
