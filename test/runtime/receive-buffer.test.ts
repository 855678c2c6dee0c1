/**
 * A node asks the kernel for a 4 MiB receive buffer per socket, says in its `started` line what
 * it got, and warns when that is less (a flood fills a small one sooner). One-node cluster on
 * loopback, without multicast: its only traffic is unicast to a socket of this test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { NodeEvent } from '../../src/contract/events.ts';
import { RECEIVE_BUFFER_REQUEST_BYTES, receiveBufferWarning } from '../../src/net/receive-buffer.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { startLoopbackNode } from '../helpers/loopback-node.ts';

/** Linux's cap on what a socket may ask for, in bytes; null elsewhere. */
function rmemMax(): number | null {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  } catch {
    return null;
  }
}

describe('receive buffer', () => {
  it('warns, naming the sysctl, only when the kernel gave less than was asked for', () => {
    assert.equal(receiveBufferWarning(2 * RECEIVE_BUFFER_REQUEST_BYTES), null, "Linux's doubled buffer");
    assert.equal(receiveBufferWarning(RECEIVE_BUFFER_REQUEST_BYTES), null);
    const warning = receiveBufferWarning(425_984);
    assert.ok(warning !== null && warning.includes('416 KiB') && warning.includes('4096 KiB') && warning.includes('net.core.rmem_max'), String(warning));
  });

  it('a node reports the buffer the kernel gave it at start, and warns if it is short', async () => {
    const { node, close } = await startLoopbackNode('rcvbuf');
    const lines: NodeEvent[] = [];
    try {
      node.on('event', (line) => lines.push(line));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = lines.find(isEvent('started'));
      assert.ok(started !== undefined && 'receiveBufferBytes' in started, 'the started line came');
      const cap = rmemMax();
      // Linux doubles the request for its bookkeeping, up to twice rmem_max.
      if (process.platform === 'linux' && cap !== null) assert.equal(started.receiveBufferBytes, 2 * Math.min(RECEIVE_BUFFER_REQUEST_BYTES, cap));
      else assert.ok(started.receiveBufferBytes > 0);
      const warned = lines.filter(isEvent('warning')).some((line) => line.message.includes('receive buffer'));
      assert.equal(warned, started.receiveBufferBytes < RECEIVE_BUFFER_REQUEST_BYTES);
    } finally {
      await close();
    }
  });
});
