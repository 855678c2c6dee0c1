/** Lab hosts without a network: their nodes report what the test says, and every call is recorded. */
import type { ChildProcess } from 'node:child_process';
import type { LabHosts } from '../../src/lab/demo-lab.ts';
import { eventLine } from '../../src/contract/event-line.ts';
import type { DetailsOf, NodeEvent } from '../../src/contract/events.ts';

/** The kinds a test has a node say, each with plausible fields. */
type Said = 'leader' | 'elected' | 'demoted' | 'peer-joined' | 'peer-dead';
const SAID_FIELDS: { [K in Said]: DetailsOf<K> } = {
  leader: { previous: null },
  elected: { cause: 'failover', votedBy: [] },
  demoted: { reason: 'lease-expired', leaseTerm: 1, leaseEndedAt: 1_700_000_000_000 },
  'peer-joined': { peer: 1 },
  'peer-dead': { peer: 1 },
};

export class StandInHosts implements LabHosts {
  readonly nodes: Array<{ id: number; ip: string; process: ChildProcess | null }>;
  onEvent: (id: number, event: NodeEvent) => void = () => {};
  onExit: (id: number, code: number | null, signal: NodeJS.Signals | null) => void = () => {};
  readonly calls: string[] = [];
  constructor(size: number) {
    this.nodes = Array.from({ length: size }, (_, i) => ({ id: i + 1, ip: `10.0.0.${i + 1}`, process: null }));
  }
  start(id: number, flags: string[] = []): void {
    this.calls.push(`start ${id}${flags.length === 0 ? '' : ` ${flags.join(' ')}`}`);
  }
  async signal(id: number, signal: NodeJS.Signals): Promise<number | null> {
    this.calls.push(`${signal} ${id}`);
    this.onExit(id, null, signal);
    return null;
  }
  unplug(id: number): void {
    this.calls.push(`unplug ${id}`);
  }
  replug(id: number): void {
    this.calls.push(`replug ${id}`);
  }
  partition(groups: number[][]): void {
    this.calls.push(`partition ${JSON.stringify(groups)}`);
  }
  loss(percent: number): void {
    this.calls.push(`loss ${percent}`);
  }
  heal(): void {
    this.calls.push('heal');
  }
  destroy(): void {
    this.calls.push('destroy');
  }
  say(id: number, role: NodeEvent['role'], leader: number | null, event: Said = 'leader', quorum = { have: 3, need: 2 }): void {
    this.onEvent(id, eventLine({ id, role, term: 1, leader, quorum }, event, SAID_FIELDS[event]));
  }
}
