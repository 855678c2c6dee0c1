import type { NodeId } from '../core/messages.ts';

/**
 * A set of node IDs on the wire, in whichever of two forms is shorter: a packed list of IDs, or a
 * bitmap whose bit k (least significant first) says that ID k + 1 is in the set. With the default
 * voters 1..N, a heartbeat's `hears` costs N / 8 bytes instead of about N.
 */
export interface WireIdSet {
  list: NodeId[];
  bits: Uint8Array;
}

const NO_BITS = new Uint8Array(0);

/** `ids` as the shorter form; the bitmap only for strictly ascending IDs, which it gives back as they were. */
export function encodeIdSet(ids: readonly NodeId[]): WireIdSet {
  let maxId = 0;
  let listBytes = 0;
  let ascending = true;
  for (const id of ids) {
    if (id <= maxId) ascending = false;
    else maxId = id;
    listBytes += varintBytes(id);
  }
  const bitBytes = Math.ceil(maxId / 8);
  if (ids.length === 0 || !ascending || listBytes <= bitBytes) return { list: [...ids], bits: NO_BITS };
  const bits = new Uint8Array(bitBytes);
  for (const id of ids) bits[(id - 1) >> 3]! |= 1 << ((id - 1) & 7);
  return { list: [], bits };
}

/** The IDs of both forms, ascending; the list's are checked by `checkId`, the bitmap's are valid by construction. */
export function decodeIdSet(list: readonly number[], bits: Uint8Array, checkId: (id: number) => NodeId): NodeId[] {
  const ids = list.map(checkId);
  for (let byte = 0; byte < bits.length; byte++) {
    const value = bits[byte]!;
    if (value === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (value & (1 << bit)) ids.push(byte * 8 + bit + 1);
  }
  return ids;
}

function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes++;
  }
  return bytes;
}
