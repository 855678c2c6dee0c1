/** The peer directory: who gets unicast copies, what is gossiped, and what gossip may not override. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GOSSIP_INTERVAL_MS, GROUP_MEMORY_MS, MAX_PROBES_PER_INTERVAL, ONE_WAY_AFTER_MS, PROBE_INTERVAL_MS, PeerDirectory } from '../../src/net/peer-directory.ts';
import { destinations } from '../../src/net/routes.ts';
import { parseSeeds, resolveSeeds } from '../../src/net/seeds.ts';

const ALIVE_MS = 1000;
const directory = (multicast = true) => {
  const d = new PeerDirectory({ selfId: 1, voters: [1, 2, 3, 4, 5], aliveMs: ALIVE_MS, multicast });
  d.setSelf({ address: '10.0.0.1', port: 7707 });
  return d;
};
const addresses = (targets: Array<{ address: string; port: number }>) => targets.map((t) => `${t.address}:${t.port}`).sort();

describe('peer directory', () => {
  it('sends unicast copies only to peers the group does not reach', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 40000, 'group', 0);
    d.heard(4, '10.1.0.4', 7707, 'direct', 0);
    assert.deepEqual(addresses(d.targets(10)), ['10.1.0.4:7707']);
    assert.deepEqual(d.endpointOf(2), { address: '10.0.0.2', port: 40000 }, 'direct messages still go to its socket');
    assert.equal(d.routeOf(2, 10), 'group');
    assert.equal(d.routeOf(4, 10), 'direct');
  });

  it('without multicast every known peer gets a copy', () => {
    const d = directory(false);
    d.heard(2, '10.0.0.2', 7707, 'direct', 0);
    d.heard(3, '10.0.0.3', 7707, 'direct', 0);
    assert.deepEqual(addresses(d.targets(10)), ['10.0.0.2:7707', '10.0.0.3:7707']);
  });

  it('without multicast a silent peer whose endpoint is known still gets every message to everyone, congested or not, and its seed is not probed besides', () => {
    // Seed 1 of 100 nodes, unicast only: probing the silent at 8 a second mended the mesh by 2–4
    // peers a second, and a crash 16 s after the calm found its successor reaching 57 of 99.
    const d = directory(false);
    d.addSeeds([{ address: '10.0.0.5', port: 7707 }, { address: '10.1.0.9', port: 7707 }]);
    d.heard(2, '10.0.0.2', 7707, 'direct', 0);
    d.told(2, [{ id: 3, address: '10.0.0.3', port: 7707 }], 0);
    d.heard(5, '10.0.0.5', 7707, 'direct', -10 * ALIVE_MS);
    assert.deepEqual(addresses(d.targets(10 * ALIVE_MS, { optional: false })), ['10.0.0.2:7707', '10.0.0.3:7707', '10.0.0.5:7707'], 'congested: every known peer, no probe');
    assert.deepEqual(addresses(d.targets(10 * ALIVE_MS)), ['10.0.0.2:7707', '10.0.0.3:7707', '10.0.0.5:7707', '10.1.0.9:7707'], 'and the seed nobody known answers at, as a probe');
    assert.deepEqual(addresses(d.targets(10 * ALIVE_MS + 10)), ['10.0.0.2:7707', '10.0.0.3:7707', '10.0.0.5:7707'], 'probed once per interval; the known peers every time');
  });

  it('a beat that only greets goes beyond the group to the greeted alone, probes nobody and leaves the probe schedule as it was (routes.ts)', () => {
    const d = directory(false);
    d.addSeeds([{ address: '10.1.0.9', port: 7707 }]);
    for (const id of [2, 3, 4]) d.heard(id, `10.0.0.${id}`, 7707, 'direct', 0);
    d.heard(5, '10.0.0.5', 7707, 'direct', -10 * ALIVE_MS); // silent: a probe is due
    const greeting = destinations(d, 'all', { multicast: false, nowMs: 10, congested: false, greets: [3, 5] });
    assert.deepEqual(
      greeting.map((g) => (g.kind === 'group' ? 'group' : `${g.endpoint.address}:${g.endpoint.port}`)),
      ['10.0.0.3:7707', '10.0.0.5:7707'],
      'the greeted alone, silent or not (without a group every known peer is reached), and a greeting probes no seed',
    );
    assert.deepEqual(addresses(d.targets(10)), ['10.0.0.2:7707', '10.0.0.3:7707', '10.0.0.4:7707', '10.0.0.5:7707', '10.1.0.9:7707'], 'the probes are still due');
    const withGroup = directory();
    withGroup.heard(2, '10.0.0.2', 7707, 'group', 0);
    withGroup.heard(4, '10.1.0.4', 7707, 'direct', 0);
    assert.deepEqual(destinations(withGroup, 'all', { multicast: true, nowMs: 10, congested: false, greets: [2] }), [{ kind: 'group' }], 'n2 is on the group: no copy');
    assert.deepEqual(destinations(withGroup, 'all', { multicast: true, nowMs: 10, congested: false, greets: [4] }).length, 2, 'the group, and a copy to n4 beyond it');
  });

  it('tries seeds at once, then once per probe interval while nobody answers there; skips itself', () => {
    const d = directory();
    d.addSeeds([{ address: '10.1.0.9', port: 7707 }, { address: '10.0.0.1', port: 7707 }]);
    assert.equal(d.seedCount, 1, 'its own address is not a seed');
    assert.deepEqual(addresses(d.targets(0)), ['10.1.0.9:7707']);
    assert.deepEqual(d.targets(100), []);
    assert.deepEqual(addresses(d.targets(PROBE_INTERVAL_MS)), ['10.1.0.9:7707']);
    d.heard(5, '10.1.0.9', 7707, 'direct', PROBE_INTERVAL_MS + 10);
    assert.deepEqual(addresses(d.targets(PROBE_INTERVAL_MS + 20)), ['10.1.0.9:7707'], 'now as peer 5, on every message');
    assert.deepEqual(addresses(d.targets(PROBE_INTERVAL_MS + 30)), ['10.1.0.9:7707']);
  });

  it('a silent peer is probed once per probe interval, not on every message', () => {
    const d = directory();
    d.heard(4, '10.1.0.4', 7707, 'direct', 0);
    assert.deepEqual(addresses(d.targets(ALIVE_MS + 1)), ['10.1.0.4:7707']);
    assert.deepEqual(d.targets(ALIVE_MS + 100), []);
    assert.deepEqual(addresses(d.targets(ALIVE_MS + 1 + PROBE_INTERVAL_MS)), ['10.1.0.4:7707']);
  });

  it('learns peers from gossip, but what it heard itself within the timeout wins', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 7707, 'direct', 0);
    d.told(2, [{ id: 4, address: '10.1.0.4', port: 7707 }, { id: 2, address: '6.6.6.6', port: 1 }, { id: 1, address: '6.6.6.6', port: 1 }, { id: 99, address: '6.6.6.6', port: 1 }], 0);
    assert.deepEqual(d.endpointOf(4), { address: '10.1.0.4', port: 7707 });
    assert.deepEqual(addresses(d.targets(1)), ['10.0.0.2:7707', '10.1.0.4:7707'], 'a peer told of gets a probe at once');
    assert.deepEqual(addresses(d.targets(2)), ['10.0.0.2:7707'], '… then one a second until it answers');
    assert.equal(d.endpointOf(1), null, 'never itself');
    assert.equal(d.endpointOf(99), null, 'never a non-voter');
    assert.deepEqual(d.endpointOf(2), { address: '10.0.0.2', port: 7707 }, 'not what someone says of the sender itself');
    d.heard(4, '10.1.0.4', 7707, 'direct', 10);
    d.told(3, [{ id: 4, address: '6.6.6.6', port: 1 }], 20);
    assert.deepEqual(d.endpointOf(4), { address: '10.1.0.4', port: 7707 }, 'heard lately: gossip does not move it');
    d.told(3, [{ id: 4, address: '10.2.0.4', port: 7707 }], 20 + ALIVE_MS);
    assert.deepEqual(d.endpointOf(4), { address: '10.2.0.4', port: 7707 }, 'silent for the timeout: gossip may move it');
  });

  it('gossips the peers it heard lately, at most every gossip interval, and only beyond the group', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 40000, 'group', 0);
    assert.deepEqual(d.gossip(0), [], 'everyone is in the group: nothing to tell');
    d.heard(4, '10.1.0.4', 7707, 'direct', 0);
    d.told(4, [{ id: 5, address: '10.1.0.5', port: 7707 }], 0);
    assert.deepEqual(d.gossip(10).map((m) => m.id).sort(), [2, 4], 'heard itself, not merely told');
    assert.deepEqual(d.gossip(20), []);
    assert.equal(d.gossip(10 + GOSSIP_INTERVAL_MS).length, 2);
  });

  it('takes no address a peer cannot have from gossip: multicast, broadcast, unspecified, loopback, its own socket', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 7707, 'direct', 0);
    const told = (address: string, port = 7707) => {
      d.told(2, [{ id: 3, address, port }], 0);
      return d.endpointOf(3);
    };
    for (const address of ['224.0.0.1', '239.255.77.7', '255.255.255.255', '0.1.2.3', '127.0.0.1']) assert.equal(told(address), null, address);
    assert.equal(told('10.0.0.1', 7707), null, 'our own socket');
    assert.deepEqual(told('10.0.0.3'), { address: '10.0.0.3', port: 7707 });
    const onLoopback = new PeerDirectory({ selfId: 1, voters: [1, 2, 3], aliveMs: ALIVE_MS, multicast: false });
    onLoopback.setSelf({ address: '127.0.0.1', port: 17701 });
    onLoopback.told(2, [{ id: 3, address: '127.0.0.1', port: 17703 }], 0);
    assert.deepEqual(onLoopback.endpointOf(3), { address: '127.0.0.1', port: 17703 }, 'loopback peers for a node on loopback');
  });

  it('sends one copy per endpoint, however many voters claim it', () => {
    const d = directory(false);
    d.heard(2, '10.0.0.9', 7707, 'direct', 0);
    d.addSeeds([{ address: '10.0.0.9', port: 7707 }]);
    d.heard(3, '10.0.0.9', 7707, 'direct', 0);
    assert.deepEqual(addresses(d.targets(10)), ['10.0.0.9:7707']);
  });

  it('with seeds, a peer heard over the group that has not heard us for ONE_WAY_AFTER_MS gets copies (one-way multicast)', () => {
    const d = directory();
    d.addSeeds([{ address: '10.9.0.1', port: 7707 }]);
    const beat = (atMs: number, hearsUs: boolean): void => {
      d.heard(2, '10.0.0.2', 40000, 'group', atMs);
      d.heardBy(2, hearsUs, atMs);
    };
    beat(0, false);
    assert.ok(!addresses(d.targets(10)).includes('10.0.0.2:40000'), 'a few seconds deaf to us is loss, not a one-way path');
    beat(ONE_WAY_AFTER_MS - 1, false);
    assert.ok(!addresses(d.targets(ONE_WAY_AFTER_MS - 1)).includes('10.0.0.2:40000'));
    beat(ONE_WAY_AFTER_MS, false);
    assert.ok(addresses(d.targets(ONE_WAY_AFTER_MS)).includes('10.0.0.2:40000'));
    assert.ok(!addresses(d.targets(ONE_WAY_AFTER_MS + 1, { optional: false })).includes('10.0.0.2:40000'), 'a congested sender holds repairs back');
    beat(ONE_WAY_AFTER_MS + 10, true);
    assert.ok(addresses(d.targets(ONE_WAY_AFTER_MS + 20)).includes('10.0.0.2:40000'), 'it hears us through the copies: the repair goes on');
    d.heard(2, '10.0.0.2', 40001, 'group', ONE_WAY_AFTER_MS + 30);
    d.heardBy(2, true, ONE_WAY_AFTER_MS + 30);
    assert.ok(!addresses(d.targets(ONE_WAY_AFTER_MS + 40)).includes('10.0.0.2:40001'), 'a restarted process is judged afresh');
    d.heardBy(2, false, ONE_WAY_AFTER_MS + 50);
    assert.ok(!addresses(d.targets(ONE_WAY_AFTER_MS + 60)).includes('10.0.0.2:40001'), 'and waits ONE_WAY_AFTER_MS again');
    const plain = directory();
    plain.heard(2, '10.0.0.2', 40000, 'group', 0);
    plain.heardBy(2, false, 0);
    assert.deepEqual(plain.targets(ONE_WAY_AFTER_MS * 2), [], 'without seeds the group is all there is');
  });

  it('loss makes no copies: a peer heard over the group lately stays on the group while its beats are lost', () => {
    // Issue 22: 50 nodes on one bridge lost group datagrams in a congested backlog; each peer
    // then heard only by its unicast replies got a copy of everything, which made more loss.
    const d = directory();
    for (let id = 2; id <= 5; id++) d.heard(id, `10.0.0.${id}`, 40000, 'group', 0);
    for (let atMs = 1000; atMs < GROUP_MEMORY_MS; atMs += 1000) {
      // The group is silent (lost); their acknowledgements and votes still come by unicast.
      for (let id = 2; id <= 5; id++) d.heard(id, `10.0.0.${id}`, 0, 'direct', atMs);
      assert.deepEqual(d.targets(atMs), [], `no copies at ${atMs} ms`);
      assert.deepEqual(d.gossip(atMs), [], 'and no gossip: every peer is on the group');
    }
    for (let id = 2; id <= 5; id++) d.heard(id, `10.0.0.${id}`, 0, 'direct', GROUP_MEMORY_MS);
    assert.equal(d.targets(GROUP_MEMORY_MS).length, 4, 'a path silent for GROUP_MEMORY_MS is one the group does not reach');
  });

  it('probes at most MAX_PROBES_PER_INTERVAL endpoints per interval, the longest-unprobed first', () => {
    // Beyond the group (heard only directly), since without a group silent peers are not probed but sent to.
    const d = new PeerDirectory({ selfId: 1, voters: Array.from({ length: 30 }, (_, i) => i + 1), aliveMs: ALIVE_MS, multicast: true });
    d.setSelf({ address: '10.0.0.1', port: 7707 });
    for (let id = 2; id <= 30; id++) d.heard(id, `10.0.0.${id}`, 7707, 'direct', 0);
    const seen = new Set<string>();
    let rounds = 0;
    for (let atMs = ALIVE_MS; seen.size < 29; atMs += PROBE_INTERVAL_MS / 4) {
      const probed = d.targets(atMs);
      for (const t of addresses(probed)) seen.add(t);
      assert.ok(probed.length <= MAX_PROBES_PER_INTERVAL);
      rounds++;
      assert.ok(rounds < 40, 'every silent peer is probed in turn');
    }
    let inOneInterval = 0;
    for (let atMs = 10_000; atMs < 10_000 + PROBE_INTERVAL_MS; atMs += 10) inOneInterval += d.targets(atMs).length;
    assert.equal(inOneInterval, MAX_PROBES_PER_INTERVAL);
  });

  it('with multicast and no seeds, a peer once heard over the group is not probed when silent', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 40000, 'group', 0);
    assert.deepEqual(d.targets(GROUP_MEMORY_MS * 2), [], 'the group reaches it when it comes back');
    assert.deepEqual(d.targets(GROUP_MEMORY_MS * 3), []);
  });

  it('a restarted peer on a new port replaces the old endpoint', () => {
    const d = directory();
    d.heard(2, '10.0.0.2', 40000, 'group', 0);
    d.heard(2, '10.0.0.2', 40001, 'group', 10);
    assert.deepEqual(d.endpointOf(2), { address: '10.0.0.2', port: 40001 });
    d.heard(3, '10.0.0.3', 0, 'group', 10);
    assert.equal(d.endpointOf(3), null, 'no port yet: wait for its heartbeat');
  });

  it('a seed that answers a probe with a message that carries no port is a peer at once, at the port it sent from', () => {
    // A restarted coordinator probes a follower it knows only as a seed; the follower's
    // acknowledgement carries no port. Waiting for the follower's heartbeat left it one round a
    // second (one probe), and it counted the coordinator dead (seed 26012163).
    const d = directory(false);
    d.addSeeds([{ address: '10.0.0.4', port: 7707 }]);
    assert.deepEqual(addresses(d.targets(0)), ['10.0.0.4:7707'], 'the probe');
    d.heard(4, '10.0.0.4', 0, 'direct', 5, 7707);
    assert.deepEqual(d.endpointOf(4), { address: '10.0.0.4', port: 7707 });
    for (const atMs of [100, 200, 300]) assert.deepEqual(addresses(d.targets(atMs)), ['10.0.0.4:7707'], `every round reaches it (${atMs} ms)`);
  });

  it('a peer that is not a seed, first heard by a reply without a port, waits for its heartbeat (loss makes no copies)', () => {
    const d = directory();
    d.heard(4, '10.0.0.4', 0, 'direct', 5, 7707);
    assert.equal(d.endpointOf(4), null);
    assert.deepEqual(d.targets(10), []);
  });

  it('without multicast, a peer first heard by a message without a port is answered at the port it sent from (seed 45013875)', () => {
    // A restarted follower heard a coordinator that is no seed by its vote request and its
    // Coordinator; waiting for a heartbeat left its vote and acknowledgements nowhere to go.
    const d = directory(false);
    d.heard(4, '10.0.0.4', 0, 'direct', 5, 7707);
    assert.deepEqual(d.endpointOf(4), { address: '10.0.0.4', port: 7707 });
    assert.deepEqual(addresses(d.targets(10)), ['10.0.0.4:7707']);
    d.heard(5, '10.0.0.5', 0, 'direct', 5); // the sending socket unknown: still nowhere to answer
    assert.equal(d.endpointOf(5), null);
  });
});

describe('seeds', () => {
  it('parses host[:port] lists with the default port, and names a bad entry', () => {
    assert.deepEqual(parseSeeds('10.0.0.1:7000, lab-pc-2 ,10.0.0.3', 7707), [
      { host: '10.0.0.1', port: 7000 },
      { host: 'lab-pc-2', port: 7707 },
      { host: '10.0.0.3', port: 7707 },
    ]);
    assert.throws(() => parseSeeds('10.0.0.1:99999', 7707), /seed "10.0.0.1:99999": port/);
    assert.throws(() => parseSeeds('http://x', 7707), /seed "http:\/\/x"/);
    assert.throws(() => parseSeeds(' , ', 7707), /at least one/);
  });

  it('resolves addresses at once and reports names that do not resolve', async () => {
    const { resolved, failed } = await resolveSeeds([{ host: '10.0.0.1', port: 1 }, { host: 'localhost', port: 2 }, { host: 'no-such-host.invalid', port: 3 }]);
    assert.deepEqual(resolved.map((e) => e.port).sort(), [1, 2]);
    assert.deepEqual(failed.map((f) => f.seed.host), ['no-such-host.invalid']);
  });
});
