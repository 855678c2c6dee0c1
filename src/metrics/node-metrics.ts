/** The instruments a node updates as it runs, whether it serves them or not. */
import type { NodeStatus, PeerStatus } from '../core/index.ts';
import type { DropReason } from '../wire/wire.ts';

interface Count {
  inc(value?: number): void;
}
interface CountBy<Label extends string> {
  inc(labels: Record<Label, string>, value?: number): void;
}
interface Observations {
  observe(value: number): void;
}

/** The instruments a node updates as it runs. */
export interface NodeMetrics {
  readonly leaderChanges: Count;
  readonly sent: CountBy<'kind'>;
  readonly received: CountBy<'kind'>;
  readonly bytesSent: Count;
  readonly bytesReceived: Count;
  readonly socketErrors: CountBy<'code'>;
  readonly sendErrors: CountBy<'code'>;
  readonly electionSeconds: Observations;
  readonly leaderlessSeconds: Observations;
  countDrop(reason: DropReason): void;
}

/**
 * What the gauges read from a node's status at each scrape. `peers` is absent on a backend
 * without peers of its own (ZooKeeper): every peer state then counts 0.
 */
export type MetricsStatus = Pick<NodeStatus, 'role' | 'term' | 'leader' | 'leaseRemainingMs'> & {
  /** Voters counted and needed; a ZooKeeper node counts its session, 1 of 1 while connected. */
  quorum: { have: number; need: number };
} & { peers?: readonly Pick<PeerStatus, 'state'>[] };
