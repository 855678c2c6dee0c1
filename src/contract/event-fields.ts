/**
 * The fields each kind of event line carries beyond the common header (events.ts): the body of the
 * JSON-line schema (docs/events.md). A kind both backends emit with different fields is a union of
 * the two shapes; the ZooKeeper shape is the one with its own fields (`backend`, `token`,
 * `leaseEndedAt`), so `'token' in event` narrows, checked by the compiler.
 */
import type { DemotionReason, ElectionCause, NodeId, PeerChange, RejectReason, ResignReason, Role } from '../core/index.ts';
import type { DropReason } from '../wire/wire.ts';
import type { AloneFields } from './alone.ts';
import type { LanEndpoint } from './status.ts';
import type { ElectionMode, SessionState } from './zookeeper-status.ts';

/** Why a ZooKeeper node's lease ended, besides a resignation. */
export const ZooKeeperDemotionReason = {
  Paused: 'paused',
  Disconnected: 'zookeeper-disconnected',
  /** No write succeeded for two thirds of the session timeout. */
  Unreachable: 'zookeeper-unreachable',
  SessionExpired: 'session-expired',
  ClaimLost: 'claim-lost',
} as const;
export type ZooKeeperDemotionReason = ResignReason | (typeof ZooKeeperDemotionReason)[keyof typeof ZooKeeperDemotionReason];

/** A LAN node's lease ended: the core's reasons, or `fatal` (its state could not be saved). */
export type LanDemotionReason = DemotionReason | ResignReason | 'fatal';

/** Why a lease ended, on either backend. */
export type LeaseEndReason = LanDemotionReason | ZooKeeperDemotionReason;

export type HookName = 'on-elected' | 'on-demoted';

/** A kind with no fields of its own. */
export type NoFields = Record<never, never>;

export interface LanStartedFields extends LanEndpoint {
  /** Why this interface: given by --interface, or which virtual adapters were skipped. */
  interfaceChoice?: string;
  /** How the multicast socket was bound and why ("wildcard (win32: …)"); null without multicast. */
  multicastBind?: string | null;
  cluster: string;
  voters: readonly NodeId[];
  dataDir: string;
  persistedTerm: number;
  authenticated: boolean;
  metricsPort: number | null;
  /** What the kernel gave its sockets to queue received datagrams in, in bytes (the smaller of the two). */
  receiveBufferBytes: number;
}

export interface ZooKeeperStartedFields {
  /** The backend URL, `zookeeper://…?mode=…`. */
  backend: string;
  servers: string[];
  path: string;
  mode: ElectionMode;
  sessionTimeoutMs: number;
  cluster: string;
  metricsPort: number | null;
}

export interface LanElectedFields {
  cause: ElectionCause;
  votedBy: NodeId[];
}

export interface ZooKeeperElectedFields {
  cause: ElectionCause;
  /** Nobody votes: the claim znode decides. */
  votedBy: [];
  /** The claim's creation zxid: the fencing token. */
  token: number;
  /** This node's candidate znode, which the claim names. */
  znode: string;
}

export interface LanDemotedFields {
  reason: LanDemotionReason;
  leaseTerm: number;
  /** When the lease really ended (ms since the epoch): now, or earlier if its end was noticed late. */
  leaseEndedAt: number;
}

export interface ZooKeeperDemotedFields {
  reason: ZooKeeperDemotionReason;
  leaseTerm: number;
  /** When the lease really ended (ms since the epoch): now, or earlier if it ran out unnoticed. */
  leaseEndedAt: number;
}

export interface PeerFields {
  peer: NodeId;
}

/** The fields of every `peer-…` kind, one per way a peer's state changes. */
export type PeerEventFields = { [Change in PeerChange as `peer-${Change}`]: PeerFields };

export interface HookFields {
  hook: HookName;
  /** The term of the lease the hook was about (its fencing token). */
  leaseTerm: number;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Killed for running longer than the timeout. */
  timedOut: boolean;
  /** An on-elected hook killed because the lease ended while it still ran. */
  superseded: boolean;
  error: string | null;
}

/** Every kind and its fields; EVENT_KINDS (events.ts) lists the same keys at run time. */
export interface EventFields extends PeerEventFields {
  started: LanStartedFields | ZooKeeperStartedFields;
  stopped: NoFields;
  warning: { message: string };
  fatal: { error: string };
  paused: NoFields;
  resumed: NoFields;
  'listener-error': { listenerOf: string; error: string };
  alarm: { alarm: 'duplicate-id'; raised: boolean };
  stalled: { durationMs: number; wasLeader: boolean; leaseLost: boolean; leaseEndedAt: number | null };
  dropped: { reason: DropReason; count: number; total: number; from: NodeId | null; source: string | null; detail: string };
  'send-failed': { code: string; count: number; total: number; target: string | null; congestion: boolean; detail: string };
  alone: AloneFields;
  role: { previous: Role };
  term: { previous: number };
  leader: { previous: NodeId | null };
  elected: LanElectedFields | ZooKeeperElectedFields;
  demoted: LanDemotedFields | ZooKeeperDemotedFields;
  'pre-vote': { forTerm: number; cause: ElectionCause };
  election: { forTerm: number; cause: ElectionCause };
  challenge: { to: NodeId[] };
  vote: { candidate: NodeId; forTerm: number; preVote: boolean; granted: boolean; reason: RejectReason | null };
  session: { state: SessionState; sessionId: string | null; sessionTimeoutMs: number };
  registered: { znode: string };
  hook: HookFields;
  dashboard: { url: string; controls: false } | { url: string; controls: true; token: string; openUrl: string };
}
