import type { RemoteInfo, Socket } from 'node:dgram';
import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import type { NodeId } from '../core/index.ts';
import { systemClock } from '../contract/system-clock.ts';
import type { Transport } from '../contract/ports.ts';
import { chooseInterface, type ChosenInterface } from './interfaces.ts';
import { multicastSocketPlan, type MulticastBind, type MulticastSocketPlan } from './multicast-socket-plan.ts';
import type { PeerDirectory } from './peer-directory.ts';
import { RECEIVE_BUFFER_REQUEST_BYTES } from './receive-buffer.ts';
import { destinations } from './routes.ts';
import { SendCongestion } from './send-congestion.ts';
import type { Route } from '../contract/status.ts';

export interface UdpOptions {
  /** Multicast group, e.g. 239.255.77.7 (administratively scoped). */
  group: string;
  port: number;
  /** Interface name or IPv4 address; default: the first non-internal IPv4 interface. */
  interface?: string | undefined;
  /** Multicast TTL; 1 keeps datagrams on the local link. */
  ttl?: number;
  /** False: no group at all; peers are reached only through the directory (seeds and gossip). */
  multicast?: boolean;
  /** The unicast socket's port, where seeds reach this node; 0 (default): any free port. */
  unicastPort?: number;
  /** False: if `unicastPort` is in use, take any free port instead of failing. */
  unicastPortRequired?: boolean;
  /** Where peers are: direct messages, and the unicast copies of messages to everyone. */
  directory: PeerDirectory;
  /** How the multicast socket binds (./multicast-socket-plan.ts); default: by platform. */
  multicastBind?: MulticastBind | undefined;
  /** The platform whose socket plan and adapter names apply; default process.platform. */
  platform?: NodeJS.Platform;
}

/** `address` and `port`: the sender's socket, as the kernel reports it. */
export type DatagramHandler = (bytes: Uint8Array, address: string, route: Route, port: number) => void;

export interface TransportStats {
  datagramsSent: number;
  bytesSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  sendErrors: number;
  /** Failed sends by error code (ENOBUFS: the kernel's queue was full). */
  sendErrorsByCode: Record<string, number>;
  lastSendError: string | null;
  /** Errors a socket reported by itself (a failed receive, an ICMP error), by error code. */
  socketErrors: Record<string, number>;
}

/** A send that failed. */
export interface SendFailure {
  code: string;
  /** Where it was going: "ip:port"; null when the kernel counted it without saying (Linux). */
  target: string | null;
  /** How many failed (a kernel counter may rise by many at once). */
  count: number;
  message: string;
  /** It means the queue toward the network was full: optional sends are held back for a while. */
  congestion: boolean;
}

/**
 * Datagrams waiting in this process for the socket to take them. libuv keeps a datagram the kernel
 * refused with EAGAIN or ENOBUFS and sends it again when the socket is writable (libuv's
 * src/unix/udp.c), so on macOS, whose sendto says ENOBUFS when an interface queue is full, a
 * congested node sees no error, only this queue growing. A settled node sends a few at a time.
 */
export const SEND_QUEUE_CONGESTED_DATAGRAMS = 64;

/**
 * UDP through dgram-as-promised: one socket joined to the multicast group (unless multicast is
 * off), and one unicast socket (advertised in heartbeats) that sends everything and receives
 * direct datagrams. A message to everyone goes to the group and to each peer the directory says
 * the group does not reach. Received datagrams are taken from one permanent 'message' listener per socket:
 * dgram-as-promised's recv() attaches a listener per call, so a datagram that arrives between two
 * calls would be lost (test/net/burst.test.ts measures both).
 */
