import type { CoreEvent, Message, NodeId, Outgoing } from '../core/index.ts';
import { hostName, type HostKey } from './network.ts';

/** `node`: a host's key (./network.ts), 0 for the whole cluster. */
type Entry = { atMs: number; node: HostKey; item: Outgoing | CoreEvent | string };

/**
 * The last few hundred things that happened, kept cheaply and formatted only when a violation
 * needs to be explained.
 */
export class Trace {
  private readonly entries: Array<Entry | undefined>;
  private next = 0;
  private count = 0;

  constructor(capacity = 400) {
    this.entries = new Array(capacity);
  }

  record(atMs: number, node: HostKey, item: Outgoing | CoreEvent | string): void {
    this.entries[this.next] = { atMs, node, item };
    this.next = (this.next + 1) % this.entries.length;
    this.count++;
  }

  /** The retained entries, oldest first, one per line. */
  format(): string {
    const lines: string[] = [];
    if (this.count > this.entries.length) lines.push(`  … ${this.count - this.entries.length} earlier entries`);
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[(this.next + i) % this.entries.length];
      if (entry !== undefined) lines.push(formatEntry(entry));
    }
    return lines.join('\n');
  }
}

function formatEntry({ atMs, node, item }: Entry): string {
  // An impostor (./impostor.ts) is recorded under its key: n5' for n5's.
  const time = `${(atMs / 1000).toFixed(4).padStart(9)}s ${hostName(node)}`;
  if (typeof item === 'string') return `${time} ${item}`;
  if ('message' in item) return `${time} → ${item.to === 'all' ? 'all' : `n${item.to}`} ${describe(item.message)}`;
  return `${time} ! ${describeEvent(item)}`;
}

export function describe(m: Message): string {
  const t = `t${m.term}`;
  switch (m.type) {
    case 'heartbeat':
      return `heartbeat ${t} ${m.role}${m.round > 0 ? ` round ${m.round}` : ''} leader=${m.leader ?? '-'} hears=[${m.hears}]${m.canLead ? '' : ' cannot-lead'}`;
    case 'election':
      return `election ${t} (${m.cause})`;
    case 'answer':
      return `answer ${t} leader=${m.leader ?? '-'}`;
    case 'vote-request':
      return `${m.preVote ? 'pre-vote' : 'vote'}-request for t${m.voteTerm} ${t}${m.skip.length ? ` skip=[${m.skip}]` : ''}${m.resignedTerm ? ` resigned=t${m.resignedTerm}` : ''}`;
    case 'vote':
      return `${m.preVote ? 'pre-vote' : 'vote'} for t${m.voteTerm} ${m.granted ? 'GRANTED' : `rejected (${m.reason}${m.retryAfterMs ? ` retry ${m.retryAfterMs}ms` : ''}${m.prefer ? ` prefer n${m.prefer}` : ''})`}`;
    case 'coordinator':
      return `COORDINATOR ${t} round ${m.round} (${m.cause}) votes=[${m.votedBy}]`;
    case 'lease-ack':
      return `lease-ack ${t} round ${m.round}`;
    case 'resign':
      return `RESIGN ${t} (${m.reason})${m.successor ? ` successor n${m.successor}` : ''}`;
    case 'leave':
      return `leave ${t}`;
  }
}

export function describeEvent(e: CoreEvent): string {
  switch (e.type) {
    case 'role-changed':
      return `role ${e.previous} → ${e.role}`;
    case 'term-changed':
      return `term ${e.previous} → ${e.term}`;
    case 'leader-changed':
      return `leader ${e.previous ?? '-'} → ${e.leader ?? '-'} (t${e.term})`;
    case 'elected':
      return `ELECTED t${e.term} (${e.cause}) votes=[${e.votedBy}]`;
    case 'demoted':
      return `DEMOTED t${e.term} (${e.reason})`;
    case 'election-started':
      return `${e.preVote ? 'pre-vote' : 'election'} for t${e.term} (${e.cause})`;
    case 'challenge-sent':
      return `challenges [${e.to}]`;
    case 'vote-cast':
      return `${e.preVote ? 'pre-vote' : 'vote'} for n${e.candidate} t${e.term}: ${e.granted ? 'granted' : e.reason}`;
    case 'peer':
      return `peer n${e.peer} ${e.change}`;
    case 'alarm':
      return `alarm ${e.alarm} ${e.raised ? 'raised' : 'cleared'}`;
  }
}
