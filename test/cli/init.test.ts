/** `conclave init`: the host list, and a cluster file and key that `conclave run` then reads. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { expandHosts } from '../../src/cli/host-list.ts';
import { parseRunFlags } from '../../src/session/run-command.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'conclave-init-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function init(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'init', ...args], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
}

describe('the host list', () => {
  it('expands ranges, keeping zero padding, and comma-separated names and addresses in order', () => {
    assert.deepEqual(expandHosts(['pc-01..pc-03']), ['pc-01', 'pc-02', 'pc-03']);
    assert.deepEqual(expandHosts(['pc-08..12']), ['pc-08', 'pc-09', 'pc-10', 'pc-11', 'pc-12']);
    assert.deepEqual(expandHosts(['pc-9..pc-11']), ['pc-9', 'pc-10', 'pc-11']);
    assert.deepEqual(expandHosts(['lab1-pc01.school.example..lab1-pc02.school.example']), ['lab1-pc01.school.example', 'lab1-pc02.school.example']);
    assert.deepEqual(expandHosts(['10.0.0.11..10.0.0.13,teacher', '10.0.1.5']), ['10.0.0.11', '10.0.0.12', '10.0.0.13', 'teacher', '10.0.1.5']);
    assert.deepEqual(expandHosts(['10.0.0.254..255']), ['10.0.0.254', '10.0.0.255']);
  });

  for (const [args, expected] of [
    [[], /no hosts given/],
    [['pc-03..pc-01'], /"pc-03\.\.pc-01" counts down/],
    [['pc-01..lab-03'], /"pc-01\.\.lab-03" is not a range/],
    [['pc..pc-3'], /is not a range/],
    [['pc-1..pc-2..pc-3'], /is not a range/],
    [['10.0.0.250..260'], /"10\.0\.0\.256" is not an IPv4 address/],
    [['pc-01,PC-01'], /"PC-01" is listed twice \(as host 1 and 2\)/],
    [['pc_1..pc_300'], /300 hosts: a cluster has at most 255 voters/],
    [['pc 01'], /"pc 01" is not a host name/],
  ] as const) {
    it(`refuses ${args.join(' ') || 'nothing'}`, () => assert.throws(() => expandHosts(args), expected));
  }
});

describe('conclave init', () => {
  it('takes a file name with a space (as Windows users name files): the cluster name gets a hyphen, the printed command quotes it', () => {
    const result = init(['pc-01..pc-03', '--out', 'Lab 2.json']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^wrote Lab 2\.json: cluster "Lab-2", 3 voters/m);
    assert.match(result.stdout, /^wrote Lab 2\.key: a fresh key/m);
    assert.match(result.stdout, /^ {2}conclave run --cluster-file "Lab 2\.json"$/m);
    const settings = parseRunFlags(['--cluster-file', join(dir, 'Lab 2.json')], {}, () => ({ hostname: 'pc-02', addresses: [] }))!;
    assert.equal(settings.node.id, 2);
    assert.equal(settings.node.cluster, 'Lab-2');
    assert.equal(settings.node.keys?.sendKeyId, 1);
  });

  it('writes a cluster file and a fresh key (mode 600) that conclave run reads on each machine', () => {
    const result = init(['pc-01..pc-03,10.0.0.9', '--out', 'lab.json', '--timeout-ms', '2000']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^wrote lab\.json: cluster "lab", 4 voters \(1 pc-01, 2 pc-02, 3 pc-03, 4 10\.0\.0\.9\); the highest live ID leads$/m);
    assert.match(result.stdout, /^wrote lab\.key: a fresh key \(mode 600\); keep it secret$/m);
    assert.match(result.stdout, /^ {2}conclave run --cluster-file lab\.json$/m);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')), {
      cluster: 'lab',
      voters: { 1: 'pc-01', 2: 'pc-02', 3: 'pc-03', 4: '10.0.0.9' },
      timeoutMs: 2000,
      keyFile: 'lab.key',
    });
    assert.equal(statSync(join(dir, 'lab.key')).mode & 0o777, 0o600);
    const key = readFileSync(join(dir, 'lab.key'), 'utf8');
    assert.match(key, /^1:[0-9a-f]{64}$/m);

    for (const [hostname, addresses, id] of [['PC-02.school.example', [], 2], ['laptop', ['10.0.0.9'], 4]] as const) {
      const settings = parseRunFlags(['--cluster-file', join(dir, 'lab.json')], {}, () => ({ hostname, addresses }))!;
      assert.equal(settings.node.id, id);
      assert.deepEqual(settings.node.voters, [1, 2, 3, 4]);
      assert.equal(settings.node.timeoutMs, 2000);
      assert.equal(settings.node.keys?.sendKeyId, 1);
      assert.equal(settings.keyWarning, null, 'mode 600');
    }
  });

  it('replaces no file without --force; with it, writes a fresh key', () => {
    writeFileSync(join(dir, 'kept.key'), 'mine\n');
    const refused = init(['pc-01..pc-02', '--out', 'kept.json']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^conclave: init: kept\.key exists; give --force to replace it$/m);
    assert.equal(readFileSync(join(dir, 'kept.key'), 'utf8'), 'mine\n');
    assert.throws(() => statSync(join(dir, 'kept.json')), /ENOENT/, 'nothing written');

    const forced = init(['pc-01..pc-02', '--out', 'kept.json', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(readFileSync(join(dir, 'kept.key'), 'utf8'), /^1:[0-9a-f]{64}$/m);
    assert.equal(statSync(join(dir, 'kept.key')).mode & 0o777, 0o600);
    const first = readFileSync(join(dir, 'kept.key'), 'utf8');
    assert.equal(init(['pc-01..pc-02', '--out', 'kept.json', '--force']).status, 0);
    assert.notEqual(readFileSync(join(dir, 'kept.key'), 'utf8'), first, 'a fresh key each time');
  });

  for (const [args, expected] of [
    [['pc-01..pc-03', '--out', 'bad.json', '--cluster', 'a lab'], /^conclave: init: would write a cluster file that conclave run refuses: bad\.json: \$\.cluster: expected a cluster name/m],
    [['pc-01', '--out', 'bad.json', '--lease-ms', '1000'], /\$\.leaseMs: 1000 must be below/m],
    [['pc-01', '--timeout-ms', 'x'], /^conclave: init: --timeout-ms must be an integer from 1 to 3600000, got "x"$/m],
    [['pc-01', '--voters', '1'], /^conclave: init: Unknown option '--voters'/m],
    [['pc-03..pc-01'], /counts down/],
  ] as const) {
    it(`exits 2 naming the problem: ${args.join(' ')}`, () => {
      const result = init(args as unknown as string[]);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.match(result.stderr, /see 'conclave init --help'/);
    });
  }

  it('--help', () => {
    const result = init(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /usage: conclave init <hosts…>/);
    assert.match(result.stdout, /--timeout-ms <ms>/);
  });
});
