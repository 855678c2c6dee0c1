import type { NodeId } from './messages.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

/**
 * Timers and membership. All durations are milliseconds of the node's own monotonic clock.
 * docs/protocol.md ("Timers") justifies every default.
 */
export interface ElectionConfig {
  /** Number of voters; the quorum is floor(clusterSize / 2) + 1. */
  clusterSize: number;
  /** The voter IDs, sorted ascending. Defaults to 1..clusterSize. */
  voters: readonly NodeId[];
  /**
   * The fast rate: a leader's lease rounds, and the heartbeat of every node that follows no
   * coordinator (campaigning, cold start, failover).
   */
  heartbeatMs: number;
  /**
   * The slow rate: a follower bound to a live coordinator beats this often, for membership only
   * (Bully must know which higher IDs live); it answers the coordinator's rounds at the fast rate.
   */
  memberBeatMs: number;
  /** Silence after which a peer counts as dead, and how long a follower's lease promise lasts. */
  timeoutMs: number;
  /** How long a quorum-acknowledged lease round lets the leader lead. */
  leaseMs: number;
  /** Bound on how far any two clocks' rates may differ from real time, in parts per million. */
  maxClockDriftPpm: number;
  /** A higher ID must be continuously connected this long before it preempts a healthy leader. */
  dampingMs: number;
  /** How long a Bully challenger waits for an answer from a higher ID. */
  answerTimeoutMs: number;
  /** When false, a healthy leader keeps leading when a higher ID appears (sticky leadership). */
  preempt: boolean;
  /** Suspicion level (phi) at which a peer is shown as suspect before its timeout. */
  suspectPhi: number;
}

/** Defaults for a LAN; see docs/protocol.md for the reasoning behind each number. */
export const DEFAULT_LAN_TIMINGS = {
  heartbeatMs: 100,
  memberBeatMs: 1000,
  timeoutMs: 1000,
  leaseMs: 900,
  maxClockDriftPpm: 1000,
  dampingMs: 3000,
  answerTimeoutMs: 200,
  preempt: true,
  suspectPhi: 8,
} as const;

/** Why each default is what it is: data rather than comments, so that the option table and its docs show them and tsc asks for one per default. */
export const DEFAULT_LAN_TIMING_REASONS = {
  heartbeatMs: '10 rounds per timeout: a false failover needs 10 losses in a row',
  memberBeatMs: "node-discover's hello: a follower's membership costs what its liveness does",
  timeoutMs: "failover in about a second, tolerant of a loaded lab PC's pauses",
  leaseMs: '10% below the timeout: covers the drift bound and a late step-down timer',
  maxClockDriftPpm: '0.1%: ten times what a commodity crystal drifts',
  dampingMs: 'a returning higher ID must stay up three timeouts before it takes over',
  answerTimeoutMs: 'two heartbeats: a LAN round trip plus a busy event loop',
  preempt: "the Bully algorithm's promise: the highest live ID leads",
  suspectPhi: "Akka/Cassandra's usual threshold: about one false suspicion in 10^8",
} as const satisfies Record<keyof typeof DEFAULT_LAN_TIMINGS, string>;

/**
 * The longest beat interval a node may be configured with, and so the longest the wire accepts:
 * one heartbeat keeps a peer alive for at most three of them.
 */
export const MAX_BEAT_INTERVAL_MS = 60_000;

/** A peer is dead after this many of its own beat intervals of silence (and never before the timeout). */
export const MISSED_BEATS = 3;

/** How long a peer beating every `beatIntervalMs` may be silent before it counts as dead. */
export function silenceLimitMs(timeoutMs: number, beatIntervalMs: number): number {
  return Math.max(timeoutMs, MISSED_BEATS * beatIntervalMs);
}

/** The default lease as a fraction of the timeout (docs/protocol.md, "Timers"). */
export const LEASE_FRACTION = 0.9;

export class ConfigError extends ConclaveError {
  override readonly name = 'ConfigError';
  readonly code = ConclaveErrorCode.Config;
  readonly field: string;
  /** The message without the field, so that the command line can name the flag instead. */
  readonly problem: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
    this.problem = message;
  }
}

export type ElectionConfigInput = Partial<ElectionConfig> & Pick<ElectionConfig, 'clusterSize'>;

const MAX_NODE_ID = 0xffff_ffff;

/** The longest lease that stays inside every follower's promise given the drift bound. */
export function maxSafeLeaseMs(timeoutMs: number, maxClockDriftPpm: number): number {
  const drift = maxClockDriftPpm / 1_000_000;
  return (timeoutMs * (1 - drift)) / (1 + drift);
}

