import type { ElectionCause, NodeId, Role } from './messages.ts';
import type { PeerState } from './peers.ts';
import type { NodeView } from './role-context.ts';
import type { ElectionWon } from './state/election-won.ts';

/** One peer as the dashboard shows it. Durations are relative to the snapshot. */
export interface PeerStatus {
  id: NodeId;
  bootId: number;
  state: PeerState;
  role: Role;
  term: number;
  leader: NodeId | null;
  canLead: boolean;
  /** The peer's last heartbeat listed this node: the link works both ways. */
  hearsUs: boolean;
  lastHeardAgoMs: number;
  /** How long the peer has been continuously alive; null when it is not. */
  aliveForMs: number | null;
  meanIntervalMs: number;
  jitterMs: number;
  lastIntervalMs: number | null;
  phi: number;
  /** When phi would cross the suspicion threshold, after the last heartbeat. */
  impliedTimeoutMs: number;
  /** The interval the peer's last heartbeat announced: the fast rate, or a bound follower's slow one. */
  beatIntervalMs: number;
  /** Silence after which the peer counts as dead: the timeout, or three of its slow beats. */
  timeoutMs: number;
}

/** The snapshot the CLI, the library API and the dashboard all show. */
export interface NodeStatus {
  id: NodeId;
  bootId: number;
  role: Role;
  term: number;
  votedFor: NodeId | null;
  /** A coordinator known to hold a valid lease (this node included), or null. */
  leader: NodeId | null;
  /** How long `leader` has been known, or null. */
  leaderForMs: number | null;
  /** This node's own lease, when it is the coordinator. */
  leaseRemainingMs: number | null;
  quorum: { have: number; need: number; voters: number };
  canLead: boolean;
  alarms: { duplicateId: boolean; quarantined: boolean };
  /** The election this node is running, if any. */
  campaign: {
    phase: 'pre-vote' | 'vote';
    term: number;
    cause: ElectionCause;
    granted: NodeId[];
    need: number;
  } | null;
  /** The last election this node saw won. */
  lastElection: ElectionWon | null;
  peers: PeerStatus[];
  timings: { heartbeatMs: number; memberBeatMs: number; timeoutMs: number; leaseMs: number; dampingMs: number; preempt: boolean };
}

export function buildStatus(node: NodeView, nowMs: number, leaderSinceMs: number | null): NodeStatus {
  const { config } = node;
  const leader = node.knownLeader(nowMs);
  const peers: PeerStatus[] = [];
  for (const peer of node.peers.all()) {
    const arrivals = peer.arrivals.stats();
    const alive = node.peers.isAlive(peer, nowMs);
    peers.push({
      id: peer.id,
      bootId: peer.bootId,
      state: node.peers.stateOf(peer, nowMs),
      role: peer.role,
      term: peer.term,
      leader: peer.leader,
      canLead: peer.canLead,
      hearsUs: peer.hears.has(node.id),
      lastHeardAgoMs: nowMs - peer.lastHeardMs,
      aliveForMs: alive ? nowMs - peer.aliveSinceMs : null,
      meanIntervalMs: arrivals.meanMs,
      jitterMs: arrivals.jitterMs,
      lastIntervalMs: arrivals.lastIntervalMs,
      phi: peer.arrivals.phi(nowMs),
      impliedTimeoutMs: peer.arrivals.impliedTimeoutMs(config.suspectPhi),
      beatIntervalMs: peer.beatIntervalMs,
      timeoutMs: node.peers.silenceLimitMs(peer),
    });
  }
  peers.sort((a, b) => a.id - b.id);
  const campaign = node.campaign;
  return {
    id: node.id,
    bootId: node.bootId,
    role: node.role,
    term: node.term,
    votedFor: node.votedFor,
    leader,
    leaderForMs: leader !== null && leaderSinceMs !== null ? nowMs - leaderSinceMs : null,
    leaseRemainingMs: node.leadership !== null && node.hasLease(nowMs) ? node.leadership.leaseUntilMs - nowMs : null,
    quorum: { have: node.quorumHave(nowMs), need: node.quorum, voters: config.voters.length },
    canLead: node.canLead(nowMs),
    alarms: { duplicateId: node.hasDuplicateAlarm(nowMs), quarantined: node.isQuarantined(nowMs) },
    campaign:
      campaign === null
        ? null
        : {
            phase: campaign.phase,
            term: campaign.voteTerm,
            cause: campaign.cause,
            granted: [...campaign.granted].sort((a, b) => a - b),
            need: node.quorum,
          },
    lastElection: node.lastElection,
    peers,
    timings: {
      heartbeatMs: config.heartbeatMs,
      memberBeatMs: config.memberBeatMs,
      timeoutMs: config.timeoutMs,
      leaseMs: config.leaseMs,
      dampingMs: config.dampingMs,
      preempt: config.preempt,
    },
  };
}
