import type { NodeId } from '../core/index.ts';

export type SenderVerdict = 'ok' | 'replayed' | 'duplicate' | 'impostor';

/** How far back a sequence number may arrive out of order (IPsec's anti-replay window). */
const WINDOW = 64n;

interface Sender {
  bootId: number;
  address: string;
  lastSeenMs: number;
  highestSeq: number;
  /** Bit i set: highestSeq - i was seen. */
  seen: bigint;
}

/**
 * Who may speak for a node ID: one boot at a time, each sequence number once. Boot IDs grow with
 * every restart of a node (they start with its wall-clock time), so a datagram of an earlier boot
 * — a replay, or one still in flight from before a restart — is told from a restart. Runs only on
 * datagrams that passed authentication, so forged ones cannot disturb it.
 */
export class SenderTable {
  private readonly senders = new Map<NodeId, Sender>();
  private readonly aliveMs: number;

  /** @param aliveMs how long after its last datagram a sender counts as alive (the timeout) */
  constructor(aliveMs: number) {
    this.aliveMs = aliveMs;
  }

  check(from: NodeId, bootId: number, seq: number, address: string, nowMs: number): SenderVerdict {
    const sender = this.senders.get(from);
    if (sender === undefined) {
      this.senders.set(from, { bootId, address, lastSeenMs: nowMs, highestSeq: seq, seen: 1n });
      return 'ok';
    }
    if (bootId !== sender.bootId) {
      const alive = nowMs - sender.lastSeenMs < this.aliveMs;
      // An earlier boot is the current one's past, replayed or late, however long the current
      // one has been silent: accepting it after a silence would let anyone replay a dead boot's
      // datagrams. Boot IDs grow across restarts (above every boot in the state file), so a
      // real restart always comes with a higher one.
      if (bootId < sender.bootId) return 'replayed';
      // A restart comes from the same address; another address while the first is alive is not
      // the same node.
      if (address !== sender.address && alive) return 'impostor';
      Object.assign(sender, { bootId, address, lastSeenMs: nowMs, highestSeq: seq, seen: 1n });
      return 'ok';
    }
    const seqVerdict = this.acceptSeq(sender, seq);
    if (seqVerdict !== 'ok') return seqVerdict;
    sender.lastSeenMs = nowMs;
    sender.address = address;
    return 'ok';
  }

  /** A number seen before inside the window is a duplicate; one older than the window, a replay. */
  private acceptSeq(sender: Sender, seq: number): SenderVerdict {
    if (seq > sender.highestSeq) {
      const shift = BigInt(seq - sender.highestSeq);
      sender.seen = shift >= WINDOW ? 1n : ((sender.seen << shift) | 1n) & ((1n << WINDOW) - 1n);
      sender.highestSeq = seq;
      return 'ok';
    }
    const age = BigInt(sender.highestSeq - seq);
    if (age >= WINDOW) return 'replayed';
    const bit = 1n << age;
    if ((sender.seen & bit) !== 0n) return 'duplicate';
    sender.seen |= bit;
    return 'ok';
  }
}
