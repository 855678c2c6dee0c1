import { silenceLimitMs } from './config.ts';
import { ArrivalWindow } from './detector.ts';
import type { Message, NodeId, Role } from './messages.ts';
import { sameIds } from './node-ids.ts';
import { TransitFloor } from './transit.ts';

export const PeerState = { Alive: 'alive', Suspect: 'suspect', Dead: 'dead', Left: 'left' } as const;
export type PeerState = (typeof PeerState)[keyof typeof PeerState];

/** What this node knows about one other voter. */
export interface Peer {
  readonly id: NodeId;
  bootId: number;
  /** Last time any message of the current boot arrived (never moved by an excuse: freshness reads it). */
  lastHeardMs: number;
  /**
   * The latest time the peer is known to have been alive: `lastHeardMs`, except for a message read
   * while our queue drained after a stall of ours, which may have been sent as the stall began.
   */
  knownAliveAtMs: number;
  /** Silence since `lastHeardMs` that was this node's own stall, not the peer's: at most a timeout, or one longer stall. */
  excusedMs: number;
  /** Start of the current unbroken stretch of liveness; preemption damping counts from here. */
  aliveSinceMs: number;
  role: Role;
  term: number;
  leader: NodeId | null;
  /** Voters the peer said it hears, from its last heartbeat. */
  hears: ReadonlySet<NodeId>;
  /** The list `hears` was made from: the next heartbeat's is compared with it, not with the set. */
  hearsIds: readonly NodeId[];
  canLead: boolean;
  /** The interval its last heartbeat announced: the fast rate, or the slow one of a bound follower. */
  beatIntervalMs: number;
  left: boolean;
  arrivals: ArrivalWindow;
  /** How late its messages are read, against the quickest lately (./transit.ts). */
  transit: TransitFloor;
  /** How late its last message was read, beyond the quickest lately; 0 when it was not stamped. */
  lateMs: number;
  /** State as of the last refresh, to report transitions once. */
  state: PeerState;
}

export type PeerChange = 'joined' | 'restarted' | 'suspected' | 'recovered' | 'dead' | 'left';

export interface PeerTableOptions {
  timeoutMs: number;
  heartbeatMs: number;
  /** The slowest rate a peer may announce: it is in config_id, so every voter has the same. */
  memberBeatMs: number;
  suspectPhi: number;
  maxClockDriftPpm: number;
  /** How long a peer must be alive before it preempts: its end is one of the table's deadlines. */
  dampingMs: number;
}

/** The peer table as the roles and the status read it. */
export interface PeerView {
  get(id: NodeId): Readonly<Peer> | undefined;
  all(): Iterable<Readonly<Peer>>;
  isAlive(peer: Readonly<Peer>, nowMs: number): boolean;
  silenceLimitMs(peer: Readonly<Peer>): number;
  deadMs(peer: Readonly<Peer>): number;
  aliveIds(nowMs: number): NodeId[];
  stateOf(peer: Readonly<Peer>, nowMs: number): PeerState;
}

/** Liveness and reported views of the other voters. Bounded by the voter set. */
export class PeerTable implements PeerView {
  private readonly peers = new Map<NodeId, Peer>();
  private readonly options: PeerTableOptions;
  /**
   * From `#steadyFromMs` until before the earlier of `#steadyPeerUntilMs` and
   * `#steadyOthersUntilMs`, `refresh` finds no peer whose state changed: set by its last pass over
   * every peer, narrowed by every peer heard since. It runs on every input, and at 100 nodes the
   * pass over 99 peers was a third of the simulator's time. The peer whose span ended first (a
   * coordinator, beating fastest) is kept apart: when it is heard its span replaces its old one,
   * instead of the pass coming again every beat.
   */
  #steadyFromMs = Infinity;
  #steadyPeer: Peer | null = null;
  #steadyPeerUntilMs = -Infinity;
  #steadyOthersUntilMs = -Infinity;
  /**
   * From `#livenessFromMs` until before `#livenessUntilMs` no peer's `isAlive` changes, so the
   * counts `aliveCount` made (by `above`) hold: they ran over every peer two or three times an
   * input. A peer heard moves only its own part of them.
   */
  #livenessFromMs = Infinity;
  #livenessUntilMs = -Infinity;
  readonly #aliveCounts = new Map<NodeId, number>();
  /** `nextDeadlineMs` as of `#deadlineFromMs`, and the peer it came from (null: none). */
  #deadlineFromMs = Infinity;
  #deadlineMs = -Infinity;
  #deadlinePeer: Peer | null = null;

  constructor(options: PeerTableOptions) {
    this.options = options;
  }

  get(id: NodeId): Peer | undefined {
    return this.peers.get(id);
  }

