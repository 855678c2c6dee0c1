/**
 * The observer's only socket: joined to the cluster's multicast group, bound as a node's group
 * socket is (src/net/multicast-socket-plan.ts), and with no way to send. This class holds the
 * socket privately and offers nothing that writes to it, so the observer cannot change an
 * election even by a bug: no heartbeat, no acknowledgement, no IGMP beyond the kernel's own
 * membership report for the join. test/net/watch.test.ts checks that the observer's namespace
 * sends no UDP datagram.
 */
import { createSocket, type Socket } from 'node:dgram';
import { chooseInterface, type ChosenInterface } from '../net/interfaces.ts';
import { multicastSocketPlan, type MulticastBind, type MulticastSocketPlan } from '../net/multicast-socket-plan.ts';
import { RECEIVE_BUFFER_REQUEST_BYTES } from '../net/receive-buffer.ts';

export interface ListenOptions {
  group: string;
  port: number;
  interface?: string | undefined;
  multicastBind?: MulticastBind | undefined;
}

export class ListenOnlySocket {
  readonly iface: ChosenInterface;
  readonly plan: MulticastSocketPlan;
  datagramsReceived = 0;
  private readonly socket: Socket;

  private constructor(socket: Socket, iface: ChosenInterface, plan: MulticastSocketPlan) {
    this.socket = socket;
    this.iface = iface;
    this.plan = plan;
  }

  static async open(options: ListenOptions, onDatagram: (bytes: Uint8Array, address: string) => void): Promise<ListenOnlySocket> {
    const iface = chooseInterface(options.interface);
    const plan = multicastSocketPlan({ platform: process.platform, group: options.group, port: options.port, interfaceAddress: iface.address, bind: options.multicastBind });
    // reuseAddr: a node on the same machine holds the port too.
    const socket = createSocket({ type: 'udp4', reuseAddr: plan.reuseAddr, recvBufferSize: RECEIVE_BUFFER_REQUEST_BYTES });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ port: plan.port, address: plan.bindAddress }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      socket.addMembership(plan.join.group, plan.join.interfaceAddress);
    } catch (error) {
      socket.close();
      throw error;
    }
    const listening = new ListenOnlySocket(socket, iface, plan);
    socket.on('message', (bytes, remote) => {
      listening.datagramsReceived++;
      onDatagram(bytes, remote.address);
    });
    // Per-datagram errors (a failed receive): the socket stays usable.
    socket.on('error', () => {});
    return listening;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
