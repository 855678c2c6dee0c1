/**
 * Synthetic dashboard data: a node's RuntimeStatus with N peers, heartbeat samples and a plausible
 * event history, deterministic for a given seed. For the view tests, the UI's dev harness and the
 * frame-time benchmark at 100 peers.
 */
import { silenceLimitMs } from '../../src/core/config.ts';
import { quorumSize } from '../../src/core/quorum.ts';
import type { ControlsInfo, DashboardMessage, HeartbeatSample } from '../../src/dashboard/messages.ts';
import { eventLine } from '../../src/contract/event-line.ts';
import { eventStateOf } from '../../src/contract/status-quorum.ts';
import { leaseMs, refreshMs } from '../../src/zookeeper/election/lease.ts';
import type { DetailsOf, EventKind, NodeEvent, NodeEventOf } from '../../src/contract/events.ts';
import type { LanStatus, RuntimePeerStatus, RuntimeStatus, ZooKeeperNodeStatus } from '../../src/contract/status.ts';
import type { ZooKeeperStatus } from '../../src/contract/zookeeper-status.ts';
import type { AloneDiagnosis } from '../../src/contract/alone.ts';
import { noDrops } from '../../src/wire/wire.ts';

export interface SyntheticStatusOptions {
  /** Peers besides this node; the voters are these plus this node, IDs 1..peers+1. Default 4. */
  peers?: number;
  /** This node's ID. Default 1. */
  selfId?: number;
  /** The coordinator; default the highest ID (as Bully elects). Ignored with `noQuorum`. */
  leader?: number | null;
  /** Only a minority is reachable (have = need − 1): no coordinator, the rest are dead. */
  noQuorum?: boolean;
  /** This node is paused (network.paused). */
  paused?: boolean;
  /** Why it is alone (status.alone). Default none. */
  alone?: AloneDiagnosis[];
  /** This node is campaigning: pre-vote or vote for term + 1. */
  campaign?: 'pre-vote' | 'vote' | null;
  term?: number;
  /** The snapshot's wall-clock time (ms since the epoch). Default Date.now(). */
  nowMs?: number;
  /** How long the coordinator has been known. Default 42 s. */
  leaderForMs?: number;
  /** The fast rate: the coordinator's rounds, and every peer's beat while there is none. Default 100. */
  heartbeatMs?: number;
  /** The slow rate of a follower bound to the coordinator. Default max(1000, heartbeatMs), as the node's. */
  memberBeatMs?: number;
  timeoutMs?: number;
  cluster?: string;
  /** Varies the timings; the same seed gives the same status. */
  seed?: number;
}

