/**
 * The end of a lab run when a part of it fails: every later part still runs (the nodes stop and
 * the namespaces go), each failure is named, and the run exits non-zero.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DemoLab } from '../../src/lab/demo-lab.ts';
import { shutDown } from '../../src/lab/shutdown.ts';
import { StandInHosts } from './stand-in-hosts.ts';

describe('lab shutdown', () => {
  it('runs every step although earlier ones fail, names each failure, and gives status 1', async () => {
    const ran: string[] = [];
    const reported: string[] = [];
    const status = await shutDown(
      [
        ['closing the window', () => void ran.push('window')],
        ['closing the page server', () => Promise.reject(new Error('server will not close'))],
        ['stopping the nodes', () => {
          ran.push('nodes');
          throw new Error('lab.stop() failed');
        }],
        ['removing the lab', async () => void ran.push('lab')],
      ],
      (line) => reported.push(line),
    );
    assert.equal(status, 1);
    assert.deepEqual(ran, ['window', 'nodes', 'lab']);
    assert.deepEqual(reported, ['closing the page server failed: server will not close', 'stopping the nodes failed: lab.stop() failed']);
    assert.equal(await shutDown([['nothing', () => {}]], () => assert.fail('nothing failed')), 0);
  });

  it('removes the hosts (namespaces, processes, files) even when stopping a node fails', async () => {
    const hosts = new StandInHosts(3);
    hosts.signal = () => {
      throw new Error('kill failed');
    };
    const lab = new DemoLab(hosts, { mode: 'netns', modeReason: 'test', heartbeatMs: 100, memberBeatMs: 1000, timeoutMs: 1000, supports: { unplug: true, partition: true, loss: true } });
    lab.startAll();
    for (const node of hosts.nodes) node.process = {} as never;
    await assert.rejects(lab.stop(0), /kill failed/);
    assert.equal(hosts.calls.at(-1), 'destroy');
  });
});
