/**
 * One plausible line of every kind, each backend's shape where they differ. The mapped type makes
 * this a compile-time list: a kind added to the union fails here until it has a sample.
 */
import { eventLine, type EventState } from '../../src/contract/event-line.ts';
import type { DetailsOf, EventKind, NodeEvent } from '../../src/contract/events.ts';

const STATE: EventState = { id: 3, role: 'leader', term: 7, leader: 3, quorum: { have: 3, need: 2 } };

/** The fields of each kind: a list, for the kinds whose shape depends on the backend. */
export const SAMPLE_FIELDS: { [K in EventKind]: DetailsOf<K>[] } = {
  started: [
    { interface: 'eth0', address: '10.0.0.3', group: '239.255.42.99', port: 42424, unicastPort: 42425, multicast: true, seeds: [], cluster: 'lab', voters: [1, 2, 3], dataDir: '/var/lib/conclave', persistedTerm: 6, authenticated: true, metricsPort: null, receiveBufferBytes: 8388608 },
    { backend: 'zookeeper://zk1:2181/conclave/lab?mode=bully', servers: ['zk1:2181'], path: '/conclave/lab', mode: 'bully', sessionTimeoutMs: 1000, cluster: 'lab', metricsPort: 9464 },
  ],
  stopped: [{}],
  warning: [{ message: 'no cluster key' }],
  fatal: [{ error: 'ENOSPC: no space left on device' }],
  paused: [{}],
  resumed: [{}],
  'listener-error': [{ listenerOf: 'elected', error: 'boom' }],
  alarm: [{ alarm: 'duplicate-id', raised: true }],
  stalled: [{ durationMs: 1987, wasLeader: true, leaseLost: true, leaseEndedAt: 1_700_000_000_000 }],
  dropped: [{ reason: 'bad-mac', count: 3, total: 12, from: 9, source: '10.0.0.9:42424', detail: 'wrong key?' }],
  'send-failed': [{ code: 'ENOBUFS', count: 40, total: 120, target: '10.0.0.7:7707', congestion: true, detail: 'send ENOBUFS 10.0.0.7:7707' }],
  alone: [
    { cause: 'no-datagram', diagnosis: 'no datagram from any other node for 10 s on eth0', fix: 'allow inbound UDP port 7707', sources: [], from: null, dropped: 0, peersHeard: 0, silentForMs: 10_000 },
    { cause: 'key-mismatch', diagnosis: 'datagrams from 10.0.0.9:7707 fail the MAC check', fix: 'copy one key file to every node', sources: ['10.0.0.9:7707'], from: null, dropped: 12, peersHeard: 2, silentForMs: 0 },
  ],
  role: [{ previous: 'candidate' }],
  term: [{ previous: 6 }],
  leader: [{ previous: null }],
  elected: [
    { cause: 'failover', votedBy: [1, 3] },
    { cause: 'cold-start', votedBy: [], token: 4294967302, znode: 'id-3-0000000002' },
  ],
  demoted: [
    { reason: 'lease-expired', leaseTerm: 7, leaseEndedAt: 1_700_000_000_000 },
    { reason: 'session-expired', leaseTerm: 4294967302, leaseEndedAt: 1_700_000_000_000 },
  ],
  'pre-vote': [{ forTerm: 8, cause: 'failover' }],
  election: [{ forTerm: 8, cause: 'failover' }],
  challenge: [{ to: [4, 5] }],
  vote: [{ candidate: 4, forTerm: 8, preVote: false, granted: false, reason: 'already-voted' }],
  'peer-joined': [{ peer: 2 }],
  'peer-restarted': [{ peer: 2 }],
  'peer-suspected': [{ peer: 2 }],
  'peer-recovered': [{ peer: 2 }],
  'peer-dead': [{ peer: 2 }],
  'peer-left': [{ peer: 2 }],
  session: [{ state: 'connected', sessionId: '0100008b0aa80002', sessionTimeoutMs: 4000 }],
  registered: [{ znode: 'id-3-0000000002' }],
  hook: [{ hook: 'on-elected', leaseTerm: 7, exitCode: 0, signal: null, durationMs: 12, timedOut: false, superseded: false, error: null }],
  dashboard: [
    { url: 'http://127.0.0.1:8080/', controls: false },
    { url: 'http://127.0.0.1:8080/', controls: true, token: 'abc', openUrl: 'http://127.0.0.1:8080/#token=abc' },
  ],
};

/** Every sample as a line. */
export function sampleLines(): NodeEvent[] {
  return (Object.keys(SAMPLE_FIELDS) as EventKind[]).flatMap((kind) => SAMPLE_FIELDS[kind].map((fields) => eventLine(STATE, kind, fields as DetailsOf<typeof kind>)));
}
