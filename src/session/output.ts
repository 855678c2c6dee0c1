import type { NodeEvent } from '../contract/events.ts';

/** --json: one JSON object per line. */
export function jsonLine(event: NodeEvent): string {
  return JSON.stringify(event);
}

/** Without --json: one readable line per event, the node's state first. */
export function humanLine(event: NodeEvent): string {
  const time = new Date(event.ts).toISOString().slice(11, 23);
  const state = `n${event.id} ${event.role} t${event.term} leader ${event.leader ?? '-'} quorum ${event.quorum.have}/${event.quorum.need}`;
  return `${time} [${state}] ${describe(event)}`;
}

/** The words for each kind; a kind added to the union fails to compile here until it has some. */
function describe(e: NodeEvent): string {
  switch (e.event) {
    case 'started':
      if ('backend' in e) return `started, electing through ${e.backend} (session timeout asked: ${e.sessionTimeoutMs} ms)`;
      return `started on ${e.interface} (${e.address}${e.interfaceChoice === undefined ? '' : `: ${e.interfaceChoice}`}), ` +
        `${e.multicast === false ? 'no multicast' : `group ${e.group}:${e.port}${e.multicastBind?.startsWith('wildcard') ? ` on 0.0.0.0, ${e.multicastBind}` : ''}`}, unicast port ${e.unicastPort}, ` +
        `${e.seeds.length ? `seeds ${e.seeds.join(',')}, ` : ''}` +
        `voters [${e.voters}], data in ${e.dataDir}, term ${e.persistedTerm}${e.authenticated ? ', authenticated' : ''}` +
        `${e.metricsPort === null ? '' : `, metrics on :${e.metricsPort}/metrics`}`;
    case 'warning':
      return `WARNING: ${e.message}`;
    case 'elected':
      if ('token' in e) return `ELECTED coordinator with fencing token ${e.token} (${e.cause}; holds the ZooKeeper claim for ${e.znode})`;
      return `ELECTED coordinator of term ${e.term} (${e.cause}; votes from ${e.votedBy.join(', ')})`;
    case 'demoted':
      return `DEMOTED: stops leading term ${e.leaseTerm} (${e.reason})`;
    case 'leader':
      return e.leader === null ? `no coordinator known (was ${e.previous ?? '-'})` : `coordinator is n${e.leader}`;
    case 'role':
      return `role ${e.previous} → ${e.role}`;
    case 'term':
      return `term ${e.previous} → ${e.term}`;
    case 'pre-vote':
    case 'election':
      return `${e.event === 'pre-vote' ? 'pre-vote' : 'asks for votes'} for term ${e.forTerm} (${e.cause})`;
    case 'vote':
      return `${e.preVote ? 'pre-vote' : 'vote'} for n${e.candidate} in term ${e.forTerm}: ${e.granted ? 'granted' : `refused (${e.reason})`}`;
    case 'challenge':
      return `challenges [${e.to.join(', ')}]`;
    case 'dropped':
      return `dropped ${e.count} datagram(s): ${e.reason}${e.source ? ` from ${e.source}` : ''} (${e.total} so far; ${e.detail})`;
    case 'send-failed':
      return `could not send ${e.count} datagram(s): ${e.code}${e.target === null ? ' (counted by the kernel)' : ` to ${e.target}`} (${e.total} so far; ${e.detail})${e.congestion ? '; holding back probes and repairs' : ''}`;
    case 'alone':
      return `ALONE (${e.cause}): ${e.diagnosis}. Fix: ${e.fix}`;
    case 'stalled':
      return `STALLED: frozen for ${e.durationMs} ms${e.leaseLost ? ', longer than its lease: stopped leading while frozen' : e.wasLeader ? '; the lease held' : ''}`;
    case 'alarm':
      return `ALARM ${e.alarm} ${e.raised ? 'raised' : 'cleared'}`;
    case 'dashboard':
      return e.controls ? `dashboard on ${e.url} (controls on: open ${e.openUrl})` : `dashboard on ${e.url}`;
    case 'paused':
      return 'PAUSED: not sending or receiving';
    case 'session':
      return `ZooKeeper session ${e.state}${e.sessionId ? ` (0x${e.sessionId}, timeout ${e.sessionTimeoutMs} ms)` : ''}`;
    case 'registered':
      return `candidate znode ${e.znode}`;
    case 'resumed':
      return 'resumed';
    case 'stopped':
      return 'stopped';
    case 'fatal':
      return `FATAL: ${e.error}`;
    case 'hook':
      return `hook ${e.hook} (term ${e.leaseTerm}) ${
        e.superseded ? `stopped after ${e.durationMs} ms: the lease ended` : e.timedOut ? `killed after ${e.durationMs} ms (timeout)` : e.error ? `failed: ${e.error}` : `exited ${e.exitCode ?? e.signal} after ${e.durationMs} ms`
      }`;
    case 'peer-joined':
    case 'peer-restarted':
    case 'peer-suspected':
    case 'peer-recovered':
    case 'peer-dead':
    case 'peer-left':
      return `peer n${e.peer} ${e.event.slice('peer-'.length)}`;
    case 'listener-error':
      return withFields(e);
    default: {
      const unhandled: never = e;
      // A line from a newer node read by an older program: its name and fields.
      return withFields(unhandled);
    }
  }
}

const HEADER_FIELDS: ReadonlySet<string> = new Set(['ts', 'event', 'id', 'role', 'term', 'leader', 'quorum']);

/** The kind's name and its own fields as JSON. */
function withFields(e: NodeEvent): string {
  return `${e.event} ${JSON.stringify(Object.fromEntries(Object.entries(e).filter(([key]) => !HEADER_FIELDS.has(key))))}`;
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
    if (event.event === 'warning' && json) err.write(`conclave: warning: ${event.message}\n`);
    if (event.event === 'alone' && json) err.write(`conclave: alone (${event.cause}): ${event.diagnosis}. Fix: ${event.fix}\n`);
    if (event.event === 'fatal') err.write(`conclave: cannot persist state (${event.error}); stopping\n`);
  };
}