  all(): IterableIterator<Peer> {
    return this.peers.values();
  }

  isAlive(peer: Peer, nowMs: number): boolean {
    return !peer.left && nowMs < this.deadMs(peer);
  }

  /** When `peer` counts as dead if nothing more is heard: its silence limit, plus what was excused. */
  deadMs(peer: Peer): number {
    return peer.lastHeardMs + peer.excusedMs + this.silenceLimitMs(peer);
  }

  /** How long `peer` may be silent before it counts as dead: a few of its own beats, at least the timeout. */
  silenceLimitMs(peer: Peer): number {
    return silenceLimitMs(this.options.timeoutMs, peer.beatIntervalMs);
  }

  /** IDs of the peers heard within the timeout. */
  aliveIds(nowMs: number): NodeId[] {
    const ids: NodeId[] = [];
    for (const peer of this.peers.values()) if (this.isAlive(peer, nowMs)) ids.push(peer.id);
    return ids.sort((a, b) => a - b);
  }

  /** How many peers above `above` `aliveIds` would list, without the array and its sort. */
  aliveCount(nowMs: number, above = 0): number {
    if (!(nowMs >= this.#livenessFromMs && nowMs < this.#livenessUntilMs)) this.measureLiveness(nowMs);
    let count = this.#aliveCounts.get(above);
    if (count !== undefined) return count;
    count = 0;
    for (const peer of this.peers.values()) if (peer.id > above && this.isAlive(peer, nowMs)) count++;
    this.#aliveCounts.set(above, count);
    return count;
  }

  /** Starts a span at `nowMs` that lasts until the first live peer's silence limit. */
  private measureLiveness(nowMs: number): void {
    let untilMs = Infinity;
    for (const peer of this.peers.values()) {
      // A dead or departed peer stays so until it is heard (observe moves the span then).
      if (this.isAlive(peer, nowMs)) untilMs = Math.min(untilMs, this.deadMs(peer));
    }
    this.#livenessFromMs = nowMs;
    this.#livenessUntilMs = untilMs;
    this.#aliveCounts.clear();
  }

  /**
   * The earliest time after `nowMs` at which a peer reaches its silence limit or the end of its
   * damping (Infinity: none), as the node's timer needs it after every input.
   */
  nextDeadlineMs(nowMs: number): number {
    if (nowMs >= this.#deadlineFromMs && nowMs < this.#deadlineMs) return this.#deadlineMs;
    let next = Infinity;
    let from: Peer | null = null;
    for (const peer of this.peers.values()) {
      const atMs = this.deadlineAfter(peer, nowMs);
      if (atMs < next) {
        next = atMs;
        from = peer;
      }
    }
    this.#deadlineFromMs = nowMs;
    this.#deadlineMs = next;
    this.#deadlinePeer = from;
    return next;
  }

  /** `peer`'s earliest deadline after `nowMs`: its silence limit or the end of its damping. */
  private deadlineAfter(peer: Peer, nowMs: number): number {
    let next = Infinity;
    const silentAtMs = this.deadMs(peer);
    if (silentAtMs > nowMs && silentAtMs < next) next = silentAtMs;
    const dampedAtMs = peer.aliveSinceMs + this.options.dampingMs;
    if (dampedAtMs > nowMs && dampedAtMs < next) next = dampedAtMs;
    return next;
  }

  /**
   * This node was stalled from `stallStartMs` for `ms` (a pause, a starved process): nobody was
   * heard because nobody listened. The stall is not counted against a peer that was alive when it
   * began; what they sent meanwhile is queued and comes next. A peer already past its limit then
   * is not revived. Excuses add up since a peer was last heard only to `max(timeoutMs, ms)`
   * (docs/protocol.md, "Failure detection"), so a node whose inputs are always late still
   * declares a silent peer dead. Promises and leases are not touched: they run on real time.
   */
  excuse(stallStartMs: number, ms: number, nowMs: number): void {
    const capMs = Math.max(this.options.timeoutMs, ms);
    for (const peer of this.peers.values()) {
      if (!this.isAlive(peer, stallStartMs)) continue;
      const silentMs = nowMs - peer.lastHeardMs - peer.excusedMs;
      const excused = Math.max(0, Math.min(ms, capMs - peer.excusedMs, silentMs));
      peer.excusedMs += excused;
      peer.arrivals.excuse(excused);
    }
    // Both: hearing the peer kept apart replaces its own span, and must not undo this.
    this.#steadyPeerUntilMs = -Infinity;
    this.#steadyOthersUntilMs = -Infinity;
    this.#livenessUntilMs = -Infinity;
    this.#deadlineMs = -Infinity;
  }

  /**
   * Records that `message` arrived; returns a change worth reporting, if any. `sentByMs`: the
   * latest time it was surely sent (earlier than `nowMs` if it may have waited behind our stall).
   */
  observe(message: Message, nowMs: number, sentByMs: number = nowMs): PeerChange | null {
    const before = this.peers.get(message.from);
    const wasAlive = before !== undefined && this.isAlive(before, nowMs);
    const change = this.record(message, nowMs, sentByMs);
    const peer = this.peers.get(message.from)!;
    this.narrowSteady(peer, this.stateOf(peer, nowMs), nowMs);
    this.moveLiveness(peer, wasAlive, nowMs);
    this.moveDeadline(peer, nowMs);
    return change;
  }

  /** `peer` was heard at `nowMs`: its part of the alive counts and of the span they hold for. */
  private moveLiveness(peer: Peer, wasAlive: boolean, nowMs: number): void {
    if (!(nowMs >= this.#livenessFromMs && nowMs < this.#livenessUntilMs)) {
      this.#livenessUntilMs = -Infinity;
      return;
    }
    const alive = this.isAlive(peer, nowMs);
    if (alive !== wasAlive) {
      for (const [above, count] of this.#aliveCounts) if (peer.id > above) this.#aliveCounts.set(above, count + (alive ? 1 : -1));
    }
    this.#livenessFromMs = nowMs;
    if (alive) this.#livenessUntilMs = Math.min(this.#livenessUntilMs, this.deadMs(peer));
  }

  /**
   * `peer` was heard at `nowMs`: the others' deadlines stand, so the earliest is theirs or its
   * new one, unless it was its own, which has moved (then the next call looks at every peer).
   */
  private moveDeadline(peer: Peer, nowMs: number): void {
    if (!(nowMs >= this.#deadlineFromMs && nowMs < this.#deadlineMs) || peer === this.#deadlinePeer) {
      this.#deadlineMs = -Infinity;
      return;
    }
    const atMs = this.deadlineAfter(peer, nowMs);
    this.#deadlineFromMs = nowMs;
    if (atMs < this.#deadlineMs) {
      this.#deadlineMs = atMs;
      this.#deadlinePeer = peer;
    }
  }

  private record(message: Message, nowMs: number, sentByMs: number): PeerChange | null {
    let peer = this.peers.get(message.from);
    let change: PeerChange | null = null;
    if (peer === undefined) {
      peer = this.newPeer(message, nowMs);
      this.peers.set(peer.id, peer);
      change = 'joined';
    } else if (peer.bootId !== message.bootId) {
      Object.assign(peer, this.newPeer(message, nowMs));
      change = 'restarted';
    } else if (peer.left) {
      // A process says Leave last: anything of the same boot after it was sent before it and
      // reordered. It revived the peer, and a new coordinator handed over to the node that had
      // just left (seed 13004415). A restart comes with a new boot ID.
      return null;
    } else if (!this.isAlive(peer, nowMs)) {
      peer.aliveSinceMs = nowMs;
      peer.arrivals = new ArrivalWindow(peer.beatIntervalMs);
      change = 'joined';
    }
    peer.lastHeardMs = nowMs;
    // Read before `nowMs` was surely sent: our queue drains after a stall of ours (./transit.ts).
    peer.lateMs = peer.transit.record(message.sentAtMs ?? 0, nowMs, sentByMs < nowMs);
    peer.knownAliveAtMs = Math.max(peer.knownAliveAtMs, sentByMs);
    peer.excusedMs = 0;
    peer.term = message.term;
    if (message.type === 'coordinator') {
      // A new coordinator beats at the fast rate from now on: its announcement says so, as its
      // next round will (a candidate beat slowly; timed out by three slow beats, a coordinator
      // frozen right after winning kept its damping period through the stall).
      this.setBeatInterval(peer, this.options.heartbeatMs);
    } else if (message.type === 'heartbeat') {
      // No voter beats slower than the slow rate all agree on (config_id): an announcement above
      // it would keep a dead peer alive longer than any bound in docs/protocol.md.
      this.setBeatInterval(peer, Math.min(message.intervalMs, this.options.memberBeatMs));
      peer.arrivals.record(nowMs);
      peer.role = message.role;
      peer.leader = message.leader;
      // Rebuilt only when it says something else: a settled peer's beats all say the same.
      if (!sameIds(peer.hearsIds, message.hears)) {
        peer.hears = new Set(message.hears);
        peer.hearsIds = message.hears;
      }
      peer.canLead = message.canLead;
    } else if (message.type === 'leave') {
      peer.left = true;
      peer.canLead = false;
      peer.state = PeerState.Left;
      return 'left';
    } else if (message.type === 'resign') {
      peer.canLead = false; // until its next heartbeat says otherwise
    }
    if (change !== null) peer.state = PeerState.Alive;
    return change;
  }

  private setBeatInterval(peer: Peer, intervalMs: number): void {
    if (intervalMs === peer.beatIntervalMs) return;
    // A new rate: intervals measured at the old one would make phi meaningless.
    peer.beatIntervalMs = intervalMs;
    peer.arrivals = new ArrivalWindow(intervalMs);
  }

  /** Moves peers between alive, suspect and dead as time passes; returns the transitions. */
  refresh(nowMs: number): Array<{ peer: NodeId; change: PeerChange }> {
    const changes: Array<{ peer: NodeId; change: PeerChange }> = [];
    if (nowMs >= this.#steadyFromMs && nowMs < Math.min(this.#steadyPeerUntilMs, this.#steadyOthersUntilMs)) return changes;
    this.#steadyFromMs = nowMs;
    this.#steadyPeer = null;
    this.#steadyPeerUntilMs = Infinity;
    this.#steadyOthersUntilMs = Infinity;
    for (const peer of this.peers.values()) {
      const state = this.stateOf(peer, nowMs);
      const previous = peer.state;
      peer.state = state;
      const untilMs = this.steadyUntilMs(peer, state, nowMs);
      if (untilMs < this.#steadyPeerUntilMs) {
        this.#steadyOthersUntilMs = this.#steadyPeerUntilMs;
        this.#steadyPeer = peer;
        this.#steadyPeerUntilMs = untilMs;
      } else if (untilMs < this.#steadyOthersUntilMs) {
        this.#steadyOthersUntilMs = untilMs;
      }
      if (state === previous) continue;
      if (state === PeerState.Suspect) changes.push({ peer: peer.id, change: 'suspected' });
      else if (state === PeerState.Dead) changes.push({ peer: peer.id, change: 'dead' });
      else if (state === PeerState.Alive && previous === PeerState.Suspect) {
        changes.push({ peer: peer.id, change: 'recovered' });
      }
    }
    return changes;
  }

  /** `peer` was heard at `nowMs`, and is in `state`: the span in which `refresh` has nothing to do allows for it. */
  private narrowSteady(peer: Peer, state: PeerState, nowMs: number): void {
    this.#steadyFromMs = Math.max(this.#steadyFromMs, nowMs);
    const untilMs = this.steadyUntilMs(peer, state, nowMs);
    if (peer === this.#steadyPeer) this.#steadyPeerUntilMs = untilMs;
    else if (untilMs < this.#steadyOthersUntilMs) this.#steadyOthersUntilMs = untilMs;
  }

  /**
   * Until when `peer`, in `state` at `nowMs`, keeps the state it has. Dead stays dead and left
   * stays left until a message comes (observe narrows the span then); alive stays alive until
   * its silence limit and until phi could reach the suspicion level; a suspect, or a peer whose
   * state changes now, leaves no span at all. Every bound is one `stateOf` reaches by the same
   * arithmetic.
   */
  private steadyUntilMs(peer: Peer, state: PeerState, nowMs: number): number {
    if (state !== peer.state || state === PeerState.Suspect) return nowMs;
    if (state === PeerState.Left || state === PeerState.Dead) return Infinity;
    return Math.min(this.deadMs(peer), peer.arrivals.calmUntilMs(this.options.suspectPhi));
  }

  stateOf(peer: Peer, nowMs: number): PeerState {
    if (peer.left) return PeerState.Left;
    if (!this.isAlive(peer, nowMs)) return PeerState.Dead;
    if (peer.arrivals.reaches(nowMs, this.options.suspectPhi)) return PeerState.Suspect;
    return PeerState.Alive;
  }

  private newPeer(message: Message, nowMs: number): Peer {
    return {
      id: message.from,
      bootId: message.bootId,
      lastHeardMs: nowMs,
      knownAliveAtMs: 0,
      excusedMs: 0,
      aliveSinceMs: nowMs,
      role: 'follower',
      term: message.term,
      leader: null,
      hears: new Set(),
      hearsIds: [],
      canLead: false,
      beatIntervalMs: this.options.heartbeatMs,
      left: false,
      arrivals: new ArrivalWindow(this.options.heartbeatMs),
      // Each window holds two of even the slowest beats; they turn over only as messages are read, never in a stall's drain.
      transit: new TransitFloor(2 * Math.max(this.options.timeoutMs, this.options.memberBeatMs), this.options.maxClockDriftPpm, nowMs),
      lateMs: 0,
      state: PeerState.Alive,
    };
  }
}
