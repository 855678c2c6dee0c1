/**
 * The kernel's queue for datagrams a node has not read yet. A flood fills it; what finds it full
 * is dropped by the kernel before the node sees it (RcvbufErrors in /proc/net/snmp), peers'
 * datagrams among them. The bigger it is, the longer a busy node's peers wait behind a flood, but
 * the longer a node can be held up (a busy core, a GC pause) before its peers' datagrams are lost.
 */

/**
 * What each socket asks for. Linux doubles the request (for its bookkeeping) and caps it at twice
 * net.core.rmem_max, which many distributions leave at 208 KiB: a socket then gets 416 KiB.
 */
export const RECEIVE_BUFFER_REQUEST_BYTES = 4 * 1024 * 1024;

/** Why to look, when the kernel gave less than was asked for (`givenBytes`: what the socket reports). */
export function receiveBufferWarning(givenBytes: number, requestedBytes = RECEIVE_BUFFER_REQUEST_BYTES): string | null {
  if (givenBytes >= requestedBytes) return null;
  const kib = (bytes: number): string => `${Math.round(bytes / 1024)} KiB`;
  return (
    `the kernel gave the receive buffer ${kib(givenBytes)}, not the ${kib(requestedBytes)} asked for: a flood or a burst fills it ` +
    `sooner and the kernel drops peers' datagrams with it (Linux: raise net.core.rmem_max to at least ${requestedBytes})`
  );
}
