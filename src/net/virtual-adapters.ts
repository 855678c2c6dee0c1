/**
 * Adapters a LAN node should not pick by itself: virtual switches, host-only networks, container
 * bridges and tunnels. They are often listed before the real network card (Windows lists
 * Hyper-V's "vEthernet" first; macOS lists utun, awdl and bridge interfaces; Linux docker0 and
 * virbr0), and a node on one hears nobody. Recognised by the names each platform gives them, and
 * by the MAC prefixes the hypervisors assign (a renamed adapter keeps its MAC).
 */

interface AdapterPattern {
  pattern: RegExp;
  what: string;
}

/** Names as each platform shows them in os.networkInterfaces(). */
const NAMES = {
  win32: [
    // Hyper-V's virtual switch adapters: "vEthernet (WSL)", "vEthernet (Default Switch)", Docker Desktop's.
    { pattern: /^vEthernet\b/i, what: 'Hyper-V virtual switch (WSL, Docker Desktop, Default Switch)' },
    { pattern: /VirtualBox/i, what: 'VirtualBox host-only network' },
    { pattern: /VMware|^VMnet/i, what: 'VMware virtual network' },
    { pattern: /Hyper-V|Virtual Ethernet/i, what: 'Hyper-V virtual adapter' },
    { pattern: /TAP-Windows|OpenVPN|WireGuard|Wintun|ZeroTier|Tailscale|NordLynx|Cisco AnyConnect|\bVPN\b/i, what: 'VPN tunnel' },
    { pattern: /Bluetooth/i, what: 'Bluetooth personal area network' },
  ],
  darwin: [
    { pattern: /^utun\d+$/, what: 'tunnel (VPN, iCloud Private Relay, Back to My Mac)' },
    { pattern: /^(tun|tap|ipsec|ppp|gif|stf)\d+$/, what: 'tunnel' },
    { pattern: /^bridge\d+$/, what: 'bridge (Internet Sharing, Thunderbolt Bridge, a VM host)' },
    { pattern: /^(awdl|llw)\d+$/, what: 'Apple Wireless Direct Link (AirDrop)' },
    { pattern: /^(ap|anpi)\d+$/, what: 'Wi-Fi access point or internal adapter' },
    { pattern: /^(vboxnet|vmnet|feth)\d+$/, what: 'VirtualBox, VMware or Docker network' },
  ],
  linux: [
    { pattern: /^docker\d+$|^br-[0-9a-f]{12}$/, what: 'Docker bridge' },
    { pattern: /^veth/, what: 'container veth pair' },
    { pattern: /^(virbr|lxcbr|lxdbr|podman|cni|flannel|cali|kube-bridge)/, what: 'VM or container bridge' },
    { pattern: /^(vboxnet|vmnet)\d+$/, what: 'VirtualBox or VMware host network' },
    { pattern: /^(tun|tap|wg|ppp|ipsec)\d+$|^tailscale|^zt[0-9a-z]+$/, what: 'tunnel (VPN, WireGuard, Tailscale, ZeroTier)' },
  ],
} as const satisfies Record<string, readonly AdapterPattern[]>;

/** Locally or vendor-assigned prefixes of virtual adapters, on any platform. */
const MAC_PREFIXES = [
  { prefix: '00:15:5d', what: 'Hyper-V virtual adapter (MAC 00:15:5d)' },
  { prefix: '0a:00:27', what: 'VirtualBox host-only adapter (MAC 0a:00:27)' },
  { prefix: '08:00:27', what: 'VirtualBox virtual adapter (MAC 08:00:27)' },
  { prefix: '00:50:56', what: 'VMware virtual adapter (MAC 00:50:56)' },
  { prefix: '00:0c:29', what: 'VMware virtual adapter (MAC 00:0c:29)' },
  { prefix: '00:05:69', what: 'VMware virtual adapter (MAC 00:05:69)' },
  { prefix: '00:1c:14', what: 'VMware virtual adapter (MAC 00:1c:14)' },
  { prefix: '02:42:', what: 'Docker bridge (MAC 02:42)' },
] as const;

/** 169.254/16: no DHCP answer, no real network behind it. */
const LINK_LOCAL = /^169\.254\./;

/** Why an adapter is one to skip, or null for one that may be the LAN. */
export function virtualAdapter(platform: NodeJS.Platform, adapter: { name: string; address: string; mac?: string | undefined }): string | null {
  const names: readonly AdapterPattern[] = platform === 'win32' || platform === 'darwin' ? NAMES[platform] : NAMES.linux;
  const named = names.find(({ pattern }) => pattern.test(adapter.name));
  if (named !== undefined) return named.what;
  const mac = adapter.mac?.toLowerCase();
  const vendor = mac === undefined ? undefined : MAC_PREFIXES.find(({ prefix }) => mac.startsWith(prefix));
  if (vendor !== undefined) return vendor.what;
  if (LINK_LOCAL.test(adapter.address)) return 'link-local address (169.254/16: no DHCP answer)';
  return null;
}
