/**
 * How the multicast socket is bound and joined, per platform. Pure: the platform is a parameter,
 * so every platform's plan is tested on any machine.
 *
 *   group     bind(port, group), then IP_ADD_MEMBERSHIP(group, interface). Linux and macOS
 *             accept a multicast address in bind, and then deliver to the socket only datagrams
 *             sent to that group: another cluster's group on the same port never reaches us.
 *   wildcard  bind(port, 0.0.0.0) with SO_REUSEADDR, IP_ADD_MEMBERSHIP(group, interface) and
 *             IP_MULTICAST_IF(interface). Windows refuses a bind to an address that is not one of
 *             the machine's own: WSAEADDRNOTAVAIL, "the specified address is not a valid local IP
 *             address on this computer" (Winsock's bind, learn.microsoft.com/windows/win32/api/
 *             winsock/nf-winsock-bind), so a multicast group cannot be bound there. Node's dgram
 *             says the same in its own way: addMembership on an unbound socket binds it to all
 *             interfaces, which is libuv's uv__udp_set_membership4 binding uv_addr_ip4_any_ with
 *             UV_UDP_REUSEADDR (src/win/udp.c).
 *
 * The cost of the wildcard: the socket gets every datagram to the port, also those of another
 * group that anything on the host joined (Linux delivers by port and any joined group unless
 * IP_MULTICAST_ALL is cleared, which Node cannot do). The wire drops them as it drops any foreign
 * datagram, counted by reason: `foreign-cluster` when they carry our key but another cluster's
 * name, `bad-mac` or `unknown-key` when they carry another key (the cluster name is read only
 * once the datagram is authenticated). docs/platforms.md has the details.
 *
 * SO_REUSEADDR lets several nodes on one host share the port (the lab, a teacher's demo). On
 * Windows the first socket must set it too for a second to bind (Microsoft, "Using SO_REUSEADDR
 * and SO_EXCLUSIVEADDRUSE"); no node sets SO_EXCLUSIVEADDRUSE, which would forbid that. libuv
 * maps reuseAddr to SO_REUSEADDR on Windows and Linux, and to SO_REUSEPORT on macOS and the BSDs
 * (src/unix/udp.c, uv__sock_reuseaddr), which is what shares a multicast port there.
 */
export const MULTICAST_BINDS = ['group', 'wildcard'] as const;
export type MulticastBind = (typeof MULTICAST_BINDS)[number];

/** INADDR_ANY. */
export const WILDCARD_ADDRESS = '0.0.0.0';

export interface MulticastSocketPlan {
  bind: MulticastBind;
  /** The address the socket is bound to: the group, or 0.0.0.0. */
  bindAddress: string;
  port: number;
  /** SO_REUSEADDR (SO_REUSEPORT on macOS): nodes on one host share the port. */
  reuseAddr: true;
  /** IP_ADD_MEMBERSHIP: this group, on the interface with this address. */
  join: { group: string; interfaceAddress: string };
  /** IP_MULTICAST_IF on the multicast socket too, or null where the plan leaves it alone. */
  multicastInterface: string | null;
  /** Why this plan, in words for the start-up line. */
  why: string;
}

export interface MulticastPlanInput {
  platform: NodeJS.Platform;
  group: string;
  port: number;
  /** The chosen interface's IPv4 address. */
  interfaceAddress: string;
  /** Asked for by hand (--bind-multicast); absent: by platform. */
  bind?: MulticastBind | undefined;
}

/** Windows refuses a bind to the group; everywhere else the group bind filters other groups out. */
export function defaultMulticastBind(platform: NodeJS.Platform): MulticastBind {
  return platform === 'win32' ? 'wildcard' : 'group';
}

export function multicastSocketPlan(input: MulticastPlanInput): MulticastSocketPlan {
  const bind = input.bind ?? defaultMulticastBind(input.platform);
  const why =
    input.bind !== undefined
      ? `--bind-multicast ${bind}`
      : bind === 'wildcard'
        ? `${input.platform}: Windows refuses a bind to a multicast address (WSAEADDRNOTAVAIL)`
        : `${input.platform}: bound to the group, the socket hears no other group on the port`;
  return {
    bind,
    bindAddress: bind === 'wildcard' ? WILDCARD_ADDRESS : input.group,
    port: input.port,
    reuseAddr: true,
    join: { group: input.group, interfaceAddress: input.interfaceAddress },
    multicastInterface: bind === 'wildcard' ? input.interfaceAddress : null,
    why,
  };
}
