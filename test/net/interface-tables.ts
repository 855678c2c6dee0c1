/**
 * os.networkInterfaces() as it looks on lab machines with virtual adapters, per platform: the
 * names, order, MACs and flags Node reports there (IPv6 entries kept, since they are listed too).
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { InterfaceTable } from '../../src/net/interfaces.ts';

function v4(address: string, mac: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac, internal, cidr: `${address}/24` };
}
function v6(address: string, mac: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac, internal, cidr: `${address}/64`, scopeid: 0 };
}

/** Windows 11 with WSL 2, VirtualBox and a VPN client: Hyper-V's adapter comes first. */
export const WINDOWS_LAB_PC: InterfaceTable = {
  'vEthernet (WSL)': [v6('fe80::8d3b:1c2e:3f4a:9b1d', '00:15:5d:a1:b2:c3'), v4('172.28.96.1', '00:15:5d:a1:b2:c3')],
  'VirtualBox Host-Only Network': [v4('192.168.56.1', '0a:00:27:00:00:0c')],
  'OpenVPN TAP-Windows6': [v4('10.8.0.6', '00:ff:4b:7c:21:9e')],
  Ethernet: [v6('fe80::1c5a:2b4e:8d7f:6a3c', '3c:52:82:4d:e1:07'), v4('192.168.10.21', '3c:52:82:4d:e1:07')],
  'Loopback Pseudo-Interface 1': [v6('::1', '00:00:00:00:00:00', true), v4('127.0.0.1', '00:00:00:00:00:00', true)],
};

/** Windows with Docker Desktop, whose switch is renamed, and Wi-Fi without DHCP (APIPA). */
export const WINDOWS_DOCKER_LAPTOP: InterfaceTable = {
  'vEthernet (Default Switch)': [v4('172.20.224.1', '00:15:5d:01:02:03')],
  'Ethernet 2': [v4('10.0.75.1', '00:15:5d:04:05:06')],
  'Wi-Fi': [v4('169.254.12.7', 'a4:c3:f0:11:22:33')],
  'Ethernet 3': [v4('10.20.1.44', 'f8:75:a4:9a:bc:de')],
};

/** macOS with a VPN, AirDrop and Internet Sharing: tunnels and bridges before en0. */
export const MACOS_LAPTOP: InterfaceTable = {
  lo0: [v4('127.0.0.1', '00:00:00:00:00:00', true), v6('::1', '00:00:00:00:00:00', true)],
  utun3: [v4('100.64.0.12', '00:00:00:00:00:00')],
  awdl0: [v6('fe80::a8b1:c2ff:fed3:e4f5', 'aa:b1:c2:d3:e4:f5')],
  bridge100: [v4('192.168.2.1', '36:29:8f:00:01:64')],
  en0: [v6('fe80::10f3:2a4b:5c6d:7e8f', 'f0:18:98:aa:bb:cc'), v4('192.168.10.35', 'f0:18:98:aa:bb:cc')],
};

/** Ubuntu with Docker, libvirt and a container running: docker0 sorts first. */
export const LINUX_WORKSTATION: InterfaceTable = {
  lo: [v4('127.0.0.1', '00:00:00:00:00:00', true)],
  docker0: [v4('172.17.0.1', '02:42:6b:1f:2e:3d')],
  virbr0: [v4('192.168.122.1', '52:54:00:12:34:56')],
  veth1a2b3c4: [v6('fe80::5c4d:3eff:fe2f:1a0b', '5e:4d:3e:2f:1a:0b')],
  enp3s0: [v4('192.168.10.52', '70:85:c2:3d:4e:5f')],
  wg0: [v4('10.66.0.2', '00:00:00:00:00:00')],
};

/** A machine with nothing but a VM's adapter: chosen, with a word that it may be wrong. */
export const ONLY_VIRTUAL: InterfaceTable = {
  lo: [v4('127.0.0.1', '00:00:00:00:00:00', true)],
  docker0: [v4('172.17.0.1', '02:42:6b:1f:2e:3d')],
};
