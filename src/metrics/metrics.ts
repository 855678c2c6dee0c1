/**
 * What a node counts about itself, and where: Prometheus metrics when the node serves them
 * (`metricsPort`), otherwise nothing at all. prom-client is imported only in the first case.
 */
import type { Server } from 'node:http';
import type { MetricsStatus, NodeMetrics } from './node-metrics.ts';

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
  sendErrors: UNCOUNTED,
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
  status: () => MetricsStatus,
  endpoint: { port: number; host: string } | null,
): Promise<ServedMetrics> {
  if (endpoint === null) return { metrics: UNCOUNTED_METRICS, served: null };
  const { PrometheusMetrics } = await import('./prometheus-metrics.ts');
  const metrics = new PrometheusMetrics(labels, status);
  return { metrics, served: await metrics.serve(endpoint.port, endpoint.host) };
}
