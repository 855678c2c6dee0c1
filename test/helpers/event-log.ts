/**
 * Hand-made event logs for the log check's tests: a node's lines written as they would come from
 * `conclave run --json`, with times in ms after a fixed instant.
 */
export const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);

export interface LineState {
  term: number;
  role?: 'follower' | 'candidate' | 'leader';
  leader?: number | null;
}

/** One node's log, built line by line. */
export class EventLog {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly id: number;
  constructor(id: number) {
    this.id = id;
  }

  at(ms: number, event: string, state: LineState, fields: Record<string, unknown> = {}): this {
    const { term, role = 'follower', leader = null } = state;
    this.lines.push({ ts: T0 + ms, event, id: this.id, role, term, leader, quorum: { have: 3, need: 2 }, ...fields });
    return this;
  }

  started(ms: number, persistedTerm: number): this {
    return this.at(ms, 'started', { term: persistedTerm }, { persistedTerm, cluster: 'lab', voters: [1, 2, 3] });
  }

  elected(ms: number, term: number, cause = 'cold-start', votedBy: number[] = []): this {
    return this.at(ms, 'elected', { term, role: 'leader', leader: this.id }, { cause, votedBy });
  }

  demoted(ms: number, term: number, reason = 'lease-expired'): this {
    return this.at(ms, 'demoted', { term }, { reason, leaseTerm: term });
  }

  follows(ms: number, term: number, leader: number | null): this {
    return this.at(ms, 'leader', { term, leader }, { previous: null });
  }

  vote(ms: number, term: number, candidate: number, forTerm: number, granted = true, preVote = false): this {
    return this.at(ms, 'vote', { term }, { candidate, forTerm, preVote, granted, reason: granted ? null : 'already-voted' });
  }

  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
  }
}
