import type { CoreEvent, NodeId, NodeSnapshot, Outgoing, PersistentState } from '../core/index.ts';
import { Cause } from './bounds.ts';
import type { SimHost } from './host.ts';
import { areTwins, hostName, type HostKey } from './network.ts';

export const Check = {
  OneLeaderPerTerm: 'S1',
  OneLease: 'S2',
  DurableTermAndVote: 'S3',
  /** A coordinator's lease ends before the promises of a quorum of its followers (./lease-cover.ts). */
  LeaseInsidePromises: 'S4',
  Elects: 'L1',
  Stable: 'L2',
  /** Every datagram the simulation sends decodes: the codec round-trips the protocol. */
  WireIntact: 'W1',
  /** Once settled, no node sends more than SEND_RATE_MULTIPLE_MAX × its settled rate (./send-rate.ts). */
  SendRate: 'R1',
  /** While faults run, a leaderless stretch with a connected quorum ends within the L1 bound (./availability.ts). */
  Available: 'A1',
  /** A follower never names a coordinator whose lease a newer coordinator's has superseded (./named-leader.ts). */
  NamedLeader: 'N1',
  /** A process that hears another with its ID grants no vote and holds no lease until the alarm clears (./duplicate-quiet.ts). */
  DuplicateQuiet: 'D1',
  /** A process that heard another with its ID speak in a term never leads that term or a lower one (./twins.ts). */
  TwinTerms: 'D2',
} as const;
export type Check = (typeof Check)[keyof typeof Check];

const MAX_REPORTED_PER_CHECK = 5;

/**
 * Checks that today's core is known to break in a share of the seeds too large for a sweep to be
 * read. Unless the run is strict, their violations are *findings*: reported with the seed, not
 * failing the run. A check leaves this list once the core keeps it: none is on it today (N1 left
 * it when lease rounds were stamped, issue 22).
 */
export const REPORTED_CHECKS: ReadonlySet<Check> = new Set<Check>();

export interface Violation {
  check: Check;
  atMs: number;
  message: string;
}

/**
 * S1, S2 and S3, checked after every input of every node. Each counts processes, by host key
 * (./network.ts): an impostor (./impostor.ts) that claims a voter's ID is a second coordinator if
 * it leads the same term, a second lease if it holds one, and has a disk of its own.
 */
export class SafetyChecker {
  readonly violations: Violation[] = [];
  /** Violations of REPORTED_CHECKS in a run that is not strict. */
  readonly findings: Violation[] = [];
  /** Whether REPORTED_CHECKS fail the run as every other check does. */
  strict = false;
  private readonly leaderOfTerm = new Map<number, HostKey>();
  /** Real time until which each process's lease is valid (by its own drifting clock). */
  private readonly leaseEndMs = new Map<HostKey, number>();
  /** The term of each process's lease (as last seen). */
  private readonly leaseTerm = new Map<HostKey, number>();
  /**
   * Terms two processes of one ID both led, neither having heard the other (the twins' gap).
   * A rule keyed on a term and an ID cannot tell them apart: a resignation of one releases the
   * promises given to the other (seed 35014815), so leases that overlap one of theirs are the gap too.
   */
  private readonly twinLedTerms = new Set<number>();
  private readonly votes = new Map<HostKey, Map<number, NodeId>>();
  private readonly maxTerm = new Map<HostKey, number>();
  private readonly now: () => number;
  /**
   * Takes S1 and S2 conflicts between two processes of one ID instead of failing them: the gap
   * the protocol cannot close (./twins.ts), whose closable part D1 and D2 check.
   */
  onTwinConflict: ((check: Check, text: string) => void) | null = null;

  constructor(now: () => number) {
    this.now = now;
  }

  onEvent(host: SimHost, event: CoreEvent): void {
    if (event.type === 'term-changed' && event.term < event.previous) {
      this.fail(Check.DurableTermAndVote, `${host.name}'s term went back from ${event.previous} to ${event.term}`);
    }
  }