/** Fills in defaults and checks every rule; throws ConfigError naming the first bad field. */
export function resolveConfig(input: ElectionConfigInput): ElectionConfig {
  const clusterSize = input.clusterSize;
  if (!Number.isInteger(clusterSize) || clusterSize < 1 || clusterSize > 255) {
    throw new ConfigError('clusterSize', `must be an integer from 1 to 255, got ${clusterSize}`);
  }
  const voters = [...(input.voters ?? Array.from({ length: clusterSize }, (_, i) => i + 1))].sort(
    (a, b) => a - b,
  );
  const timeoutMs = input.timeoutMs ?? DEFAULT_LAN_TIMINGS.timeoutMs;
  const heartbeatMs = input.heartbeatMs ?? DEFAULT_LAN_TIMINGS.heartbeatMs;
  const config: ElectionConfig = {
    ...DEFAULT_LAN_TIMINGS,
    // Unless given, the lease and the answer timeout follow the timers they must fit within.
    leaseMs: Math.floor(timeoutMs * LEASE_FRACTION),
    answerTimeoutMs: Math.min(2 * heartbeatMs, timeoutMs / 2),
    memberBeatMs: Math.max(DEFAULT_LAN_TIMINGS.memberBeatMs, heartbeatMs),
    ...withoutUndefined(input),
    clusterSize,
    voters,
  };
  checkConfig(config);
  return config;
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(input) as Array<keyof T>) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

function checkConfig(c: ElectionConfig): void {
  if (c.voters.length !== c.clusterSize) {
    throw new ConfigError('voters', `lists ${c.voters.length} IDs but clusterSize is ${c.clusterSize}`);
  }
  for (const [i, id] of c.voters.entries()) {
    if (!Number.isInteger(id) || id < 1 || id > MAX_NODE_ID) {
      throw new ConfigError('voters', `${id} is not a node ID (an integer from 1 to ${MAX_NODE_ID})`);
    }
    if (i > 0 && c.voters[i - 1] === id) throw new ConfigError('voters', `${id} is listed twice`);
  }
  positive(c, 'heartbeatMs');
  positive(c, 'timeoutMs');
  positive(c, 'leaseMs');
  positive(c, 'answerTimeoutMs');
  positive(c, 'memberBeatMs');
  if (c.memberBeatMs < c.heartbeatMs) {
    throw new ConfigError('memberBeatMs', `${c.memberBeatMs} must be at least heartbeatMs (${c.heartbeatMs})`);
  }
  if (c.memberBeatMs > MAX_BEAT_INTERVAL_MS) {
    throw new ConfigError('memberBeatMs', `${c.memberBeatMs} must be at most ${MAX_BEAT_INTERVAL_MS} (a minute)`);
  }
  if (!(c.dampingMs >= 0) || !Number.isFinite(c.dampingMs)) {
    throw new ConfigError('dampingMs', `must be 0 or more, got ${c.dampingMs}`);
  }
  if (!(c.maxClockDriftPpm >= 0 && c.maxClockDriftPpm < 100_000)) {
    throw new ConfigError('maxClockDriftPpm', `must be from 0 to 99999, got ${c.maxClockDriftPpm}`);
  }
  if (c.timeoutMs < 2 * c.heartbeatMs) {
    throw new ConfigError(
      'timeoutMs',
      `${c.timeoutMs} must be at least twice heartbeatMs (${c.heartbeatMs}), or one lost heartbeat fails over`,
    );
  }
  const safeLeaseMs = maxSafeLeaseMs(c.timeoutMs, c.maxClockDriftPpm);
  if (c.leaseMs >= safeLeaseMs) {
    throw new ConfigError(
      'leaseMs',
      `${c.leaseMs} must be below the election timeout shortened by the clock drift bound ` +
        `(${safeLeaseMs.toFixed(1)} for timeoutMs ${c.timeoutMs} and ${c.maxClockDriftPpm} ppm), ` +
        'or two leaders could hold a lease at once',
    );
  }
  if (c.leaseMs <= c.heartbeatMs) {
    throw new ConfigError('leaseMs', `${c.leaseMs} must be longer than heartbeatMs (${c.heartbeatMs})`);
  }
  if (c.answerTimeoutMs >= c.timeoutMs) {
    throw new ConfigError('answerTimeoutMs', `${c.answerTimeoutMs} must be below timeoutMs (${c.timeoutMs})`);
  }
  if (!(c.suspectPhi > 0)) throw new ConfigError('suspectPhi', `must be above 0, got ${c.suspectPhi}`);
}

function positive(c: ElectionConfig, field: 'heartbeatMs' | 'memberBeatMs' | 'timeoutMs' | 'leaseMs' | 'answerTimeoutMs'): void {
  const value = c[field];
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(field, `must be a positive number of milliseconds, got ${value}`);
  }
}

/**
 * A 32-bit FNV-1a hash of everything that must agree cluster-wide: for the safety argument (voter
 * set, timeout, lease, drift bound), and for the failure detector, which times a bound follower
 * out by three of its slow beats (`memberBeatMs`): a peer trusts an announced interval only up to
 * its own slow rate. Peers whose config differs are not counted. `agreed`: more text every node
 * must share (a cluster file's canonical form, computed by the caller); empty leaves the ID as it
 * was without it.
 */
export function configId(c: ElectionConfig, agreed = ''): number {
  const fields = [c.voters.join(','), c.timeoutMs, c.leaseMs, c.maxClockDriftPpm, c.memberBeatMs];
  const text = (agreed === '' ? fields : [...fields, agreed]).join('|');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
