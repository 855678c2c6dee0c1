/**
 * The kernel's shared receive backlog (or a switch's buffer): every packet on the LAN passes
 * through it, each copy of a multicast counting as one, and it drains at a fixed rate. A packet
 * that finds it full is dropped; a datagram whose first packet cannot even enter is refused to
 * its sender (ENOBUFS), as Linux does when the queue toward a bridge is full.
 */
export class SimBacklog {
  /** Packets waiting, as of `atMs` (a fluid model: it drains continuously). */
  private level = 0;
  private atMs = 0;
  private readonly packetsMax: number;
  private readonly packetsPerMs: number;

  constructor(packetsMax: number, packetsPerMs: number) {
    this.packetsMax = packetsMax;
    this.packetsPerMs = packetsPerMs;
  }

  /** Whether a datagram sent now would be refused to its sender. */
  refuses(nowMs: number): boolean {
    this.drain(nowMs);
    return this.level + 1 > this.packetsMax;
  }

  /** One packet enters, if there is room; says whether it did. */
  admit(nowMs: number): boolean {
    this.drain(nowMs);
    if (this.level + 1 > this.packetsMax) return false;
    this.level++;
    return true;
  }

  /** How long the packets now waiting take to drain: the queueing delay a new one meets. */
  delayMs(nowMs: number): number {
    this.drain(nowMs);
    return this.level / this.packetsPerMs;
  }

  private drain(nowMs: number): void {
    if (nowMs <= this.atMs) return;
    this.level = Math.max(0, this.level - (nowMs - this.atMs) * this.packetsPerMs);
    this.atMs = nowMs;
  }
}