  /**
   * S1: one leader per term. S2: at no instant do two nodes hold a valid lease; a lease only
   * begins or grows on an input, so checking after each input covers every instant.
   */
  afterInput(host: SimHost, node: NodeSnapshot | null = host.inspect()): void {
    const now = this.now();
    if (node !== null && node.role === 'leader') {
      const other = this.leaderOfTerm.get(node.term);
      if (other !== undefined && other !== host.key) {
        const text = `${host.name} leads term ${node.term}, which ${hostName(other)} already led`;
        const splitVoters = areTwins(other, host.key) ? null : this.votersSplitByTwins(node.term, Math.abs(other), host.id);
        if (areTwins(other, host.key) || splitVoters !== null) this.twinLedTerms.add(node.term);
        if (splitVoters !== null && this.onTwinConflict !== null) {
          this.onTwinConflict(Check.OneLeaderPerTerm, `${text}; their quorums meet only in ${splitVoters.map((id) => `n${id}`).join(', ')}, whose two processes each cast the ID's vote`);
        } else this.failOrTwin(other, host.key, Check.OneLeaderPerTerm, text);
      }
      this.leaderOfTerm.set(node.term, host.key);
    }
    if (node !== null && node.leaseUntilMs !== null) {
      // Only nodes that ever held a lease are in the map: not a scan of every host per input.
      for (const [other, end] of this.leaseEndMs) {
        if (other !== host.key && end > now) {
          const text = `${host.name} holds a lease (term ${node.term}) while ${hostName(other)}'s lease (term ${this.leaseTerm.get(other)}) lasts ${(end - now).toFixed(3)} ms more`;
          const fromTwinTerm = this.twinLedTerms.has(node.term) || this.twinLedTerms.has(this.leaseTerm.get(other) ?? -1);
          if (fromTwinTerm && this.onTwinConflict !== null) this.onTwinConflict(Check.OneLease, `${text}, a term two processes of one ID led`);
          else this.failOrTwin(other, host.key, Check.OneLease, text);
        }
      }
      this.leaseEndMs.set(host.key, host.realAtMs(node.leaseUntilMs));
      this.leaseTerm.set(host.key, node.term);
    } else {
      this.endLease(host);
    }
  }

  /** When the lease of host `key` (as last seen) ends, in real time, or null if it never held one. */
  leaseEndOf(key: HostKey): number | null {
    return this.leaseEndMs.get(key) ?? null;
  }

  /** The host (its key) whose lease (as last seen) is valid now, if any: at most one, by S2. */
  leaseHolder(): HostKey | null {
    const now = this.now();
    for (const [id, end] of this.leaseEndMs) if (end > now) return id;
    return null;
  }

  /** The latest instant up to which some node's lease is valid, or null if none ever held one. */
  latestLeaseEndMs(): number | null {
    let latest: number | null = null;
    for (const end of this.leaseEndMs.values()) if (latest === null || end > latest) latest = end;
    return latest;
  }

  /** A node that stepped down or crashed holds no lease from now on. */
  endLease(host: SimHost): void {
    const end = this.leaseEndMs.get(host.key);
    if (end !== undefined && end > this.now()) this.leaseEndMs.set(host.key, this.now());
  }

  /** S3 on the disk: the persisted term never decreases; a persisted vote never changes. */
  onSave(host: SimHost, next: PersistentState): void {
    const max = this.maxTerm.get(host.key) ?? 0;
    if (next.term < max) this.fail(Check.DurableTermAndVote, `${host.name} persisted term ${next.term} after ${max}`);
    this.maxTerm.set(host.key, Math.max(max, next.term));
    if (next.votedFor === null) return;
    let votes = this.votes.get(host.key);
    if (votes === undefined) this.votes.set(host.key, (votes = new Map()));
    const earlier = votes.get(next.term);
    if (earlier !== undefined && earlier !== next.votedFor) {
      this.fail(
        Check.DurableTermAndVote,
        `${host.name} voted for n${next.votedFor} in term ${next.term} after voting for n${earlier}`,
      );
    }
    votes.set(next.term, next.votedFor);
  }

  /**
   * Persist before send: a vote or a claim on the wire is already on the disk, or superseded there
   * by a higher term (which rules out any other vote in the claim's term after a restart, since a
   * persisted term never decreases: a candidate's resend and its vote for another's higher term
   * can leave in one Ready, whose state is saved once, seed 1849008495); and so is the term every
   * message carries (the envelope's): a lease acknowledgement promises for its term, a round or a
   * refusal speaks for it, so a crash just after must not forget it.
   */
  onSend(host: SimHost, { message }: Outgoing): void {
    const disk = host.disk;
    let claim: { term: number; votedFor: NodeId } | null = null;
    if (message.type === 'vote' && message.granted && !message.preVote) {
      claim = { term: message.voteTerm, votedFor: message.to };
    } else if (message.type === 'vote-request' && !message.preVote) {
      claim = { term: message.voteTerm, votedFor: host.id };
    }
    const durable = claim === null || (disk !== null && (disk.term > claim.term || (disk.term === claim.term && disk.votedFor === claim.votedFor)));
    if (claim !== null && !durable) {
      this.fail(
        Check.DurableTermAndVote,
        `${host.name} sent ${message.type} for term ${claim.term} before persisting it (disk: ${JSON.stringify(disk)})`,
      );
      return;
    }
    const durableTerm = disk?.term ?? 0;
    if (message.term > durableTerm) {
      this.fail(
        Check.DurableTermAndVote,
        `${host.name} sent ${message.type}${message.type === 'lease-ack' ? ` (round ${message.round})` : ''} in term ${message.term} while its disk holds term ${durableTerm}`,
      );
    }
  }

