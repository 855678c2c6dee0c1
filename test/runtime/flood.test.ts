/**
 * A leader flooded with forged datagrams (a bad MAC) keeps its lease: the node reads a bounded
 * batch per socket per turn of the event loop (libuv: 32 datagrams), so its timers (lease rounds,
 * the step-down check) still run while datagrams keep arriving faster than it can drop them, and
 * every forgery it reads is dropped and counted as `bad-mac`, never reaching the core. A one-node
 * cluster on loopback, without multicast; the flooder (bench/flood-sender.ts, bounded in count and
 * time) sends unicast to its port on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import type { NodeEvent } from '../../src/contract/events.ts';
import { until } from '../helpers/listener-isolation.ts';
import { startLoopbackNode } from '../helpers/loopback-node.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
/** More a second than one core can drop (a few µs each), for long enough to outlast several leases. */
const RATE = 60_000;
const SECONDS = 3;

it('a leader flooded with bad-MAC datagrams keeps its lease, and counts each one it read as bad-mac', async () => {
  const { node, close } = await startLoopbackNode('lab', {
    keys: { sendKeyId: 1, keys: new Map([[1, new TextEncoder().encode('the cluster key, not the forger')]]) },
    dampingMs: 0,
  });
  try {
    const lines: NodeEvent[] = [];
    node.on('event', (line) => lines.push(line));
    await until(lines, 'elected', 1);
    const target = `127.0.0.1:${node.status().network!.unicastPort}`;
    const flooder = spawn(process.execPath, ['--import', 'tsx', 'bench/flood-sender.ts', '127.0.0.1', String(RATE), String(SECONDS), '1', target], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let said = '';
    flooder.stdout.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
    await new Promise((resolve) => flooder.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200)); // what is still queued is read
    const sent = Number(/sent (\d+)/.exec(said)?.[1]);
    const { drops } = node.status();
    console.log(`flood: ${said.trim()}; ${drops['bad-mac']} counted as bad-mac`);
    assert.ok(drops['bad-mac'] > 0 && drops['bad-mac'] <= sent, `${drops['bad-mac']} of ${sent} forgeries counted as bad-mac`);
    const otherDrops = Object.entries(drops).filter(([reason, count]) => reason !== 'bad-mac' && count > 0);
    assert.deepEqual(otherDrops, [], 'every forgery was dropped for its MAC');
    assert.deepEqual(lines.filter((line) => line.event === 'demoted' || line.event === 'stalled'), [], 'no step-down, no stall');
    assert.ok(node.hasLease(), 'the leader still holds its lease');
  } finally {
    await close();
  }
});
