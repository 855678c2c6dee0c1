/**
 * The cluster file: every field checked and named by its JSON path; this machine's ID found by its
 * host name or address (injected here); flags it decides refused beside it; its content, not its
 * bytes, in the config ID.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseClusterFile } from '../../src/session/cluster-file.ts';
import { matchVoters, type Machine } from '../../src/session/voter-hosts.ts';
import { parseRunFlags } from '../../src/session/run-command.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-cluster-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LAB = { cluster: 'lab', voters: { 1: 'pc-01', 2: 'pc-02.lab.example', 3: '10.0.0.3' } };

function file(content: unknown, name = 'lab.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const machine = (hostname: string, ...addresses: string[]): (() => Machine) => () => ({ hostname, addresses: ['127.0.0.1', ...addresses] });

describe('cluster file fields', () => {
  it('reads the name, the voters by ID, the timers and the key file relative to the file', () => {
    const parsed = parseClusterFile(JSON.stringify({ ...LAB, timeoutMs: 2000, keyFile: 'keys/lab.key' }), '/etc/conclave/lab.json');
    assert.equal(parsed.cluster, 'lab');
    assert.deepEqual([...parsed.voters], [[1, 'pc-01'], [2, 'pc-02.lab.example'], [3, '10.0.0.3']]);
    assert.deepEqual(parsed.timers, { timeoutMs: 2000 });
    assert.equal(parsed.keyFile, '/etc/conclave/keys/lab.key');
  });

  for (const [content, expected] of [
    ['{"cluster": "lab", "voters": {"1": "pc-01",}}', /^lab\.json: \$: not valid JSON: .* \(line 1, column \d+\)$/],
    ['[1, 2]', /^lab\.json: \$: expected an object with "cluster" and "voters", got an array$/],
    [{ voters: LAB.voters }, /^lab\.json: \$\.cluster: missing: expected the cluster's name$/],
    [{ ...LAB, cluster: 'my lab' }, /^lab\.json: \$\.cluster: expected a cluster name: "my lab": use 1 to 64 letters/],
    [{ cluster: 'lab' }, /^lab\.json: \$\.voters: missing: expected an object from node ID to host name/],
    [{ cluster: 'lab', voters: ['pc-01'] }, /^lab\.json: \$\.voters: expected an object .*, got an array$/],
    [{ cluster: 'lab', voters: {} }, /^lab\.json: \$\.voters: expected 1 to 255 voters, got 0$/],
    [{ cluster: 'lab', voters: { '01': 'pc-01' } }, /^lab\.json: \$\.voters\["01"\]: expected a node ID \(an integer from 1 to 4294967295, without leading zeros\) as the key$/],
    [{ cluster: 'lab', voters: { x: 'pc-01' } }, /^lab\.json: \$\.voters\.x: expected a node ID/],
    [{ cluster: 'lab', voters: { 1: 7 } }, /^lab\.json: \$\.voters\["1"\]: expected a host name or IPv4 address, got number 7$/],
    [{ cluster: 'lab', voters: { 1: 'pc 01' } }, /^lab\.json: \$\.voters\["1"\]: expected a host name or IPv4 address: "pc 01" is not a host name/],
    [{ cluster: 'lab', voters: { 1: '10.0.0.256' } }, /\$\.voters\["1"\]: .*"10\.0\.0\.256" is not an IPv4 address/],
    [{ cluster: 'lab', voters: { 1: 'PC-01', 2: 'pc-01' } }, /^lab\.json: \$\.voters\["2"\]: "pc-01" is listed twice: also for node 1 \("PC-01"\)/],
    [{ cluster: 'lab', voters: { 1: 'pc-01.lab.example', 2: 'pc-01' } }, /\$\.voters\["2"\]: "pc-01" is listed twice: also for node 1/],
    ['{"cluster": "lab", "voters": {"1": "pc-01", "1": "pc-02"}}', /^lab\.json: \$\.voters\["1"\]: is given twice in one object/],
    [{ ...LAB, timeout: 2000 }, /^lab\.json: \$\.timeout: unknown field \(did you mean "timeoutMs"\?\); expected cluster, voters, keyFile, heartbeatMs/],
    [{ ...LAB, 'heartbeat-ms': 50 }, /^lab\.json: \$\["heartbeat-ms"\]: unknown field \(did you mean "heartbeatMs"\?\)/],
    [{ ...LAB, group: '239.1.1.1' }, /^lab\.json: \$\.group: unknown field; expected/],
    [{ ...LAB, timeoutMs: '2000' }, /^lab\.json: \$\.timeoutMs: expected an integer number of milliseconds from 1 to 3600000, got "2000"$/],
    [{ ...LAB, dampingMs: -1 }, /^lab\.json: \$\.dampingMs: expected an integer number of milliseconds from 0/],
    [{ ...LAB, timeoutMs: 1000, leaseMs: 1000 }, /^lab\.json: \$\.leaseMs: 1000 must be below the election timeout/],
    [{ ...LAB, keyFile: '' }, /^lab\.json: \$\.keyFile: expected a path/],
  ] as const) {
    it(`names the field: ${typeof content === 'string' ? content : JSON.stringify(content)}`, () => {
      assert.throws(() => parseClusterFile(typeof content === 'string' ? content : JSON.stringify(content), 'lab.json'), (error: Error) => {
        assert.equal(error.name, 'ClusterFileError');
        assert.match(error.message, expected);
        return true;
      });
    });
  }

  it('skips a byte order mark (Notepad writes one)', () => {
    assert.equal(parseClusterFile(`\uFEFF${JSON.stringify(LAB)}`, 'lab.json').cluster, 'lab');
  });

  it('hashes what the file decides, not how it is written', () => {
    const canonical = (content: unknown): string => parseClusterFile(JSON.stringify(content), 'lab.json').canonical;
    const base = canonical(LAB);
    assert.equal(canonical({ voters: { 3: '10.0.0.3', 2: 'PC-02.lab.example.', 1: 'pc-01' }, cluster: 'lab' }), base, 'order, case, final dot');
    assert.equal(canonical({ ...LAB, timeoutMs: 1000 }), base, 'a default written out');
    assert.notEqual(canonical({ ...LAB, timeoutMs: 2000 }), base);
    assert.notEqual(canonical({ ...LAB, dampingMs: 5000 }), base);
    assert.notEqual(canonical({ ...LAB, voters: { ...LAB.voters, 3: '10.0.0.4' } }), base, 'another host');
    assert.notEqual(canonical({ ...LAB, cluster: 'lab2' }), base);
  });
});

describe('which voter this machine is', () => {
  const voters = new Map([[1, 'pc-01'], [2, 'PC-02.lab.example'], [3, '10.0.0.3']]);
  const ids = (m: () => Machine): number[] => matchVoters(voters, m()).map((v) => v.id);

  it('by host name, in any case, with or without the domain', () => {
    assert.deepEqual(ids(machine('pc-01')), [1]);
    assert.deepEqual(ids(machine('PC-01.lab.example')), [1]);
    assert.deepEqual(ids(machine('pc-02')), [2]);
    assert.deepEqual(ids(machine('pc-02.LAB.example')), [2]);
    assert.deepEqual(ids(machine('pc-02.other.example')), [], 'not another domain');
  });

  it('by an interface address', () => {
    assert.deepEqual(ids(machine('anything', '10.0.0.3')), [3]);
    assert.deepEqual(ids(machine('pc-01', '10.0.0.3')), [1, 3]);
  });
});

describe('conclave run --cluster-file', () => {
  const labFile = file(LAB);

  it('takes the voters, the cluster and the timers from the file, and its ID from the host name', () => {
    const settings = parseRunFlags(['--cluster-file', file({ ...LAB, heartbeatMs: 50, timeoutMs: 600 }, 'timers.json')], {}, machine('pc-02'))!;
    assert.equal(settings.node.id, 2);
    assert.equal(settings.node.clusterSize, 3);
    assert.deepEqual(settings.node.voters, [1, 2, 3]);
    assert.equal(settings.node.cluster, 'lab');
    assert.equal(settings.node.heartbeatMs, 50);
    assert.equal(settings.node.timeoutMs, 600);
    assert.equal(settings.node.agreedDescription, settings.clusterFile!.file.canonical);
    assert.equal(settings.clusterFile!.how, 'host name matches "pc-02.lab.example"');
  });

  it('from CONCLAVE_CLUSTER_FILE too; --cluster-file wins over it', () => {
    assert.equal(parseRunFlags([], { CONCLAVE_CLUSTER_FILE: labFile }, machine('x', '10.0.0.3'))!.node.id, 3);
    const other = file({ cluster: 'other', voters: { 7: '10.0.0.3' } }, 'other.json');
    assert.equal(parseRunFlags(['--cluster-file', other], { CONCLAVE_CLUSTER_FILE: labFile }, machine('x', '10.0.0.3'))!.node.cluster, 'other');
  });

  it('--id overrides the match', () => {
    assert.equal(parseRunFlags(['--cluster-file', labFile, '--id', '1'], {}, machine('pc-02'))!.node.id, 1);
    assert.equal(parseRunFlags(['--cluster-file', labFile, '--id', '1'], {}, machine('nobody'))!.clusterFile!.how, 'given by --id');
  });

  it('reads the key file it names, relative to itself', () => {
    writeFileSync(join(dir, 'lab.key'), '1:0123456789abcdef0123456789abcdef\n', { mode: 0o600 });
    const settings = parseRunFlags(['--cluster-file', file({ ...LAB, keyFile: 'lab.key' }, 'keyed.json')], {}, machine('pc-01'))!;
    assert.equal(settings.node.keys?.sendKeyId, 1);
    assert.equal(settings.keyWarning, null);
  });

  for (const [flags, m, expected] of [
    [[], machine('pc-09', '10.0.0.9'), /lab\.json: no voter is this machine \(compared host name "pc-09", addresses 127\.0\.0\.1, 10\.0\.0\.9; the voters are 1: pc-01, 2: pc-02\.lab\.example, 3: 10\.0\.0\.3\); add it, or give --id/],
    [[], machine('pc-01.lab.example', '10.0.0.3'), /lab\.json: several voters are this machine: 1 \("pc-01", by host name\), 3 \("10\.0\.0\.3", by address\) \(compared host name "pc-01\.lab\.example" \(and "pc-01"\), addresses 127\.0\.0\.1, 10\.0\.0\.3\)/],
    [['--cluster-size', '3'], machine('pc-01'), /--cluster-size conflicts with --cluster-file .*lab\.json: the file decides the voters; give one or the other/],
    [['--timeout-ms', '2000'], machine('pc-01'), /--timeout-ms conflicts with --cluster-file .*lab\.json: the file decides the timers/],
    [['--cluster', 'lab'], machine('pc-01'), /--cluster conflicts with --cluster-file/],
    [['--backend', 'zookeeper://127.0.0.1:2181'], machine('pc-01'), /--backend conflicts with --cluster-file/],
    [['--id', '7'], machine('pc-01'), null],
  ] as const) {
    it(`exits 2 naming what it compared or both sides: ${flags.join(' ') || m().hostname}`, () => {
      if (expected === null) {
        // An --id that is not a voter fails when the node starts, like any other.
        assert.equal(parseRunFlags(['--cluster-file', labFile, ...flags], {}, m)!.node.id, 7);
        return;
      }
      assert.throws(() => parseRunFlags(['--cluster-file', labFile, ...flags], {}, m), (error: Error) => error.name === 'UsageError' && expected.test(error.message));
    });
  }

  it('a key file it names: --key-file beside it conflicts; one that cannot be read is named as its keyFile', () => {
    const keyed = file({ ...LAB, keyFile: 'lab.key' }, 'keyed-2.json');
    assert.throws(() => parseRunFlags(['--cluster-file', keyed, '--key-file', 'other.key'], {}, machine('pc-01')), /--key-file conflicts with --cluster-file .*keyed-2\.json, whose keyFile is .*lab\.key/);
    const missing = file({ ...LAB, keyFile: 'absent.key' }, 'absent-key.json');
    assert.throws(() => parseRunFlags(['--cluster-file', missing], {}, machine('pc-01')), /absent-key\.json: \$\.keyFile: .*absent\.key: cannot be read/);
  });

  it('names the environment variable when the file came from it', () => {
    assert.throws(() => parseRunFlags(['--voters', '1,2,3'], { CONCLAVE_CLUSTER_FILE: labFile }, machine('pc-01')), /--voters conflicts with CONCLAVE_CLUSTER_FILE=.*lab\.json/);
  });

  it('exits 2 from the command line, naming the file and the field', () => {
    const bad = file({ ...LAB, timeoutMs: 'soon' }, 'bad.json');
    const result = spawnSync(process.execPath, [CLI, 'run', '--cluster-file', bad], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^conclave: .*bad\.json: \$\.timeoutMs: expected an integer number of milliseconds from 1 to 3600000, got "soon"$/m);
    const missing = spawnSync(process.execPath, [CLI, 'run', '--cluster-file', join(dir, 'none.json')], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /none\.json: cannot be read \(no such file\)/);
  });
});
