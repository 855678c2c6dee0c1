/**
 * The metrics of a node that serves them: prom-client's registry, loaded only then (it costs
 * tens of milliseconds at start-up, times every node of a cluster starting at once).
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PeerState, Role } from '../core/index.ts';
import { DROP_REASONS, type DropReason } from '../wire/wire.ts';
import type { MetricsStatus, NodeMetrics } from './node-metrics.ts';
import { MetricsListenError } from './listen-error.ts';

/** One registry per node, so that several nodes in one process do not mix their numbers. */
export class PrometheusMetrics implements NodeMetrics {
  readonly registry = new Registry();
  readonly leaderChanges: Counter;
  readonly sent: Counter<'kind'>;
  readonly received: Counter<'kind'>;
  readonly dropped: Counter<'reason'>;
  readonly bytesSent: Counter;
  readonly bytesReceived: Counter;
  readonly socketErrors: Counter<'code'>;
  readonly sendErrors: Counter<'code'>;
  readonly electionSeconds: Histogram;
  readonly leaderlessSeconds: Histogram;

  constructor(labels: { id: number; cluster: string }, status: () => MetricsStatus) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: String(labels.id), cluster: labels.cluster });
    new Gauge({
      name: 'conclave_role',
      help: 'The role of this node (1 for the current one)',
      labelNames: ['role'],
      registers,
      collect() {
        const { role } = status();
        for (const r of Object.values(Role)) this.set({ role: r }, r === role ? 1 : 0);
      },
    });
    new Gauge({ name: 'conclave_term', help: 'Current term (the fencing token space)', registers, collect() { this.set(status().term); } });
    new Gauge({
      name: 'conclave_leader',
      help: 'ID of the coordinator known to hold a valid lease, 0 if none',
      registers,
      collect() { this.set(status().leader ?? 0); },
    });
    new Gauge({
      name: 'conclave_has_lease',
      help: '1 while this node is the coordinator with a valid lease',
      registers,
      collect() { this.set(status().leaseRemainingMs === null ? 0 : 1); },
    });
    new Gauge({
      name: 'conclave_quorum',
      help: 'Voters counted toward a quorum (have) and the quorum size (need)',
      labelNames: ['kind'],
      registers,
      collect() {
        const { quorum } = status();
        this.set({ kind: 'have' }, quorum.have);
        this.set({ kind: 'need' }, quorum.need);
      },
    });
    new Gauge({
      name: 'conclave_peers',
      help: 'Peers by state',
      labelNames: ['state'],
      registers,
      collect() {
        const peers = status().peers ?? [];
        for (const state of Object.values(PeerState)) this.set({ state }, peers.filter((p) => p.state === state).length);
      },
    });
    this.leaderChanges = new Counter({ name: 'conclave_leader_changes_total', help: 'Changes of the known coordinator', registers });
    this.sent = new Counter({ name: 'conclave_datagrams_sent_total', help: 'Datagrams sent, by message kind', labelNames: ['kind'], registers });
    this.received = new Counter({ name: 'conclave_datagrams_received_total', help: 'Datagrams accepted, by message kind', labelNames: ['kind'], registers });
    this.dropped = new Counter({ name: 'conclave_datagrams_dropped_total', help: 'Datagrams dropped, by reason', labelNames: ['reason'], registers });
    for (const reason of DROP_REASONS) this.dropped.inc({ reason }, 0);
    this.bytesSent = new Counter({ name: 'conclave_bytes_sent_total', help: 'UDP payload bytes sent', registers });
    this.bytesReceived = new Counter({ name: 'conclave_bytes_received_total', help: 'UDP payload bytes received', registers });
    this.sendErrors = new Counter({ name: 'conclave_send_errors_total', help: 'Datagrams the kernel refused to send, by error code (ENOBUFS: its queue was full)', labelNames: ['code'], registers });
    this.socketErrors = new Counter({ name: 'conclave_socket_errors_total', help: 'Errors the UDP sockets reported by themselves, by error code', labelNames: ['code'], registers });
    const buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10];
    this.electionSeconds = new Histogram({
      name: 'conclave_election_duration_seconds',
      help: "From this node's first pre-vote to its lease, for the elections it won",
      buckets,
      registers,
    });
    this.leaderlessSeconds = new Histogram({
      name: 'conclave_leaderless_seconds',
      help: 'Periods during which this node knew no coordinator with a valid lease',
      buckets,
      registers,
    });
  }

  countDrop(reason: DropReason): void {
    this.dropped.inc({ reason });
  }

  /** Serves GET /metrics; resolves with the port once listening. */
  async serve(port: number, host: string): Promise<{ server: Server; port: number }> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new MetricsListenError(host, port, error)));
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return { server, port: typeof address === 'object' && address !== null ? address.port : port };
  }
}