  /**
   * The IDs that voted for both `a` and `b` in `term`, when each of them did so through two
   * processes, the voter and its twin (one vote each, by S3): the twins' gap, since neither process
   * can know of the other's vote (seed 54004154: n355' voted for n716 and stopped; n355, which never
   * heard it, won term 1 with n34). Null when an ID's vote went to both through one process, or
   * when the quorums do not meet at all: no gap explains that.
   */
  private votersSplitByTwins(term: number, a: NodeId, b: NodeId): NodeId[] | null {
    const keysFor = (candidate: NodeId): HostKey[] => [...this.votes].filter(([, votes]) => votes.get(term) === candidate).map(([key]) => key);
    const forA = keysFor(a);
    const forB = keysFor(b);
    const shared = [...new Set(forA.map((key) => Math.abs(key)))].filter((id) => forB.some((key) => Math.abs(key) === id));
    const split = shared.every((id) => {
      const votedForA = forA.filter((key) => Math.abs(key) === id);
      return forB.every((key) => Math.abs(key) !== id || !votedForA.includes(key));
    });
    return shared.length > 0 && split ? shared : null;
  }

  private failOrTwin(a: HostKey, b: HostKey, check: Check, message: string): void {
    if (areTwins(a, b) && this.onTwinConflict !== null) this.onTwinConflict(check, message);
    else this.fail(check, message);
  }

  fail(check: Check, message: string): void {
    const list = !this.strict && REPORTED_CHECKS.has(check) ? this.findings : this.violations;
    // One broken rule can fail on every input; the first few tell the story.
    const sameCheck = list.filter((v) => v.check === check).length;
    if (sameCheck < MAX_REPORTED_PER_CHECK) list.push({ check, atMs: this.now(), message });
  }
}

/**
 * L1 and L2 for one calm phase: from `fromMs` on, the first instant at which every node of
 * `connected` names one coordinator that holds a valid lease (the highest of them when preemption
 * is on) is measured, with no floor, and must come within `boundMs` (the bound of the phase's
 * cause, ./bounds.ts); from that instant until the phase is closed, nothing may change (L2).
 *
 * Agreement counts only on evidence from the calm: the coordinator's lease comes from a round it
 * sent since (it lasts at least `freshLeaseMs` past `fromMs`), and each follower has acknowledged
 * a round of it since. A name carried over from before the calm (a promise given before a cut, a
 * lease about to run out) is not agreement: it can lapse a moment later with nothing failing.
 */
export class LivenessChecker {
  convergedAtMs: number | null = null;
  cause: Cause;
  boundMs: number;
  private closed = false;
  /** The machine's drops when the phase began (`options.congestion`). */
  private readonly dropsAtStart: number;
  private readonly options: {
    fromMs: number;
    boundMs: number;
    cause: Cause;
    connected: ReadonlySet<NodeId>;
    expectHighest: boolean;
    /** The shortest real time a lease lasts past the sending of its round: `leaseMs/(1+ρ)`. */
    freshLeaseMs: number;
    now: () => number;
    safety: SafetyChecker;
    /**
     * Datagrams the machine dropped or refused so far (full receive queues, a full backlog): a
     * cold start that meets any before agreement was not calm (`Cause.ColdStartCongested`).
     */
    congestion?: () => number;
    /** The bound of a cause, for a phase whose cause turns out to be another. */
    boundOf?: (cause: Cause) => number;
    /**
     * Whether the machine is calm now. Agreement counts only while it is, on a lease from a round
     * sent since it became calm (a boot storm: the CPU still owes the storm's queued inputs when
     * the last process listens, and a lease from a round sent meanwhile can lapse with nothing
     * failing).
     */
    machineCalm?: () => boolean;
  };

  private readonly highest: NodeId;
  private machineSampledAtMs = Number.NEGATIVE_INFINITY;
  private machineCalmSinceMs: number | null = null;
  /** Whom each node last acknowledged a lease round of, since the calm. */
  private readonly ackedSinceCalm = new Map<NodeId, NodeId>();

  constructor(options: LivenessChecker['options']) {
    this.options = options;
    this.cause = options.cause;
    this.boundMs = options.boundMs;
    this.highest = Math.max(...options.connected);
    this.dropsAtStart = options.congestion?.() ?? 0;
  }

  get fromMs(): number {
    return this.options.fromMs;
  }

  get convergenceMs(): number | null {
    return this.convergedAtMs === null ? null : this.convergedAtMs - this.options.fromMs;
  }

