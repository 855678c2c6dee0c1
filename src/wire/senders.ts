import type { NodeId } from '../core/index.ts';

export type SenderVerdict = 'ok' | 'replayed' | 'duplicate' | 'impostor';

/** How far back a sequence number may arrive out of order (IPsec's anti-replay window). */
const WINDOW = 64;

interface Sender {
  bootId: number;
  address: string;
  lastSeenMs: number;
  highestSeq: number;
  /**
   * The window as two 32-bit halves, bit i set: highestSeq - i was seen (bits 0–31 in `seenLow`,
   * 32–63 in `seenHigh`). Numbers, not one bigint: every datagram shifts it, and a bigint shift
   * allocates.
   */
  seenLow: number;
  seenHigh: number;
}

/**
 * Who may speak for a node ID: one boot at a time, each sequence number once. Boot IDs grow with
 * every restart of a node (they start with its wall-clock time), so a datagram of an earlier boot
 * — a replay, or one still in flight from before a restart — is told from a restart. Runs only on
 * datagrams that passed authentication, so forged ones cannot disturb it.
 */
export class SenderTable {
  private readonly senders = new Map<NodeId, Sender>();
  /**
   * The boot a later one displaced from another address ("a node moved"), per node ID: it may be
   * alive still — a second process with that ID took over while it was silent, and stopped again.
   * Its datagrams keep being checked against its own window, so that a fresh one (proof of life:
   * authenticated, a sequence number never seen) is told from a replay of an old one.
   */
  private readonly displaced = new Map<NodeId, Sender>();
  private readonly aliveMs: number;

  /** @param aliveMs how long after its last datagram a sender counts as alive (the timeout) */
  constructor(aliveMs: number) {
    this.aliveMs = aliveMs;
  }

  check(from: NodeId, bootId: number, seq: number, address: string, nowMs: number): SenderVerdict {
    const sender = this.senders.get(from);
    if (sender === undefined) {
      this.senders.set(from, { bootId, address, lastSeenMs: nowMs, highestSeq: seq, seenLow: 1, seenHigh: 0 });
      return 'ok';
    }
    if (bootId !== sender.bootId) {
      const alive = nowMs - sender.lastSeenMs < this.aliveMs;
      // An earlier boot is the current one's past, replayed or late, however long the current
      // one has been silent: accepting it after a silence would let anyone replay a dead boot's
      // datagrams. Boot IDs grow across restarts (above every boot in the state file), so a
      // real restart always comes with a higher one.
      if (bootId < sender.bootId) return this.checkDisplaced(from, sender, bootId, seq, address, nowMs, alive);
      // A restart comes from the same address; another address while the first is alive is not
      // the same node.
      if (address !== sender.address && alive) return 'impostor';
      if (address !== sender.address) this.displaced.set(from, { ...sender });
      else this.displaced.delete(from);
      Object.assign(sender, { bootId, address, lastSeenMs: nowMs, highestSeq: seq, seenLow: 1, seenHigh: 0 });
      return 'ok';
    }
    const seqVerdict = this.acceptSeq(sender, seq);
    if (seqVerdict !== 'ok') return seqVerdict;
    sender.lastSeenMs = nowMs;
    sender.address = address;
    return 'ok';
  }

  /**
   * An earlier boot than the current one: a replay, unless it is the boot a later one displaced
   * from another address and this datagram is fresh. Then that boot is alive: another process
   * with its ID while the current one is alive too (`impostor`), or, once the current one has been
   * silent for the timeout (the second process stopped), the node again. Without this, a peer
   * that took an impostor for the ID dropped the real node as replayed until it restarted.
   */
  private checkDisplaced(from: NodeId, current: Sender, bootId: number, seq: number, address: string, nowMs: number, currentAlive: boolean): SenderVerdict {
    const earlier = this.displaced.get(from);
    if (earlier === undefined || earlier.bootId !== bootId || address !== earlier.address) return 'replayed';
    const fresh = this.acceptSeq(earlier, seq) === 'ok';
    if (!fresh) return 'replayed';
    earlier.lastSeenMs = nowMs;
    if (currentAlive) return 'impostor';
    this.senders.set(from, earlier);
    this.displaced.set(from, current);
    return 'ok';
  }

  /** A number seen before inside the window is a duplicate; one older than the window, a replay. */
  private acceptSeq(sender: Sender, seq: number): SenderVerdict {
    if (seq > sender.highestSeq) {
      const shift = seq - sender.highestSeq;
      if (shift >= WINDOW) {
        sender.seenHigh = 0;
        sender.seenLow = 1;
      } else if (shift >= 32) {
        sender.seenHigh = (sender.seenLow << (shift - 32)) >>> 0;
        sender.seenLow = 1;
      } else {
        sender.seenHigh = ((sender.seenHigh << shift) | (sender.seenLow >>> (32 - shift))) >>> 0;
        sender.seenLow = ((sender.seenLow << shift) | 1) >>> 0;
      }
      sender.highestSeq = seq;
      return 'ok';
    }
    const age = sender.highestSeq - seq;
    if (age >= WINDOW) return 'replayed';
    const high = age >= 32;
    const bit = (1 << (high ? age - 32 : age)) >>> 0;
    const half = high ? sender.seenHigh : sender.seenLow;
    if ((half & bit) !== 0) return 'duplicate';
    if (high) sender.seenHigh = (half | bit) >>> 0;
    else sender.seenLow = (half | bit) >>> 0;
    return 'ok';
  }
}
