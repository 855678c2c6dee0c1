import type { CoreEvent, NodeId, NodeSnapshot } from '../core/index.ts';
import { Check, type SafetyChecker } from './checkers.ts';
import type { SimHost } from './host.ts';
import type { HostKey } from './network.ts';

/**
 * D1: a process that heard another with its ID keeps quiet until its duplicate-ID alarm clears
 * (docs/protocol.md, "Restarts, duplicates, leaving"): it grants no vote, real or pre-vote, but
 * the repeat of the real vote it cast in that term (a lost reply), and holds no lease. Judged on
 * what it reports, in order: its `alarm` events and its `vote-cast` events.
 *
 * S1 sees the harm the vote rule prevents, one ID's two votes of one term counted by two
 * candidates, only when two candidates ask for one term, which Bully and the pre-vote make rare
 * (docs/testing.md, "One vote per term"); D1 sees the rule broken at the first vote under the
 * alarm, in the runs with an impostor (./impostor.ts).
 */
export class DuplicateQuietChecker {
  private readonly alarmed = new Set<HostKey>();
  /** The last real vote each process granted: its repeat stays allowed under the alarm. */
  private readonly lastVote = new Map<HostKey, { term: number; candidate: NodeId }>();
  private readonly safety: SafetyChecker;

  constructor(safety: SafetyChecker) {
    this.safety = safety;
  }

  onEvent(host: SimHost, event: CoreEvent): void {
    if (event.type === 'alarm') {
      if (event.raised) this.alarmed.add(host.key);
      else this.alarmed.delete(host.key);
      return;
    }
    if (event.type !== 'vote-cast' || !event.granted) return;
    const last = this.lastVote.get(host.key);
    const repeat = !event.preVote && last !== undefined && last.term === event.term && last.candidate === event.candidate;
    if (!event.preVote) this.lastVote.set(host.key, { term: event.term, candidate: event.candidate });
    if (this.alarmed.has(host.key) && !repeat) {
      this.safety.fail(Check.DuplicateQuiet, `${host.name} granted n${event.candidate} its ${event.preVote ? 'pre-vote' : 'vote'} for term ${event.term} while its duplicate-ID alarm was raised`);
    }
  }

  afterInput(host: SimHost, node: NodeSnapshot | null): void {
    if (node?.leaseUntilMs == null || !this.alarmed.has(host.key)) return;
    this.safety.fail(Check.DuplicateQuiet, `${host.name} holds a lease (term ${node.term}) while its duplicate-ID alarm is raised`);
  }

  /**
   * A process starts: the vote its disk holds is its own to repeat, as the core does (an
   * impostor started from a copy of its twin's state file repeats the twin's vote, seed 29005415).
   */
  onLaunch(host: SimHost): void {
    const disk = host.disk;
    if (disk?.votedFor != null) this.lastVote.set(host.key, { term: disk.term, candidate: disk.votedFor });
    else this.lastVote.delete(host.key);
  }

  /** The process died: a new one starts without the alarm. */
  onCrash(host: SimHost): void {
    this.alarmed.delete(host.key);
  }
}
