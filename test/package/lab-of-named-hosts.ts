/**
 * A lab of five machines for the tests of the forms Conclave is installed in (the installed npm
 * package, the single executable): each host a network namespace with a host name of its own (a
 * UTS namespace inside it), one cluster file and one key for all, and the same command line on
 * every host, as on a room of real machines. Each must find its ID and elect the highest.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { assertNoOverlap } from '../net/checks.ts';

/** Every host serves its dashboard here, on its own loopback. */
export const DASHBOARD_PORT = 7781;
const HOST_NAMES = ['pc-01', 'pc-02', 'pc-03', 'pc-04', 'pc-05'];

/**
 * Starts five hosts that run `program run --json --cluster-file <lab.json> --dashboard-port …`
 * and waits until all follow n5. Their environment is this process's, or ('empty PATH') nothing
 * but a PATH of one empty directory; either way with XDG_STATE_HOME in the lab's directory, where
 * the nodes keep their state. The caller destroys the lab.
 */
export async function labFromOneFile(program: string[], environment: 'inherited' | 'empty PATH' = 'inherited'): Promise<NetnsLab> {
  let file = '';
  const lab = NetnsLab.create(5, 5, {
    command: ({ id, dir }) => [
      'unshare', '--uts', 'sh', '-c', 'hostname "$1" && shift && exec "$@"', 'sh', HOST_NAMES[id - 1]!,
      '/usr/bin/env', ...(environment === 'empty PATH' ? ['-i', `PATH=${join(dir, 'empty')}`] : []), `XDG_STATE_HOME=${join(dir, 'state')}`,
      ...program, 'run', '--json', '--cluster-file', file, '--dashboard-port', String(DASHBOARD_PORT),
    ],
  });
  try {
    mkdirSync(join(lab.dir, 'empty'));
    // n3 by its address, the others by host name; the key beside the file.
    const voters = { 1: 'pc-01', 2: 'pc-02', 3: lab.node(3).ip, 4: 'pc-04', 5: 'pc-05' };
    file = join(lab.dir, 'lab.json');
    writeFileSync(file, JSON.stringify({ cluster: 'lab', voters, keyFile: 'key' }, null, 2));
    lab.startAll();
    const all = [1, 2, 3, 4, 5];
    await lab.waitFor('all five to follow n5', () => lab.agreed(all) === 5, 20_000);
    for (const id of all) {
      const started = lab.node(id).current.find(isEvent('started'));
      assert.ok(started, `n${id} printed no started event`);
      assert.equal(started.id, id, `${HOST_NAMES[id - 1]} found its ID in the file`);
      assert.ok('authenticated' in started && started.authenticated, `n${id} uses the file's key`);
    }
    assert.deepEqual([...new Set(assertNoOverlap(lab).map((lease) => lease.node))], ['n5'], 'only n5 ever led');
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}

/**
 * GETs `path` from a server on the loopback of namespace `ns` (this process is outside it), with
 * the Node running the tests: the fetcher is not what is under test.
 */
export function fetchInNamespace(lab: NetnsLab, ns: string, port: number, path: string): { status: number; type: string; body: string } {
  const script = `fetch('http://127.0.0.1:${port}${path}').then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() })))`;
  return JSON.parse(lab.exec(ns, [process.execPath, '-e', script])) as { status: number; type: string; body: string };
}
