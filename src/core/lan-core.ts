/**
 * The LAN core as drivers see it (../election/election-core.ts): messages and commands in, a
 * Ready out. The node behind it (./node.ts) keeps its transitions for its roles; nothing here
 * hands the node out.
 */
import type { ElectionCore } from '../election/election-core.ts';
import type { Message, NodeId, ResignReason } from './messages.ts';
import { ElectionNode, type ElectionNodeOptions, type Ready } from './node.ts';
import type { NodeSnapshot } from './state/snapshot.ts';
import type { NodeStatus } from './status.ts';

/** What the LAN core takes besides time: a datagram decoded (a peer's, or our own looped back), or a command. */
export type LanInput =
  | { type: 'message'; message: Message }
  /** Gives up leadership now (a no-op unless leader); the successor is elected at once. */
  | { type: 'resign'; reason: ResignReason }
  /** Resigns if leader and tells the peers this node is leaving; no input is taken afterwards. */
  | { type: 'leave' }
  /**
   * The wire dropped a datagram of voter `from` as an impostor's (a second live process with that
   * ID, at another address): the node's heartbeats name it in `twins` for a while.
   */
  | { type: 'impostor'; from: NodeId };

export type LanCore = ElectionCore<LanInput, Ready, NodeSnapshot, NodeStatus>;

/** A LAN core for a node starting now. */
export function createLanCore(options: ElectionNodeOptions): LanCore {
  return new LanFacade(new ElectionNode(options));
}

/**
 * The facade over a node already made: the simulator's tests make deliberately broken ones
 * (test/helpers/broken-cores.ts) and run them through the same driver.
 */
export function lanCoreOf(node: ElectionNode): LanCore {
  return new LanFacade(node);
}

class LanFacade implements LanCore {
  readonly #node: ElectionNode;
  /** Taken from the node and not yet carried out (advance). */
  #pending: Ready | null = null;

  constructor(node: ElectionNode) {
    this.#node = node;
  }

  /** A message that breaks the term bound (./terms.ts) is refused before it touches any state. */
  accepts(input: LanInput): boolean {
    return input.type !== 'message' || this.#node.acceptsTerm(input.message);
  }

  step(input: LanInput, nowMs: number): void {
    switch (input.type) {
      case 'message':
        this.#node.step(input.message, nowMs);
        return;
      case 'resign':
        this.#node.resign(input.reason, nowMs);
        return;
      case 'leave':
        this.#node.leave(nowMs);
        return;
      case 'impostor':
        this.#node.hearImpostor(input.from, nowMs);
        return;
    }
  }

  tick(nowMs: number): void {
    this.#node.tick(nowMs);
  }

  ready(): Ready | null {
    if (this.#pending === null) {
      const ready = this.#node.ready();
      if (ready.persist !== null || ready.messages.length > 0 || ready.events.length > 0) this.#pending = ready;
    }
    return this.#pending;
  }

  advance(): void {
    this.#pending = null;
  }

  /** Never null: a node that left is halted by its driver, which sets no timer then. */
  wakeAtMs(): number {
    return this.#node.nextDeadlineMs();
  }

  hasLease(nowMs: number): boolean {
    return this.#node.hasLease(nowMs);
  }

  view(nowMs: number): NodeSnapshot {
    return this.#node.inspect(nowMs);
  }

  status(nowMs: number): NodeStatus {
    return this.#node.status(nowMs);
  }
}
