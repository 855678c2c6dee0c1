/**
 * Three hosts in network namespaces, each running the node that `program` names (the installed
 * package's command, a single executable), as `conclave run` with the lab's flags. Shared by the
 * tests of the forms Conclave is installed in: each must elect one leader among separate hosts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { assertNoOverlap } from '../net/checks.ts';

export const DASHBOARD_PORT = 7781;

/**
 * Starts three hosts running `program` (n3 with its dashboard on 127.0.0.1:DASHBOARD_PORT in its
 * namespace) and waits until all agree on n3, the highest ID. The caller destroys the lab.
 */
export async function threeHostsElect(program: string[]): Promise<NetnsLab> {
  const lab = NetnsLab.create(3, 3, {
    command: ({ id, nodeId, dir, flags }) => [
      ...program, 'run',
      '--id', String(nodeId), '--cluster-size', '3', '--interface', 'eth0', '--json',
      '--key-file', join(dir, 'key'), '--data-dir', join(dir, `n${id}`), '--cluster', 'lab',
      ...(id === 3 ? ['--dashboard-port', String(DASHBOARD_PORT)] : []),
      ...flags,
    ],
  });
  try {
    lab.startAll();
    await lab.waitFor('all three agree on n3', () => lab.agreed([1, 2, 3]) === 3, 20_000);
    for (const node of lab.nodes) assert.ok(node.events.some((e) => e.event === 'started'), `n${node.id} printed no started event`);
    assert.deepEqual(assertNoOverlap(lab).map((interval) => interval.node), [3], 'only n3 ever led');
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