export class UdpTransport implements Transport {
  readonly iface: ChosenInterface;
  readonly group: string;
  readonly port: number;
  /** Where direct messages reach this node; fixed at open, and still known after close. */
  readonly unicastPort: number;
  readonly multicastEnabled: boolean;
  /** How the multicast socket was bound and joined; null without multicast. */
  readonly multicastPlan: MulticastSocketPlan | null;
  readonly directory: PeerDirectory;
  /**
   * What the kernel gave the sockets to queue received datagrams in, in bytes (the smaller of
   * the two): on Linux twice what was asked, or less where net.core.rmem_max caps it. A datagram
   * that finds it full is dropped by the kernel (RcvbufErrors in /proc/net/snmp).
   */
  readonly receiveBufferBytes: number;
  readonly stats: TransportStats = {
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 0,
    bytesReceived: 0,
    sendErrors: 0,
    sendErrorsByCode: {},
    lastSendError: null,
    socketErrors: {},
  };
  private readonly multicast: SocketAsPromised | null;
  private readonly unicast: SocketAsPromised;
  private handler: DatagramHandler = () => {};
  private socketErrorHandler: (code: string) => void = () => {};
  private sendErrorHandler: (failure: SendFailure) => void = () => {};
  /** Sends failing for lack of room: probes and repairs wait (./send-congestion.ts). */
  readonly congestion = new SendCongestion();
  private closed = false;
  /** While true, nothing is sent or taken in: an unplugged cable. */
  paused = false;

  private constructor(options: UdpOptions, iface: ChosenInterface, plan: MulticastSocketPlan | null, multicast: SocketAsPromised | null, unicast: SocketAsPromised) {
    this.iface = iface;
    this.multicastPlan = plan;
    this.group = options.group;
    this.port = options.port;
    this.multicast = multicast;
    this.multicastEnabled = multicast !== null;
    this.unicast = unicast;
    this.unicastPort = unicast.address().port;
    this.receiveBufferBytes = Math.min(unicast.socket.getRecvBufferSize(), multicast?.socket.getRecvBufferSize() ?? Infinity);
    this.directory = options.directory;
    this.directory.setSelf({ address: iface.address, port: this.unicastPort });
  }

  static async open(options: UdpOptions): Promise<UdpTransport> {
    const platform = options.platform ?? process.platform;
    const iface = chooseInterface(options.interface, { platform });
    const plan = options.multicast === false ? null : multicastSocketPlan({ platform, group: options.group, port: options.port, interfaceAddress: iface.address, bind: options.multicastBind });
    const multicast = plan === null ? null : DgramAsPromised.createSocket({ type: 'udp4', reuseAddr: plan.reuseAddr, recvBufferSize: RECEIVE_BUFFER_REQUEST_BYTES });
    let unicast: SocketAsPromised | null = null;
    try {
      if (multicast !== null && plan !== null) {
        await multicast.bind({ port: plan.port, address: plan.bindAddress });
        multicast.addMembership(plan.join.group, plan.join.interfaceAddress);
        if (plan.multicastInterface !== null) multicast.setMulticastInterface(plan.multicastInterface);
      }
      // Linux and macOS let no socket without SO_REUSEADDR bind a port that a wildcard socket holds.
      const heldByWildcard = plan?.bind === 'wildcard' && platform !== 'win32' && options.unicastPort === options.port;
      unicast = await openUnicast(iface.address, options.unicastPort ?? 0, options.unicastPortRequired ?? true, heldByWildcard);
      if (multicast !== null) {
        unicast.setMulticastInterface(iface.address);
        unicast.setMulticastTTL(options.ttl ?? 1);
        // Several nodes may share one host (the lab, tests): they must hear each other.
        unicast.setMulticastLoopback(true);
      }
    } catch (error) {
      await Promise.allSettled([multicast?.close(), unicast?.close()]);
      throw error;
    }
    const transport = new UdpTransport(options, iface, plan, multicast, unicast);
    if (multicast !== null) transport.listen(multicast.socket, 'group');
    transport.listen(unicast.socket, 'direct');
    return transport;
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Called with the error code of each error a socket reports by itself (counted in `stats` too). */
  onSocketError(handler: (code: string) => void): void {
    this.socketErrorHandler = handler;
  }

  /** Called for each send that failed, with its error code and where it was going. */
  onSendError(handler: (failure: SendFailure) => void): void {
    this.sendErrorHandler = handler;
  }

  /** The address `id` was last heard from, if known. */
  addressOf(id: NodeId): string | null {
    return this.directory.endpointOf(id)?.address ?? null;
  }

  send(to: NodeId | 'all', bytes: Uint8Array, greets?: readonly NodeId[]): void {
    if (this.closed || this.paused) return;
    const nowMs = systemClock.nowMs();
    for (const destination of destinations(this.directory, to, { multicast: this.multicast !== null, nowMs, congested: this.congestion.congested(nowMs), greets })) {
      if (destination.kind === 'group') this.sendTo(bytes, this.group, this.port);
      else this.sendTo(bytes, destination.endpoint.address, destination.endpoint.port);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.multicast?.close(), this.unicast.close()]);
  }

