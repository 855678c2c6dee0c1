import { silenceLimitMs } from './config.ts';
import { ArrivalWindow } from './detector.ts';
import type { Message, NodeId, Role } from './messages.ts';
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
    let count = 0;
    for (const peer of this.peers.values()) if (peer.id > above && this.isAlive(peer, nowMs)) count++;
    return count;
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
  }

  /**
   * Records that `message` arrived; returns a change worth reporting, if any. `sentByMs`: the
   * latest time it was surely sent (earlier than `nowMs` if it may have waited behind our stall).
   */
  observe(message: Message, nowMs: number, sentByMs: number = nowMs): PeerChange | null {
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
    peer.lateMs = peer.transit.record(message.sentAtMs ?? 0, nowMs);
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
      peer.hears = new Set(message.hears);
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
    for (const peer of this.peers.values()) {
      const state = this.stateOf(peer, nowMs);
      if (state === peer.state) continue;
      const previous = peer.state;
      peer.state = state;
      if (state === PeerState.Suspect) changes.push({ peer: peer.id, change: 'suspected' });
      else if (state === PeerState.Dead) changes.push({ peer: peer.id, change: 'dead' });
      else if (state === PeerState.Alive && previous === PeerState.Suspect) {
        changes.push({ peer: peer.id, change: 'recovered' });
      }
    }
    return changes;
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
      canLead: false,
      beatIntervalMs: this.options.heartbeatMs,
      left: false,
      arrivals: new ArrivalWindow(this.options.heartbeatMs),
      // Each window holds two of even the slowest beats; they turn over only as messages are read.
      transit: new TransitFloor(2 * Math.max(this.options.timeoutMs, this.options.memberBeatMs), this.options.maxClockDriftPpm, nowMs),
      lateMs: 0,
      state: PeerState.Alive,
    };
  }
}
