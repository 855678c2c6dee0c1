/**
 * The receive path is lossless: a burst of 10,000 datagrams from 5 senders all reach the
 * runtime. Runs in a fresh network namespace whose loopback carries the multicast.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const NS = `cvburst${process.pid}`;

const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

function inNamespace(args: string[]): ReturnType<typeof spawn> {
  return spawn('ip', ['netns', 'exec', NS, process.execPath, '--import', 'tsx', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
}

async function burst(mode: 'listener' | 'recv'): Promise<number> {
  const receiver = inNamespace(['test/net/burst-receiver.ts', mode]);
  let output = '';
  receiver.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const done = new Promise<void>((resolve) => receiver.once('exit', () => resolve()));
  while (!output.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
  const senders = Array.from({ length: 5 }, () => inNamespace(['test/net/burst-sender.ts', '239.255.77.9', '7799', '2000', '120']));
  await Promise.all(senders.map((s) => new Promise((resolve) => s.once('exit', resolve))));
  receiver.stdin!.write('senders done\n');
  await done;
  const match = /received (\d+)/.exec(output);
  assert.ok(match, output);
  return Number(match[1]);
}

describe('receive path', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('takes in all of a 10,000-datagram burst from 5 senders', async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    try {
      for (const command of [['ip', 'link', 'set', 'lo', 'up'], ['ip', 'link', 'set', 'lo', 'multicast', 'on'], ['ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo']]) {
        execFileSync('ip', ['netns', 'exec', NS, ...command]);
      }
      const received = await burst('listener');
      const viaRecv = await burst('recv');
      console.log(`10000 sent: ${received} received through UdpTransport's listener, ${viaRecv} through a recv() loop`);
      assert.equal(received, 10_000);
      assert.ok(viaRecv < received, 'the recv() loop loses datagrams between calls (why the transport does not use it)');
    } finally {
      execFileSync('ip', ['netns', 'del', NS]);
    }
  });
});
