/** The kernel's UDP error counters: parsed as Linux writes them, read only where they exist, rises counted once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KernelUdpWatch, kernelUdpReader, parseSnmpUdp, type KernelUdpErrors } from '../../src/net/kernel-udp-errors.ts';
import { systemClock } from '../../src/contract/system-clock.ts';
import { CONGESTION_HOLD_MAX_MS, CONGESTION_HOLD_MIN_MS, SendCongestion } from '../../src/net/send-congestion.ts';

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 10 0 0 7 3 193 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;

describe('kernel UDP error counters', () => {
  it('reads SndbufErrors and RcvbufErrors from the Udp lines, not UdpLite', () => {
    assert.deepEqual(parseSnmpUdp(SNMP), { sndbufErrors: 193, rcvbufErrors: 3 });
    assert.equal(parseSnmpUdp('Udp: InDatagrams\nUdp: 1\n'), null, 'a kernel without the counters');
    assert.equal(parseSnmpUdp(''), null);
  });

  it('is read only on Linux; elsewhere the send itself reports ENOBUFS', () => {
    assert.equal(kernelUdpReader('win32')(), null);
    assert.equal(kernelUdpReader('darwin')(), null);
    assert.equal(kernelUdpReader('linux', '/nonexistent/snmp')(), null);
    if (process.platform === 'linux') assert.notEqual(kernelUdpReader('linux')(), null, 'this machine has /proc/net/snmp');
  });

  it('counts rises from the first reading on, and a reset as a new baseline', () => {
    const readings: Array<KernelUdpErrors | null> = [
      { sndbufErrors: 100, rcvbufErrors: 5 },
      { sndbufErrors: 140, rcvbufErrors: 5 },
      null,
      { sndbufErrors: 10, rcvbufErrors: 6 },
      { sndbufErrors: 12, rcvbufErrors: 6 },
    ];
    const watch = new KernelUdpWatch(() => readings.shift() ?? null);
    assert.ok(watch.available);
    assert.deepEqual(watch.poll(), { sndbufErrors: 40, rcvbufErrors: 0 });
    assert.deepEqual(watch.poll(), { sndbufErrors: 0, rcvbufErrors: 0 }, 'an unreadable moment changes nothing');
    assert.deepEqual(watch.poll(), { sndbufErrors: 0, rcvbufErrors: 1 });
    assert.deepEqual(watch.poll(), { sndbufErrors: 2, rcvbufErrors: 0 });
    assert.deepEqual(watch.total, { sndbufErrors: 42, rcvbufErrors: 1 });
  });
});

describe('send congestion', () => {
  it('holds optional sends back after ENOBUFS, longer while it goes on, and starts short again after quiet', () => {
    const c = new SendCongestion();
    assert.equal(c.failed('EHOSTUNREACH', 0), false, 'a bad address is not congestion');
    assert.equal(c.congested(0), false);
    assert.equal(c.failed('ENOBUFS', 0), true);
    assert.ok(c.congested(CONGESTION_HOLD_MIN_MS - 1));
    assert.ok(!c.congested(CONGESTION_HOLD_MIN_MS));
    for (let i = 0; i < 100; i++) c.failed('ENOBUFS', 0);
    assert.equal(c.holdDurationMs, CONGESTION_HOLD_MIN_MS, 'a burst reported at once is one event');
    let nowMs = 0;
    for (let i = 0; i < 10; i++) {
      nowMs += c.holdDurationMs * 0.9;
      c.failed('ENOBUFS', nowMs);
    }
    assert.equal(c.holdDurationMs, CONGESTION_HOLD_MAX_MS, 'failing on and on: the longest hold');
    nowMs += 2 * CONGESTION_HOLD_MAX_MS;
    c.failed('ENOBUFS', nowMs);
    assert.equal(c.holdDurationMs, CONGESTION_HOLD_MIN_MS);
  });
});

describe('the send queue', () => {
  it('a queue of refused datagrams as long as SEND_QUEUE_CONGESTED_DATAGRAMS holds optional sends back (macOS says ENOBUFS only to libuv)', async () => {
    const { PeerDirectory } = await import('../../src/net/peer-directory.ts');
    const { SEND_QUEUE_CONGESTED_DATAGRAMS, UdpTransport } = await import('../../src/net/udp-transport.ts');
    const directory = new PeerDirectory({ selfId: 1, voters: [1, 2], aliveMs: 3000, multicast: false });
    // Loopback only, no multicast: nothing leaves this machine.
    const transport = await UdpTransport.open({ group: '239.255.77.7', port: 0, interface: 'lo', multicast: false, directory });
    try {
      assert.equal(transport.sendQueueDatagrams, 0, 'an idle socket has nothing waiting');
      transport.checkSendQueue();
      assert.equal(transport.congestion.congested(systemClock.nowMs()), false);
      transport.checkSendQueue(SEND_QUEUE_CONGESTED_DATAGRAMS - 1);
      assert.equal(transport.congestion.congested(systemClock.nowMs()), false);
      transport.checkSendQueue(SEND_QUEUE_CONGESTED_DATAGRAMS);
      assert.equal(transport.congestion.congested(systemClock.nowMs()), true);
    } finally {
      await transport.close();
    }
  });
});
