import type { CoreEvent, Message, NodeId, NodeSnapshot, Outgoing } from '../core/index.ts';
import { Check, type SafetyChecker } from './checkers.ts';
import type { SimHost } from './host.ts';
import type { HostKey } from './network.ts';

/**
 * What the protocol promises of two processes with one ID (docs/protocol.md, "Restarts,
 * duplicates, leaving"), checked; D1 (./duplicate-quiet.ts) is the third promise.
 *
 * - **D2:** a process that heard its twin speak in term T never leads, nor casts a real vote, in
 *   a term at or below T: the twin may have cast their ID's vote there. Judged on what its core read (a message queued behind
 *   a slow save counts once taken: seed 47017295), and after a crash on what
 *   it must have persisted: what it heard before its last send (the state an input changed is on
 *   the disk before that input's messages leave), or the term its disk holds.
 * - **S3, one process a vote:** a voter's real vote of a term goes to one process; a second
 *   process with the candidate's ID, asking with another boot ID, does not get it again.
 *
 * Beyond these, two processes of one ID that have not heard each other (one started from an empty
 * disk while the other was down, stalled or unheard for loss, or with unicast only before a peer
 * tells them) can each count their ID's vote and each lead one term, or hold overlapping leases:
 * the protocol cannot tell them from one process that lost its state file (docs/protocol.md,
 * "What is not protected"). S1 and S2 count such a conflict as a *gap*, reported, not as a
 * violation, and so a lease that overlaps one of a term both led (seeds 29019089, 35014815).
 * They can also each give their ID's vote of one term to a different candidate, so that two
 * coordinators of that term count it: S1 counts that as the gap too when the two quorums meet
 * only in such IDs (seed 54004154: n355' voted for n716 and stopped; n355, which never heard it,
 * won the same term with n34).
 */
export class TwinChecker {
  /** Conflicts of S1 and S2 between two processes of one ID: the documented gap. */
  gaps = 0;
  firstGap: string | null = null;
  /** The highest term each process heard its twin speak in, as far as it still knows. */
  private readonly heardTwinTerm = new Map<HostKey, number>();
  /** What each process had heard of its twin when it last sent: on its disk since. */
  private readonly heardBeforeSend = new Map<HostKey, number>();
  /** Each process's current boot ID, to tell its own looped-back datagrams from its twin's. */
  private readonly bootOf = new Map<HostKey, number>();
  /** The real vote request each process read last: a granted vote answers it, in the same input. */
  private readonly lastRequest = new Map<HostKey, { from: NodeId; voteTerm: number; bootId: number }>();
  /** Each voter's real votes, by term: the candidate and the boot of the process it went to. */
  private readonly grants = new Map<HostKey, Map<number, { candidate: NodeId; boot: number }>>();
  private readonly safety: SafetyChecker;

  constructor(safety: SafetyChecker) {
    this.safety = safety;
  }

  onLaunch(host: SimHost, bootId: number): void {
    this.bootOf.set(host.key, bootId);
  }

  onReceive(host: SimHost, message: Message): void {
    if (message.from === host.id) {
      if (message.bootId === this.bootOf.get(host.key)) return;
      this.heardTwinTerm.set(host.key, Math.max(this.heardTwinTerm.get(host.key) ?? 0, message.term));
    } else if (message.type === 'vote-request' && !message.preVote) {
      this.lastRequest.set(host.key, { from: message.from, voteTerm: message.voteTerm, bootId: message.bootId });
    }
  }

  onSend(host: SimHost, { message }: Outgoing): void {
    const heard = this.heardTwinTerm.get(host.key);
    if (heard !== undefined) this.heardBeforeSend.set(host.key, heard);
    if ((message.type !== 'vote' || !message.granted) && message.type !== 'vote-request') return;
    if (message.preVote) return;
    const candidate = message.type === 'vote' ? message.to : host.id;
    const term = message.voteTerm;
    if (heard !== undefined && term <= heard) {
      this.safety.fail(Check.TwinTerms, `${host.name} cast its vote of term ${term} (for n${candidate}), though it heard its twin speak in term ${heard}`);
    }
  }

  onEvent(host: SimHost, event: CoreEvent): void {
    if (event.type !== 'vote-cast' || !event.granted || event.preVote) return;
    const request = this.lastRequest.get(host.key);
    if (request === undefined || request.from !== event.candidate || request.voteTerm !== event.term) return;
    let votes = this.grants.get(host.key);
    if (votes === undefined) this.grants.set(host.key, (votes = new Map()));
    const earlier = votes.get(event.term);
    if (earlier !== undefined && earlier.candidate === event.candidate && earlier.boot !== request.bootId) {
      this.safety.fail(
        Check.DurableTermAndVote,
        `${host.name} granted its vote of term ${event.term} to a second process of n${event.candidate} (boot ${request.bootId}, after boot ${earlier.boot})`,
      );
    }
    if (earlier === undefined) votes.set(event.term, { candidate: event.candidate, boot: request.bootId });
  }

  afterInput(host: SimHost, node: NodeSnapshot | null): void {
    const heard = this.heardTwinTerm.get(host.key);
    if (node?.role !== 'leader' || heard === undefined || node.term > heard) return;
    this.safety.fail(Check.TwinTerms, `${host.name} leads term ${node.term}, though it heard its twin speak in term ${heard}`);
  }

  /** The process died: what it heard of its twin survives as far as it must be on its disk. */
  onCrash(host: SimHost): void {
    const heard = this.heardTwinTerm.get(host.key);
    const persisted = Math.max(this.heardBeforeSend.get(host.key) ?? 0, host.disk?.term ?? 0);
    if (heard !== undefined) this.heardTwinTerm.set(host.key, Math.min(heard, persisted));
    this.lastRequest.delete(host.key);
  }

  /** S1 or S2 between two processes of one ID: counted, not a violation (see the class). */
  noteGap(check: Check, text: string, atMs: number): void {
    this.gaps++;
    this.firstGap ??= `${check} at ${(atMs / 1000).toFixed(4)}s: ${text}`;
  }
}