/** A small deterministic generator (mulberry32): fixtures must not flake. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticStatus(options: SyntheticStatusOptions = {}): LanStatus {
  const peerCount = options.peers ?? 4;
  const voters = peerCount + 1;
  const need = quorumSize(voters);
  const selfId = options.selfId ?? 1;
  const ids = Array.from({ length: voters }, (_, i) => i + 1);
  const peerIds = ids.filter((id) => id !== selfId);
  const noQuorum = options.noQuorum === true;
  const leader = noQuorum ? null : options.leader === undefined ? Math.max(...ids) : options.leader;
  const term = options.term ?? 7;
  const nowMs = options.nowMs ?? Date.now();
  const heartbeatMs = options.heartbeatMs ?? 100;
  const memberBeatMs = options.memberBeatMs ?? Math.max(1000, heartbeatMs);
  const timeoutMs = options.timeoutMs ?? 1000;
  const random = seededRandom(options.seed ?? 1);
  // Without quorum, this node plus (need − 2) peers are reachable: one short of a majority.
  const reachablePeers = noQuorum ? new Set(peerIds.slice(0, Math.max(0, need - 2))) : new Set(peerIds);

  const peers: RuntimePeerStatus[] = peerIds.map((id) => {
    const reachable = reachablePeers.has(id);
    // The coordinator beats its rounds fast; its followers beat slowly; with no coordinator, all fast.
    const beatIntervalMs = leader === null || id === leader ? heartbeatMs : memberBeatMs;
    const jitterMs = 2 + random() * 12;
    const meanIntervalMs = beatIntervalMs + (random() - 0.5) * 6;
    const lastHeardAgoMs = reachable ? Math.round(random() * beatIntervalMs) : 4_000 + Math.round(random() * 20_000);
    const phi = reachable ? random() * 1.2 : 40 + random() * 60;
    return {
      id,
      bootId: 1000 + id,
      state: reachable ? 'alive' : 'dead',
      role: id === leader ? 'leader' : 'follower',
      term,
      leader: reachable ? leader : null,
      canLead: true,
      hearsUs: reachable,
      lastHeardAgoMs,
      aliveForMs: reachable ? 60_000 + id * 1000 : null,
      meanIntervalMs,
      jitterMs,
      lastIntervalMs: reachable ? meanIntervalMs + (random() - 0.5) * jitterMs : null,
      phi,
      impliedTimeoutMs: Math.round(meanIntervalMs + 8 * jitterMs + 60),
      beatIntervalMs,
      timeoutMs: silenceLimitMs(timeoutMs, beatIntervalMs),
      address: `10.0.${Math.floor(id / 250)}.${(id % 250) + 1}`,
      route: reachable ? 'group' : null,
    };
  });

  const have = 1 + reachablePeers.size;
  const campaignPhase = options.campaign ?? null;
  const leaderForMs = leader === null ? null : (options.leaderForMs ?? 42_000);
  const votedBy = leader === null ? [] : [leader, ...ids.filter((id) => id !== leader).slice(0, need - 1)].sort((a, b) => a - b);

  return {
    backend: 'lan',
    id: selfId,
    bootId: 1000 + selfId,
    role: campaignPhase !== null ? 'candidate' : selfId === leader ? 'leader' : 'follower',
    term,
    votedFor: leader,
    leader,
    leaderForMs,
    leaseRemainingMs: selfId === leader ? 850 : null,
    quorum: { have, need, voters },
    canLead: true,
    alarms: { duplicateId: false, quarantined: false },
    campaign:
      campaignPhase === null
        ? null
        : { phase: campaignPhase, term: term + 1, cause: 'failover', granted: [selfId, ...[...reachablePeers].slice(0, Math.max(0, need - 2))], need },
    lastElection: leader === null ? null : { term, leader, cause: 'failover', votedBy },
    peers,
    timings: { heartbeatMs, memberBeatMs, timeoutMs, leaseMs: Math.floor(timeoutMs * 0.9), dampingMs: 2 * timeoutMs, preempt: true },
    cluster: options.cluster ?? 'lab',
    startedAt: nowMs - 300_000,
    leaderSince: leaderForMs === null ? null : nowMs - leaderForMs,
    network: {
      interface: 'eth0',
      address: `10.0.${Math.floor(selfId / 250)}.${(selfId % 250) + 1}`,
      group: '239.255.42.99',
      port: 42424,
      unicastPort: 42425,
      multicast: true,
      seeds: [],
      authenticated: true,
      paused: options.paused === true,
    },
    zookeeper: null,
    dataDir: '/var/lib/conclave',
    drops: noDrops(),
    alone: options.alone ?? [],
    traffic: { datagramsSent: 1200, bytesSent: 96_000, datagramsReceived: 4800, bytesReceived: 384_000, sendErrors: 0, sendErrorsByCode: {}, kernel: { sndbufErrors: 0, rcvbufErrors: 0 }, congested: false, sendQueue: 0, socketErrors: {} },
  };
}

/** A node electing through ZooKeeper: the common part of syntheticStatus, and `zookeeper`. */
export function syntheticZooKeeperStatus(zookeeper: ZooKeeperStatus, options: SyntheticStatusOptions = {}): ZooKeeperNodeStatus {
  // What only a LAN node has is left out, as the ZooKeeper backend leaves it out.
  const { backend, bootId, votedFor, quorum, campaign, peers, network, dataDir, drops, alone, traffic, alarms, lastElection, timings, ...common } = syntheticStatus(options);
  const sessionTimeoutMs = zookeeper.session.timeoutMs;
  return {
    ...common,
    backend: 'zookeeper',
    alarms: { duplicateId: alarms.duplicateId },
    lastElection: lastElection === null ? null : { term: lastElection.term, leader: lastElection.leader },
    timings: { timeoutMs: sessionTimeoutMs, leaseMs: Math.floor(leaseMs(sessionTimeoutMs)), dampingMs: timings.dampingMs, preempt: timings.preempt, refreshMs: refreshMs(sessionTimeoutMs) },
    network: null,
    zookeeper,
  };
}

/**
 * Heartbeat arrivals of the status's alive peers in (fromMs, toMs]: one per the peer's announced
 * interval (the coordinator's 100 ms rounds, a follower's 1 s member beat) with a little jitter,
 * and the gap since the previous one. Beat k of a peer always lands at the same
 * time (the jitter is a hash of peer, k and seed), so consecutive windows split the beats exactly,
 * as a node's successive status messages do.
 */
