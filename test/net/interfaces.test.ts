/** Which interface a node picks by itself on each platform, and why it says it did. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InterfaceError, chooseInterface } from '../../src/net/interfaces.ts';
import { virtualAdapter } from '../../src/net/virtual-adapters.ts';
import { LINUX_WORKSTATION, MACOS_LAPTOP, ONLY_VIRTUAL, WINDOWS_DOCKER_LAPTOP, WINDOWS_LAB_PC } from './interface-tables.ts';

describe('interface choice without --interface', () => {
  it('Windows: skips vEthernet (WSL), VirtualBox and the VPN adapter; takes Ethernet and names what it skipped', () => {
    const chosen = chooseInterface(undefined, { platform: 'win32', interfaces: WINDOWS_LAB_PC });
    assert.equal(chosen.name, 'Ethernet');
    assert.equal(chosen.address, '192.168.10.21');
    assert.match(chosen.why, /^the first that is not virtual; skipped /);
    for (const name of ['vEthernet (WSL) (Hyper-V virtual switch', 'VirtualBox Host-Only Network (VirtualBox', 'OpenVPN TAP-Windows6 (VPN tunnel)']) {
      assert.ok(chosen.why.includes(name), `${name} in: ${chosen.why}`);
    }
  });

  it('Windows: a renamed Hyper-V adapter by its MAC, and a link-local Wi-Fi address are skipped', () => {
    const chosen = chooseInterface(undefined, { platform: 'win32', interfaces: WINDOWS_DOCKER_LAPTOP });
    assert.deepEqual([chosen.name, chosen.address], ['Ethernet 3', '10.20.1.44']);
    assert.match(chosen.why, /Ethernet 2 \(Hyper-V virtual adapter \(MAC 00:15:5d\)\)/);
    assert.match(chosen.why, /Wi-Fi \(link-local address/);
  });

  it('macOS: skips utun, awdl and bridge; takes en0', () => {
    const chosen = chooseInterface(undefined, { platform: 'darwin', interfaces: MACOS_LAPTOP });
    assert.deepEqual([chosen.name, chosen.address], ['en0', '192.168.10.35']);
    assert.match(chosen.why, /utun3 \(tunnel/);
    assert.match(chosen.why, /bridge100 \(bridge/);
    assert.doesNotMatch(chosen.why, /awdl0/, 'awdl0 has no IPv4 address: never a candidate');
  });

  it('Linux: skips docker0, virbr0 and wg0; takes enp3s0', () => {
    const chosen = chooseInterface(undefined, { platform: 'linux', interfaces: LINUX_WORKSTATION });
    assert.deepEqual([chosen.name, chosen.address], ['enp3s0', '192.168.10.52']);
    assert.match(chosen.why, /docker0 \(Docker bridge\), virbr0 \(VM or container bridge\)/);
  });

  it('nothing but virtual adapters: the first of them, and a word that it may be the wrong one', () => {
    const chosen = chooseInterface(undefined, { platform: 'linux', interfaces: ONLY_VIRTUAL });
    assert.equal(chosen.name, 'docker0');
    assert.match(chosen.why, /^only virtual adapters here: docker0 \(Docker bridge\); if peers are elsewhere, pass --interface$/);
  });

  it('a machine without virtual adapters: the first non-internal one, as before', () => {
    const chosen = chooseInterface(undefined, { platform: 'linux', interfaces: { lo: LINUX_WORKSTATION.lo, eth0: LINUX_WORKSTATION.enp3s0 } });
    assert.deepEqual(chosen, { name: 'eth0', address: '192.168.10.52', why: 'the first non-internal IPv4 interface' });
  });

  it('only loopback: an error that says how to run on one machine', () => {
    assert.throws(() => chooseInterface(undefined, { platform: 'darwin', interfaces: { lo0: MACOS_LAPTOP.lo0 } }), InterfaceError);
  });
});

describe('interface choice with --interface', () => {
  it('wins over the skipping, by name or by address, on every platform', () => {
    assert.deepEqual(chooseInterface('vEthernet (WSL)', { platform: 'win32', interfaces: WINDOWS_LAB_PC }), { name: 'vEthernet (WSL)', address: '172.28.96.1', why: 'given by --interface' });
    assert.equal(chooseInterface('192.168.2.1', { platform: 'darwin', interfaces: MACOS_LAPTOP }).name, 'bridge100');
    assert.equal(chooseInterface('lo', { platform: 'linux', interfaces: LINUX_WORKSTATION }).address, '127.0.0.1');
  });

  it('an unknown one: named, with what the machine has', () => {
    assert.throws(() => chooseInterface('eth9', { platform: 'linux', interfaces: LINUX_WORKSTATION }), /no IPv4 interface named or addressed "eth9"; this machine has: lo \(127\.0\.0\.1\), docker0/);
  });
});

describe('virtual adapter names are read per platform', () => {
  it('a name means a virtual adapter only where that platform uses it', () => {
    assert.notEqual(virtualAdapter('darwin', { name: 'bridge0', address: '192.168.2.1' }), null);
    assert.equal(virtualAdapter('linux', { name: 'br0', address: '10.77.0.1' }), null, "a Linux bridge the user made may be the LAN's");
    assert.notEqual(virtualAdapter('linux', { name: 'br-0123456789ab', address: '172.18.0.1' }), null, "a Docker network's bridge");
    assert.equal(virtualAdapter('win32', { name: 'Ethernet', address: '10.0.0.5', mac: '3c:52:82:4d:e1:07' }), null);
    assert.notEqual(virtualAdapter('win32', { name: 'VMware Network Adapter VMnet8', address: '192.168.80.1' }), null);
  });
});
