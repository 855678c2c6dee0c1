import type { NodeEvent } from '../contract/events.ts';

/** --json: one JSON object per line. */
export function jsonLine(event: NodeEvent): string {
  return JSON.stringify(event);
}

const STATE_FIELDS = new Set(['ts', 'event', 'id', 'role', 'term', 'leader', 'quorum']);

/** Without --json: one readable line per event, the node's state first. */
export function humanLine(event: NodeEvent): string {
  const time = new Date(event.ts).toISOString().slice(11, 23);
  const state = `n${event.id} ${event.role} t${event.term} leader ${event.leader ?? '-'} quorum ${event.quorum.have}/${event.quorum.need}`;
  return `${time} [${state}] ${describe(event)}`;
}

function describe(e: NodeEvent): string {
  const d = e as Record<string, unknown>;
  switch (e.event) {
    case 'started':
      if (d.backend !== undefined) return `started, electing through ${d.backend} (session timeout asked: ${d.sessionTimeoutMs} ms)`;
      return `started on ${d.interface} (${d.address}), ${d.multicast === false ? 'no multicast' : `group ${d.group}:${d.port}`}, unicast port ${d.unicastPort}, ` +
        `${(d.seeds as string[] | undefined)?.length ? `seeds ${(d.seeds as string[]).join(',')}, ` : ''}` +
        `voters [${d.voters}], data in ${d.dataDir}, term ${d.persistedTerm}${d.authenticated ? ', authenticated' : ''}` +
        `${d.metricsPort === null ? '' : `, metrics on :${d.metricsPort}/metrics`}`;
    case 'warning':
      return `WARNING: ${d.message}`;
    case 'elected':
      if (d.token !== undefined) return `ELECTED coordinator with fencing token ${d.token} (${d.cause}; holds the ZooKeeper claim for ${d.znode})`;
      return `ELECTED coordinator of term ${e.term} (${d.cause}; votes from ${(d.votedBy as number[]).join(', ')})`;
    case 'demoted':
      return `DEMOTED: stops leading term ${d.leaseTerm} (${d.reason})`;
    case 'leader':
      return e.leader === null ? `no coordinator known (was ${d.previous ?? '-'})` : `coordinator is n${e.leader}`;
    case 'role':
      return `role ${d.previous} → ${e.role}`;
    case 'term':
      return `term ${d.previous} → ${e.term}`;
    case 'pre-vote':
    case 'election':
      return `${e.event === 'pre-vote' ? 'pre-vote' : 'asks for votes'} for term ${d.forTerm} (${d.cause})`;
    case 'vote':
      return `${d.preVote ? 'pre-vote' : 'vote'} for n${d.candidate} in term ${d.forTerm}: ${d.granted ? 'granted' : `refused (${d.reason})`}`;
    case 'challenge':
      return `challenges [${(d.to as number[]).join(', ')}]`;
    case 'dropped':
      return `dropped ${d.count} datagram(s): ${d.reason}${d.source ? ` from ${d.source}` : ''} (${d.total} so far; ${d.detail})`;
    case 'stalled':
      return `STALLED: frozen for ${d.durationMs} ms${d.leaseLost ? ', longer than its lease: stopped leading while frozen' : d.wasLeader ? '; the lease held' : ''}`;
    case 'alarm':
      return `ALARM ${d.alarm} ${d.raised ? 'raised' : 'cleared'}`;
    case 'dashboard':
      return d.controls ? `dashboard on ${d.url} (controls on: open ${d.openUrl})` : `dashboard on ${d.url}`;
    case 'paused':
      return 'PAUSED: not sending or receiving';
    case 'session':
      return `ZooKeeper session ${d.state}${d.sessionId ? ` (0x${d.sessionId}, timeout ${d.sessionTimeoutMs} ms)` : ''}`;
    case 'registered':
      return `candidate znode ${d.znode}`;
    case 'resumed':
      return 'resumed';
    case 'stopped':
      return 'stopped';
    case 'fatal':
      return `FATAL: ${d.error}`;
    case 'hook':
      return `hook ${d.hook} (term ${d.leaseTerm}) ${
        d.superseded ? `stopped after ${d.durationMs} ms: the lease ended` : d.timedOut ? `killed after ${d.durationMs} ms (timeout)` : d.error ? `failed: ${d.error}` : `exited ${d.exitCode ?? d.signal} after ${d.durationMs} ms`
      }`;
    default:
      if (e.event.startsWith('peer-')) return `peer n${d.peer} ${e.event.slice(5)}`;
      return `${e.event} ${JSON.stringify(Object.fromEntries(Object.entries(d).filter(([k]) => !STATE_FIELDS.has(k))))}`;
  }
}

/** Where printed lines go: process.stdout and process.stderr, or a test's own. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * How `conclave run` and the desktop app print a node's events: one line each on `out`; on `err`
 * what a person must see even when `out` is read by a program (--json).
 */
export function eventPrinter(json: boolean, out: TextSink, err: TextSink): (event: NodeEvent) => void {
  return (event) => {
    out.write(`${json ? jsonLine(event) : humanLine(event)}\n`);
    if (event.event === 'warning' && json) err.write(`conclave: warning: ${String(event.message)}\n`);
    if (event.event === 'fatal') err.write(`conclave: cannot persist state (${String(event.error)}); stopping\n`);
  };
}
