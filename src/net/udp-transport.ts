import type { RemoteInfo, Socket } from 'node:dgram';
import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import type { NodeId } from '../core/index.ts';
import type { Transport } from '../runtime/ports.ts';
import { chooseInterface, type ChosenInterface } from './interfaces.ts';

export interface UdpOptions {
  /** Multicast group, e.g. 239.255.77.7 (administratively scoped). */
  group: string;
  port: number;
  /** Interface name or IPv4 address; default: the first non-internal IPv4 interface. */
  interface?: string | undefined;
  /** Multicast TTL; 1 keeps datagrams on the local link. */
  ttl?: number;
}

export type DatagramHandler = (bytes: Uint8Array, address: string) => void;

export interface TransportStats {
  datagramsSent: number;
  bytesSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  sendErrors: number;
  lastSendError: string | null;
}

/** Kernel receive buffer we ask for; the kernel caps it at net.core.rmem_max. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * UDP through dgram-as-promised: one socket joined to the multicast group, and one unicast socket
 * on an ephemeral port (advertised in heartbeats) that sends everything and receives direct
 * datagrams. Received datagrams are taken from one permanent 'message' listener per socket:
 * dgram-as-promised's recv() attaches a listener per call, so a datagram that arrives between two
 * calls would be lost (test/net/burst.test.ts measures both).
 */
export class UdpTransport implements Transport {
  readonly iface: ChosenInterface;
  readonly group: string;
  readonly port: number;
  /** Where direct messages reach this node; fixed at open, and still known after close. */
  readonly unicastPort: number;
  readonly stats: TransportStats = {
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 0,
    bytesReceived: 0,
    sendErrors: 0,
    lastSendError: null,
  };
  private readonly multicast: SocketAsPromised;
  private readonly unicast: SocketAsPromised;
  private readonly peers = new Map<NodeId, { address: string; port: number }>();
  private handler: DatagramHandler = () => {};
  private closed = false;
  /** While true, nothing is sent or taken in: an unplugged cable. */
  paused = false;

  private constructor(options: UdpOptions, iface: ChosenInterface, multicast: SocketAsPromised, unicast: SocketAsPromised) {
    this.iface = iface;
    this.group = options.group;
    this.port = options.port;
    this.multicast = multicast;
    this.unicast = unicast;
    this.unicastPort = unicast.address().port;
  }

  static async open(options: UdpOptions): Promise<UdpTransport> {
    const iface = chooseInterface(options.interface);
    const multicast = DgramAsPromised.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: RECEIVE_BUFFER_BYTES });
    const unicast = DgramAsPromised.createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
    try {
      // Bound to the group address, the socket gets this group's datagrams only (Linux).
      await multicast.bind({ port: options.port, address: options.group });
      multicast.addMembership(options.group, iface.address);
      await unicast.bind({ port: 0, address: iface.address });
      unicast.setMulticastInterface(iface.address);
      unicast.setMulticastTTL(options.ttl ?? 1);
      // Several nodes may share one host (the lab, tests): they must hear each other.
      unicast.setMulticastLoopback(true);
    } catch (error) {
      await Promise.allSettled([multicast.close(), unicast.close()]);
      throw error;
    }
    const transport = new UdpTransport(options, iface, multicast, unicast);
    for (const socket of [multicast.socket, unicast.socket]) transport.listen(socket);
    return transport;
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Where to send direct messages to `id`, learned from its heartbeats. */
  learn(id: NodeId, address: string, port: number): void {
    const known = this.peers.get(id);
    if (known?.address !== address || known.port !== port) this.peers.set(id, { address, port });
  }

  /** The address `id` was last heard from, if known. */
  addressOf(id: NodeId): string | null {
    return this.peers.get(id)?.address ?? null;
  }

  send(to: NodeId | 'all', bytes: Uint8Array): void {
    if (this.closed || this.paused) return;
    // A peer whose port is not known yet is reached through the group; the envelope names it.
    const target = to === 'all' ? undefined : this.peers.get(to);
    const address = target?.address ?? this.group;
    const port = target?.port ?? this.port;
    this.stats.datagramsSent++;
    this.stats.bytesSent += bytes.length;
    this.unicast.send(bytes, 0, bytes.length, port, address).catch((error: Error) => {
      this.stats.sendErrors++;
      this.stats.lastSendError = error.message;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.multicast.close(), this.unicast.close()]);
  }

  private listen(socket: Socket): void {
    socket.on('message', (bytes: Buffer, remote: RemoteInfo) => {
      if (this.paused) return;
      this.stats.datagramsReceived++;
      this.stats.bytesReceived += bytes.length;
      this.handler(bytes, remote.address);
    });
    // Errors on a bound UDP socket are per datagram (ICMP); sends report theirs.
    socket.on('error', () => {});
  }
}
