/** A namespace's UDP counters from its kernel (/proc/net/snmp), for the benchmarks. */
import type { NetnsLab } from '../src/lab/netns-lab.ts';
import { snmpUdpCounter } from '../src/net/kernel-udp-errors.ts';

export interface UdpCounters {
  out: number;
  /** Sends the kernel dropped: the queue toward the network was full. */
  sndbuf: number;
  /** Datagrams the kernel dropped because a socket's receive buffer was full. */
  rcvbuf: number;
}

export function udpCounters(lab: NetnsLab, ns: string): UdpCounters {
  const text = lab.exec(ns, ['cat', '/proc/net/snmp']);
  const field = (name: string): number => snmpUdpCounter(text, name) ?? 0;
  return { out: field('OutDatagrams'), sndbuf: field('SndbufErrors'), rcvbuf: field('RcvbufErrors') };
}

/** A UDP socket as `ss` shows it: where it is bound, the receive buffer the kernel gave it, and what it shed. */
export interface UdpSocketMemory {
  local: string;
  /** The receive buffer's limit (what SO_RCVBUF became: the request doubled, capped at rmem_max × 2). */
  receiveBufferBytes: number;
  /** Datagrams this socket dropped (a full buffer, mostly). */
  drops: number;
}

export function udpSockets(lab: NetnsLab, ns: string): UdpSocketMemory[] {
  const lines = lab.exec(ns, ['ss', '-uamnH']).split('\n');
  const sockets: UdpSocketMemory[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const memory = /skmem:\(.*\brb(\d+),.*\bd(\d+)\)/.exec(lines[i + 1]!);
    const local = lines[i]!.trim().split(/\s+/)[3];
    if (memory === null || local === undefined) continue;
    sockets.push({ local, receiveBufferBytes: Number(memory[1]), drops: Number(memory[2]) });
    i++;
  }
  return sockets;
}
