/**
 * A simulated host's transport, routing by the real one's rule (src/net/routes.ts): a message to
 * everyone is one multicast (unless multicast is off) plus the unicast copies the peer directory
 * chooses, and a direct message goes to the endpoint the directory knows for its addressee, or
 * to the group while it knows none. Sends the backlog refuses (ENOBUFS) feed the
 * same back-off a real node has (src/net/send-congestion.ts): while it holds, probes and
 * one-way repairs wait.
 */
import type { NodeId } from '../core/index.ts';
import type { Transport } from '../contract/ports.ts';
import type { Endpoint, PeerDirectory } from '../net/peer-directory.ts';
import { destinations } from '../net/routes.ts';
import { SendCongestion } from '../net/send-congestion.ts';
import type { HostKey, SimNetwork } from './network.ts';

export interface SimTransportOptions {
  /** The sending host on the network (its ID, unless it is an impostor). */
  key: HostKey;
  network: SimNetwork;
  directory: PeerDirectory;
  multicast: boolean;
  /** The host's clock, as the real transport reads the system's monotonic clock. */
  nowMs: () => number;
  /** Told of every unicast copy of a message to everyone (copies, repairs and probes). */
  onCopy?: (to: Endpoint) => void;
}

export class SimTransport implements Transport {
  readonly congestion = new SendCongestion();
  private readonly options: SimTransportOptions;

  constructor(options: SimTransportOptions) {
    this.options = options;
  }

  send(to: NodeId | 'all', bytes: Uint8Array, greets?: readonly NodeId[]): void {
    const { directory, multicast, nowMs, onCopy } = this.options;
    // Congestion is read before this message's own sends: the real transport learns of a failure
    // only after the send returns (a callback, or the kernel's counter a second later).
    const now = nowMs();
    for (const destination of destinations(directory, to, { multicast, nowMs: now, congested: this.congestion.congested(now), greets })) {
      if (destination.kind === 'group') {
        this.toGroup(bytes);
        continue;
      }
      if (destination.kind === 'copy') onCopy?.(destination.endpoint);
      this.toEndpoint(destination.endpoint, bytes);
    }
  }

  private toGroup(bytes: Uint8Array): void {
    if (!this.options.network.sendGroup(this.options.key, bytes)) this.refused();
  }

  private toEndpoint(target: Endpoint, bytes: Uint8Array): void {
    if (!this.options.network.sendDirect(this.options.key, target, bytes)) this.refused();
  }

  private refused(): void {
    this.congestion.failed('ENOBUFS', this.options.nowMs());
  }
}
