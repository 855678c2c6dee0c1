/**
 * Where one datagram goes, the same rule for the real transport (./udp-transport.ts) and the
 * simulated one (src/sim/transport.ts): a message to everyone is one multicast (unless multicast
 * is off) plus the unicast copies the peer directory chooses (none optional while the sender is
 * congested); a direct message goes to the endpoint the directory knows for its addressee, or to
 * the group while it knows none (the envelope names the addressee). Pure: the caller passes the time.
 */
import type { NodeId } from '../core/index.ts';
import type { Endpoint, PeerDirectory } from './peer-directory.ts';

export type Destination = { kind: 'group' } | { kind: 'copy'; endpoint: Endpoint } | { kind: 'direct'; endpoint: Endpoint };

const GROUP: Destination = { kind: 'group' };

export function destinations(
  directory: PeerDirectory,
  to: NodeId | 'all',
  options: { multicast: boolean; nowMs: number; congested: boolean; greets?: readonly NodeId[] | undefined },
): Destination[] {
  const { multicast, nowMs, congested, greets } = options;
  if (to === 'all') {
    // A beat that only greets goes beyond the group to the greeted peers alone, and probes nobody.
    const endpoints = greets === undefined ? directory.targets(nowMs, { optional: !congested }) : directory.copiesFor(greets, nowMs, { optional: !congested });
    const copies = endpoints.map((endpoint): Destination => ({ kind: 'copy', endpoint }));
    return multicast ? [GROUP, ...copies] : copies;
  }
  const endpoint = directory.endpointOf(to);
  if (endpoint !== null) return [{ kind: 'direct', endpoint }];
  return multicast ? [GROUP] : [];
}