  private sendTo(bytes: Uint8Array, address: string, port: number): void {
    this.stats.datagramsSent++;
    this.stats.bytesSent += bytes.length;
    this.unicast.send(bytes, 0, bytes.length, port, address).catch((error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'unknown';
      this.stats.sendErrors++;
      this.stats.sendErrorsByCode[code] = (this.stats.sendErrorsByCode[code] ?? 0) + 1;
      this.stats.lastSendError = error.message;
      const congestion = this.congestion.failed(code, systemClock.nowMs());
      this.sendErrorHandler({ code, target: `${address}:${port}`, count: 1, message: error.message, congestion });
    });
  }

  /** Datagrams waiting in this process for the socket (see SEND_QUEUE_CONGESTED_DATAGRAMS). */
  get sendQueueDatagrams(): number {
    return this.closed ? 0 : this.unicast.socket.getSendQueueCount();
  }

  /**
   * Checks the send queue (called once a second): one that long means the kernel refuses our
   * datagrams for now, and optional sends are held back as after an ENOBUFS.
   */
  checkSendQueue(queued = this.sendQueueDatagrams): void {
    if (queued >= SEND_QUEUE_CONGESTED_DATAGRAMS) this.congestion.failed('ENOBUFS', systemClock.nowMs());
  }

  /**
   * The kernel counted `count` datagrams it could not queue (Linux's SndbufErrors, which `send`
   * never reports: ./kernel-udp-errors.ts). Counted as ENOBUFS, and held back from like one.
   */
  noteKernelSendErrors(count: number): void {
    if (count <= 0) return;
    this.stats.sendErrors += count;
    this.stats.sendErrorsByCode.ENOBUFS = (this.stats.sendErrorsByCode.ENOBUFS ?? 0) + count;
    this.congestion.failed('ENOBUFS', systemClock.nowMs());
    const message = `the kernel dropped ${count} datagram(s) for lack of queue room (SndbufErrors); Linux does not tell the sender`;
    this.sendErrorHandler({ code: 'ENOBUFS', target: null, count, message, congestion: true });
  }

  private listen(socket: Socket, route: Route): void {
    socket.on('message', (bytes: Buffer, remote: RemoteInfo) => {
      if (this.paused) return;
      this.stats.datagramsReceived++;
      this.stats.bytesReceived += bytes.length;
      this.handler(bytes, remote.address, route, remote.port);
    });
    // Errors on a bound UDP socket are per datagram (a failed receive, ICMP): the socket stays
    // usable, so they are counted, not fatal. Sends report theirs to their own callback.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'unknown';
      this.stats.socketErrors[code] = (this.stats.socketErrors[code] ?? 0) + 1;
      this.socketErrorHandler(code);
    });
  }
}

/** The unicast socket, on `port`, or on any free port if that is taken and not required. */
async function openUnicast(address: string, port: number, required: boolean, heldByWildcard = false): Promise<SocketAsPromised> {
  const socket = DgramAsPromised.createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_REQUEST_BYTES });
  try {
    await socket.bind({ port, address });
    return socket;
  } catch (error) {
    await socket.close().catch(() => {});
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (inUse && port !== 0 && !required) return openUnicast(address, 0, true);
    if (inUse && heldByWildcard) throw new Error(`unicast port ${address}:${port} is the multicast port, which --bind-multicast wildcard holds on 0.0.0.0 here: give --unicast-port another port`);
    if (inUse && port !== 0) throw new Error(`unicast port ${address}:${port} is in use (another node on this host? give each its own --unicast-port)`);
    throw error;
  }
}
