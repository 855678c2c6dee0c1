/**
 * The ZooKeeper election as drivers see it (../../election/election-core.ts), the same shape as
 * the LAN core's: session states, replies, watch firings and commands in, one Ready of requests,
 * commands and events out. The election behind it (./zk-election.ts) is not handed out.
 */
import type { ElectionCore } from '../../election/election-core.ts';
import type { SessionState } from '../../contract/zookeeper-status.ts';
import type { ZkNodeState } from './events.ts';
import type { ZkReply } from './requests.ts';
import { ZkElection, type ZkElectionOptions, type ZkElectionView, type ZkOutput } from './zk-election.ts';

/** What the ZooKeeper election takes besides time. */
export type ZkInput =
  /** The driver opened its first session. */
  | { type: 'start' }
  /** The session changed state; its ID and timeout as the client reports them now. */
  | { type: 'session'; state: SessionState; sessionId: string | null; timeoutMs: number }
  /** The reply to request `requestId` of an earlier Ready. */
  | { type: 'reply'; requestId: number; reply: ZkReply<unknown> }
  /** A watch set by a request fired: something in the election changed. */
  | { type: 'watch' }
  /** Gives up leadership now, if leading. */
  | { type: 'resign'; reason: 'requested' | 'preempted' }
  /** Leaves the election until `resume` (drills). */
  | { type: 'pause' }
  | { type: 'resume' }
  /** Resigns if leading, deletes its znodes, then asks to close. */
  | { type: 'stop' };

export type ZkCore = ElectionCore<ZkInput, ZkOutput, ZkNodeState, ZkElectionView>;

/** A ZooKeeper election for a node starting now; deliberately broken ones pass `hooks` (./hooks.ts). */
export function createZkCore(options: ZkElectionOptions): ZkCore {
  return new ZkFacade(new ZkElection(options));
}

class ZkFacade implements ZkCore {
  readonly #election: ZkElection;
  /** What the inputs since the last advance asked for, in order. */
  #pending: ZkOutput = { requests: [], commands: [], events: [] };

  constructor(election: ZkElection) {
    this.#election = election;
  }

  accepts(): boolean {
    return true;
  }

  step(input: ZkInput, nowMs: number): void {
    this.#take(this.#apply(input, nowMs));
  }

  tick(nowMs: number): void {
    this.#take(this.#election.tick(nowMs));
  }

  ready(): ZkOutput | null {
    const { requests, commands, events } = this.#pending;
    return requests.length + commands.length + events.length === 0 ? null : this.#pending;
  }

  advance(): void {
    this.#pending = { requests: [], commands: [], events: [] };
  }

  wakeAtMs(): number | null {
    return this.#election.wakeAtMs();
  }

  hasLease(nowMs: number): boolean {
    return this.#election.hasLease(nowMs);
  }

  /** The node as an event line describes it; the election keeps no time of its own between inputs. */
  view(): ZkNodeState {
    return this.#election.state();
  }

  status(): ZkElectionView {
    return this.#election.inspect();
  }

  #apply(input: ZkInput, nowMs: number): ZkOutput {
    const election = this.#election;
    switch (input.type) {
      case 'start':
        return election.start(nowMs);
      case 'session':
        return election.sessionChanged(input.state, input.sessionId, input.timeoutMs, nowMs);
      case 'reply':
        return election.replied(input.requestId, input.reply, nowMs);
      case 'watch':
        return election.watchFired(nowMs);
      case 'resign':
        return election.resign(input.reason, nowMs);
      case 'pause':
        return election.pause(nowMs);
      case 'resume':
        return election.resume(nowMs);
      case 'stop':
        return election.stop(nowMs);
    }
  }

  #take(output: ZkOutput): void {
    this.#pending.requests.push(...output.requests);
    this.#pending.commands.push(...output.commands);
    this.#pending.events.push(...output.events);
  }
}
