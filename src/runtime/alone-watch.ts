import type { NodeId } from '../core/index.ts';
import { AloneCause, type AloneDiagnosis, type AloneFields } from '../contract/alone.ts';
import type { DropReason, ForeignConfig } from '../wire/wire.ts';

/** The drops that name a cause; the rest (bad versions, replays, …) have their `dropped` lines. */
export function aloneCauseOf(reason: DropReason): AloneCause | null {
  switch (reason) {
    case 'bad-mac':
    case 'unknown-key':
    case 'unauthenticated':
      return AloneCause.KeyMismatch;
    case 'config-mismatch':
      return AloneCause.ConfigMismatch;
    case 'foreign-cluster':
      return AloneCause.ForeignCluster;
    default:
      return null;
  }
}

/** What the dropped datagrams of one cause said, the latest last. */
export interface AloneEvidence {
  /** Drops of this cause since its last line. */
  count: number;
  /** When the latest came (monotonic ms). */
  lastMs: number;
  /** Where they came from ("ip:port"), the latest first, a few at most. */
  sources: string[];
  from: NodeId | null;
  reason: DropReason;
  detail: string;
  foreign: ForeignConfig | null;
}

/** Words for a cause: its diagnosis and fix (alone-advice.ts). `evidence` is null for no-datagram. */
export type DescribeAlone = (cause: AloneCause, evidence: AloneEvidence | null, silentForMs: number) => { diagnosis: string; fix: string };

export interface AloneWatchOptions {
  /** No datagram from anyone else for this long (since start, or since the last): no-datagram. Evidence older than this is no longer current. */
  silenceMs: number;
  /** At most one line per cause per this many milliseconds. */
  intervalMs: number;
  /** False for a cluster of one: nobody else is expected, so hearing nobody says nothing. */
  expectsPeers: boolean;
  describe: DescribeAlone;
  report: (fields: AloneFields) => void;
}

const MAX_SOURCES = 4;

/**
 * Watches what a node hears and drops, and says why it is alone: once a check finds a cause
 * current (no datagram from anyone else for `silenceMs`; or drops of a cause within `silenceMs`),
 * one `alone` line, then at most one per cause per `intervalMs` while it stays current. Recording is
 * a few assignments per datagram; the words are made only by `check`, which the node's existing
 * once-a-second poll calls, so an idle node gets no timer of its own.
 */
export class AloneWatch {
  private readonly options: AloneWatchOptions;
  /** When a peer's datagram was last taken, or when counting began. */
  private lastPeerMs: number;
  /** When any datagram from someone else last came (taken or dropped), or when counting began. */
  private lastDatagramMs: number;
  private readonly peers = new Map<NodeId, number>();
  private readonly evidence = new Map<AloneCause, AloneEvidence>();
  private readonly lastLineMs = new Map<AloneCause, number>();
  /** The words of the causes current at the last check. */
  private readonly latest = new Map<AloneCause, AloneDiagnosis>();

  constructor(options: AloneWatchOptions, nowMs: number) {
    this.options = options;
    this.lastPeerMs = nowMs;
    this.lastDatagramMs = nowMs;
  }

  /** Silence counts from now: at start, and on resuming from a pause. */
  restart(nowMs: number): void {
    this.lastPeerMs = nowMs;
    this.lastDatagramMs = nowMs;
    this.evidence.clear();
    this.latest.clear();
  }

  /** A datagram of peer `from` was taken. */
  heard(from: NodeId, nowMs: number): void {
    this.lastPeerMs = nowMs;
    this.lastDatagramMs = nowMs;
    this.peers.set(from, nowMs);
  }

  /** A datagram from someone else was dropped, for `reason`. */
  dropped(reason: DropReason, detail: string, from: NodeId | null, source: string | null, foreign: ForeignConfig | null, nowMs: number): void {
    this.lastDatagramMs = nowMs;
    const cause = aloneCauseOf(reason);
    if (cause === null) return;
    let entry = this.evidence.get(cause);
    if (entry === undefined) {
      entry = { count: 0, lastMs: nowMs, sources: [], from, reason, detail, foreign };
      this.evidence.set(cause, entry);
    }
    entry.count++;
    entry.lastMs = nowMs;
    entry.from = from;
    entry.reason = reason;
    entry.detail = detail;
    entry.foreign = foreign;
    if (source !== null && entry.sources[0] !== source) {
      entry.sources = [source, ...entry.sources.filter((s) => s !== source)].slice(0, MAX_SOURCES);
    }
  }

  /** Finds the current causes, words them, and reports those whose last line is `intervalMs` old. */
  check(nowMs: number): void {
    const silentForMs = nowMs - this.lastPeerMs;
    for (const [id, heardMs] of this.peers) if (nowMs - heardMs >= this.options.silenceMs) this.peers.delete(id);
    for (const cause of Object.values(AloneCause)) {
      const evidence = this.currentEvidence(cause, nowMs);
      if (evidence === undefined) {
        this.latest.delete(cause);
        continue;
      }
      const words = this.options.describe(cause, evidence, silentForMs);
      const diagnosis: AloneDiagnosis = { cause, ...words, sources: evidence?.sources ?? [], from: evidence?.from ?? null };
      this.latest.set(cause, diagnosis);
      if (nowMs - (this.lastLineMs.get(cause) ?? -Infinity) < this.options.intervalMs) continue;
      this.lastLineMs.set(cause, nowMs);
      const dropped = evidence?.count ?? 0;
      if (evidence !== null) evidence.count = 0;
      this.options.report({ ...diagnosis, dropped, peersHeard: this.peers.size, silentForMs: this.peers.size > 0 ? 0 : Math.round(silentForMs) });
    }
  }

  /** The causes found current at the last check that still are. */
  current(nowMs: number): AloneDiagnosis[] {
    return [...this.latest.values()].filter((d) => this.currentEvidence(d.cause, nowMs) !== undefined);
  }

  /** The evidence of a current cause (null: no-datagram, which has none); undefined: not current. */
  private currentEvidence(cause: AloneCause, nowMs: number): AloneEvidence | null | undefined {
    if (cause === AloneCause.NoDatagram) {
      return this.options.expectsPeers && nowMs - this.lastDatagramMs >= this.options.silenceMs ? null : undefined;
    }
    const evidence = this.evidence.get(cause);
    return evidence !== undefined && nowMs - evidence.lastMs < this.options.silenceMs ? evidence : undefined;
  }
}
