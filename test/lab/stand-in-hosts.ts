/** Lab hosts without a network: their nodes report what the test says, and every call is recorded. */
import type { ChildProcess } from 'node:child_process';
import type { LabHosts } from '../../src/lab/demo-lab.ts';
import type { NodeEvent } from '../../src/contract/events.ts';

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
  say(id: number, role: string, leader: number | null, event = 'leader', quorum = { have: 3, need: 2 }): void {
    this.onEvent(id, { ts: Date.now(), event, id, role: role as NodeEvent['role'], term: 1, leader, quorum });
  }
}
