/**
 * The kernel's own count of UDP datagrams it refused, for the errors a process is never told of.
 * Linux drops a UDP datagram whose queue toward the network is full and still returns success to
 * `sendmsg` (unless the socket asked for IP_RECVERR, which Node cannot): the only trace is the
 * `SndbufErrors` counter in /proc/net/snmp (measured: 200 sends into a full queue, 200 successful
 * callbacks, 7 datagrams out, SndbufErrors +193). Likewise a full receive buffer only shows as
 * `RcvbufErrors`. Windows returns ENOBUFS to the send (counted by the transport); on macOS libuv keeps
 * a refused datagram and retries it, which shows as a growing send queue (udp-transport.ts).
 *
 * The counters are the network namespace's, all sockets together: on a lab machine, other
 * programs' UDP counts too, which is why they are shown as the host's, not as this node's.
 */
import { readFileSync } from 'node:fs';

export interface KernelUdpErrors {
  /** Datagrams the kernel could not queue for sending (ENOBUFS), all sockets together. */
  sndbufErrors: number;
  /** Datagrams dropped because a socket's receive buffer was full. */
  rcvbufErrors: number;
}

/** Reads the counters; null where the kernel does not offer them (not Linux, or no /proc). */
export type KernelUdpReader = () => KernelUdpErrors | null;

/** One counter of /proc/net/snmp's two `Udp:` lines (names, then values); null if absent. */
export function snmpUdpCounter(text: string, name: string): number | null {
  const lines = text.split('\n').filter((line) => line.startsWith('Udp:'));
  if (lines.length < 2) return null;
  const index = lines[0]!.trim().split(/\s+/).indexOf(name);
  const value = index < 0 ? NaN : Number(lines[1]!.trim().split(/\s+/)[index]);
  return Number.isFinite(value) ? value : null;
}

/** The two error counters of /proc/net/snmp; null where the kernel lacks either. */
export function parseSnmpUdp(text: string): KernelUdpErrors | null {
  const sndbufErrors = snmpUdpCounter(text, 'SndbufErrors');
  const rcvbufErrors = snmpUdpCounter(text, 'RcvbufErrors');
  return sndbufErrors === null || rcvbufErrors === null ? null : { sndbufErrors, rcvbufErrors };
}

/** The reader for `platform`: /proc/net/snmp on Linux, none elsewhere (their sends say ENOBUFS themselves). */
export function kernelUdpReader(platform: NodeJS.Platform = process.platform, path = '/proc/net/snmp'): KernelUdpReader {
  if (platform !== 'linux') return () => null;
  return () => {
    try {
      return parseSnmpUdp(readFileSync(path, 'utf8'));
    } catch {
      return null;
    }
  };
}

/** Turns readings into increases since the last one (the first reading is the baseline). */
export class KernelUdpWatch {
  private last: KernelUdpErrors | null = null;
  /** What rose since this watch began. */
  readonly total: KernelUdpErrors = { sndbufErrors: 0, rcvbufErrors: 0 };
  private readonly read: KernelUdpReader;

  constructor(read: KernelUdpReader) {
    this.read = read;
    this.last = read();
  }

  /** Whether the counters can be read here at all. */
  get available(): boolean {
    return this.last !== null;
  }

  /** Reads again; returns how much each counter rose since the last reading. */
  poll(): KernelUdpErrors {
    const now = this.read();
    const rise = { sndbufErrors: 0, rcvbufErrors: 0 };
    if (now !== null && this.last !== null) {
      // A counter that went down was reset (another namespace, a wrap): count from the new value.
      rise.sndbufErrors = Math.max(0, now.sndbufErrors - this.last.sndbufErrors);
      rise.rcvbufErrors = Math.max(0, now.rcvbufErrors - this.last.rcvbufErrors);
    }
    if (now !== null) this.last = now;
    this.total.sndbufErrors += rise.sndbufErrors;
    this.total.rcvbufErrors += rise.rcvbufErrors;
    return rise;
  }
}