export function syntheticSamples(status: LanStatus, fromMs: number, toMs: number, seed = 1): HeartbeatSample[] {
  const samples: HeartbeatSample[] = [];
  for (const peer of status.peers) {
    if (peer.state !== 'alive') continue;
    const heartbeatMs = peer.beatIntervalMs;
    // Below half a period, so beats never swap places.
    const amplitudeMs = Math.min(peer.jitterMs, heartbeatMs / 3);
    const phaseMs = (peer.id * 37) % heartbeatMs;
    const beatAt = (k: number): number => k * heartbeatMs + phaseMs + Math.round((seededRandom(seed * 1_000_003 + peer.id * 7_919 + k)() - 0.5) * 2 * amplitudeMs);
    for (let k = Math.floor((fromMs - phaseMs) / heartbeatMs) - 1; ; k++) {
      const atMs = beatAt(k);
      if (atMs > toMs) break;
      if (atMs > fromMs) samples.push([peer.id, atMs, atMs - beatAt(k - 1)]);
    }
  }
  return samples.sort((a, b) => a[1] - b[1]);
}

/** One event as the node would emit it now. */
export function syntheticEvent<K extends EventKind>(status: RuntimeStatus, event: K, details: DetailsOf<K>, ts = Date.now()): NodeEventOf<K> {
  const { id, role, term, leader, quorum } = eventStateOf(status);
  return { ...eventLine({ id, role, term, leader, quorum: { have: quorum.have, need: quorum.need } }, event, details), ts };
}

/** A plausible start-up story ending in the status's coordinator, oldest first. */
export function syntheticHistory(status: LanStatus, endMs = Date.now()): NodeEvent[] {
  const at = (agoMs: number): number => endMs - agoMs;
  const events: NodeEvent[] = [
    syntheticEvent(status, 'started', startedFields(status), at(300_000)),
  ];
  status.peers.forEach((peer, i) => events.push(syntheticEvent(status, 'peer-joined', { peer: peer.id }, at(299_000 - i * 13))));
  const leader = status.lastElection?.leader ?? null;
  events.push(
    syntheticEvent(status, 'pre-vote', { forTerm: status.term, cause: 'failover' }, at(60_000)),
    syntheticEvent(status, 'vote', { candidate: leader ?? status.id, forTerm: status.term, preVote: true, granted: true, reason: null }, at(59_950)),
    syntheticEvent(status, 'term', { previous: status.term - 1 }, at(59_900)),
    syntheticEvent(status, 'vote', { candidate: leader ?? status.id, forTerm: status.term, preVote: false, granted: true, reason: null }, at(59_880)),
    syntheticEvent(status, 'dropped', { reason: 'bad-mac', count: 3, total: 3, from: 99, source: '10.0.0.99:42424', detail: 'wrong cluster key?' }, at(50_000)),
  );
  if (leader !== null) events.push(syntheticEvent(status, 'leader', { previous: null }, at(status.leaderForMs ?? 42_000)));
  if (leader === status.id) events.push(syntheticEvent(status, 'elected', { cause: 'failover', votedBy: status.lastElection?.votedBy ?? [] }, at(status.leaderForMs ?? 42_000)));
  for (const peer of status.peers) {
    if (peer.state === 'dead') events.push(syntheticEvent(status, 'peer-dead', { peer: peer.id }, at(peer.lastHeardAgoMs - peer.timeoutMs)));
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/** The `started` line of the node the status describes. */
function startedFields(status: LanStatus): DetailsOf<'started'> {
  const { network } = status;
  return {
    interface: network.interface,
    address: network.address,
    group: network.group,
    port: network.port,
    unicastPort: network.unicastPort,
    multicast: network.multicast,
    seeds: network.seeds,
    cluster: status.cluster,
    voters: Array.from({ length: status.quorum.voters }, (_, i) => i + 1),
    dataDir: status.dataDir,
    persistedTerm: status.term - 1,
    authenticated: network.authenticated,
    metricsPort: null,
    receiveBufferBytes: 8 * 1024 * 1024,
  };
}

export const CONTROLS_ON: ControlsInfo = { enabled: true, needsToken: true };

/** The first message of a connection, with a minute of heartbeats. */
export function syntheticHello(status: LanStatus, options: { nowMs?: number; controls?: ControlsInfo; historyMs?: number } = {}): DashboardMessage {
  const nowMs = options.nowMs ?? Date.now();
  const historyMs = options.historyMs ?? 60_000;
  return {
    type: 'hello',
    status,
    events: syntheticHistory(status, nowMs),
    samples: syntheticSamples(status, nowMs - historyMs, nowMs),
    controls: options.controls ?? CONTROLS_ON,
    historyMs,
  };
}