  /** The phase ends (the run acts again): L1 is judged and L2 stops watching. */
  close(): void {
    if (this.closed) return;
    this.finish();
    this.closed = true;
  }

  /** A node sent a message: a lease acknowledgement since the calm is fresh evidence of whom it follows. */
  onSend(host: SimHost, { to, message }: Outgoing): void {
    if (message.type === 'lease-ack' && to !== 'all' && this.options.now() >= this.options.fromMs) this.ackedSinceCalm.set(host.id, to);
  }

  afterInput(hosts: readonly SimHost[]): void {
    const { fromMs, connected, expectHighest, now, safety } = this.options;
    if (this.closed || this.convergedAtMs !== null || now() < fromMs) return;
    this.noteCongestion();
    const calmFromMs = this.machineCalmFromMs();
    if (calmFromMs === null) return;
    // The safety checker knows who holds a lease: no snapshot of every host on every input.
    const holder = safety.leaseHolder();
    if (holder === null || !connected.has(holder)) return;
    if (expectHighest && holder !== this.highest) return;
    if ((safety.leaseEndOf(holder) ?? 0) < calmFromMs + this.options.freshLeaseMs) return;
    const leader = hosts.find((h) => h.key === holder);
    if (leader === undefined || !leader.holdsLease()) return;
    const term = leader.inspect()?.term;
    // Stops at the first that disagrees, which while the cluster settles is usually soon. The
    // same coordinator of an older term is not agreement: a follower that read its queued rounds
    // after a stall named the candidate that sent them, and the new term came a moment later
    // (seed 15006591).
    const agrees = (h: SimHost): boolean => {
      if (!connected.has(h.id) || h.id === holder) return true;
      const node = h.inspect();
      return this.ackedSinceCalm.get(h.id) === holder && node?.knownLeader === holder && node.term === term;
    };
    if (hosts.every(agrees)) this.convergedAtMs = now();
  }

  /**
   * Since when the machine has been calm (`options.machineCalm`; the phase's calm if it is not
   * asked), or null while it is not. Sampled once a millisecond at most: it reads every host.
   */
  private machineCalmFromMs(): number | null {
    const { machineCalm, fromMs, now } = this.options;
    if (machineCalm === undefined) return fromMs;
    const nowMs = now();
    if (nowMs - this.machineSampledAtMs >= 1) {
      this.machineSampledAtMs = nowMs;
      if (!machineCalm()) this.machineCalmSinceMs = null;
      else this.machineCalmSinceMs ??= nowMs;
    }
    return this.machineCalmSinceMs === null ? null : Math.max(fromMs, this.machineCalmSinceMs);
  }

  /**
   * A cold start's bound assumes a calm machine. One that drops datagrams before agreement is
   * not calm: the election's traffic met a machine the settled cluster already keeps busy, as in
   * a boot storm, and is judged by the same bound (seed 44 of 100 nodes: member beats of 100 ms
   * kept two cores and the backlog 80 % busy, queues of 64 overflowed while n100's Coordinator
   * went out, and the last followers learned of it from later rounds, 214 ms past the cold-start
   * bound).
   */
  private noteCongestion(): void {
    const { congestion, boundOf } = this.options;
    if (congestion === undefined || boundOf === undefined) return;
    if (this.cause !== Cause.ColdStart && this.cause !== Cause.ColdStartLateHighest && this.cause !== Cause.ColdStartPhantom) return;
    if (congestion() === this.dropsAtStart) return;
    this.cause = Cause.ColdStartCongested;
    this.boundMs = Math.max(this.boundMs, boundOf(Cause.ColdStartCongested));
  }

  onEvent(host: SimHost, event: CoreEvent): void {
    if (this.closed || this.convergedAtMs === null || !this.options.connected.has(host.id)) return;
    const changed =
      event.type === 'leader-changed' || event.type === 'demoted' || event.type === 'term-changed';
    if (changed) {
      this.options.safety.fail(
        Check.Stable,
        `n${host.id}: ${event.type} ${(this.options.now() - this.convergedAtMs).toFixed(0)} ms after the cluster agreed (${this.cause}; calm network, nothing failed)`,
      );
    }
  }

  finish(): void {
    if (this.closed) return;
    const { fromMs, safety } = this.options;
    const { boundMs } = this;
    if (this.convergedAtMs === null || this.convergedAtMs > fromMs + boundMs) {
      const highest = this.options.expectHighest ? ` on n${this.highest}` : '';
      safety.fail(
        Check.Elects,
        `no agreed coordinator${highest} within ${boundMs} ms (${this.cause} bound) of the calm ` +
          `(${this.convergedAtMs === null ? 'never' : `after ${(this.convergedAtMs - fromMs).toFixed(0)} ms`})`,
      );
    }
  }
}
