/**
 * What a node counts about itself, and where: Prometheus metrics when the node serves them
 * (`metricsPort`), otherwise nothing at all. prom-client is imported only in the first case.
 */
import type { Server } from 'node:http';
import type { NodeStatus } from '../core/index.ts';
import type { DropReason } from '../wire/wire.ts';

/** The metrics endpoint could not listen: the port is taken, or the host is not this machine's. */
export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';
  /** The system's error code: EADDRINUSE, EADDRNOTAVAIL, EACCES, ENOTFOUND, … */
  readonly code: string | undefined;
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(`metrics endpoint ${host}:${port}: ${cause.message}`);
    this.code = cause.code;
    this.host = host;
    this.port = port;
  }
}

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
  readonly electionSeconds: Observations;
  readonly leaderlessSeconds: Observations;
  countDrop(reason: DropReason): void;
}

/** A node's metrics and, when it serves them, the endpoint's server. */
export interface ServedMetrics {
  metrics: NodeMetrics;
  served: { server: Server; port: number } | null;
}

const UNCOUNTED = { inc() {}, observe() {} };

/** The instruments of a node that serves no metrics: each update costs one empty call. */
export const UNCOUNTED_METRICS: NodeMetrics = {
  leaderChanges: UNCOUNTED,
  sent: UNCOUNTED,
  received: UNCOUNTED,
  bytesSent: UNCOUNTED,
  bytesReceived: UNCOUNTED,
  socketErrors: UNCOUNTED,
  electionSeconds: UNCOUNTED,
  leaderlessSeconds: UNCOUNTED,
  countDrop() {},
};

/**
 * The node's metrics, served on `endpoint` when given (throws MetricsListenError if it cannot
 * listen there), else uncounted.
 */
export async function startMetrics(
  labels: { id: number; cluster: string },
  status: () => NodeStatus,
  endpoint: { port: number; host: string } | null,
): Promise<ServedMetrics> {
  if (endpoint === null) return { metrics: UNCOUNTED_METRICS, served: null };
  const { PrometheusMetrics } = await import('./prometheus-metrics.ts');
  const metrics = new PrometheusMetrics(labels, status);
  return { metrics, served: await metrics.serve(endpoint.port, endpoint.host) };
}
