/**
 * The promise both backends make to library users: a listener that throws does not stop the node.
 */
import assert from 'node:assert/strict';
import type { NodeEvent } from '../../src/contract/events.ts';

interface ListenedNode {
  on(event: 'event', listener: (line: NodeEvent) => void): unknown;
  on(event: 'elected', listener: () => void): unknown;
  hasLease(): boolean;
  resign(): void;
  stop(): Promise<void>;
}

/** Waits until `lines` holds `count` lines of `event`, for at most `ms`. */
export async function until(lines: NodeEvent[], event: string, count: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (lines.filter((line) => line.event === event).length < count) {
    if (Date.now() > deadline) throw new Error(`no ${count}× "${event}" within ${ms} ms: ${lines.map((l) => l.event).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A one-node cluster with a throwing `elected` listener: after `holdMs` it still leads (it kept
 * renewing), it wins again after resigning, a later listener still ran, and each throw was
 * reported as a `listener-error` line. Returns every line, and stops the node.
 */
export async function assertListenerIsolation(node: ListenedNode, holdMs: number): Promise<NodeEvent[]> {
  const lines: NodeEvent[] = [];
  node.on('event', (line) => lines.push(line));
  node.on('elected', () => {
    throw new Error('a listener failed');
  });
  let elections = 0;
  node.on('elected', () => elections++); // a listener after the one that throws still runs
  try {
    await until(lines, 'elected', 1);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    assert.ok(node.hasLease(), `the node kept its lease: ${lines.map((l) => l.event).join(', ')}`);
    node.resign();
    await until(lines, 'elected', 2);
    assert.equal(elections, 2);
    const errors = lines.filter((line) => line.event === 'listener-error');
    assert.deepEqual(errors.map((line) => [line.listenerOf, line.error]), [['elected', 'a listener failed'], ['elected', 'a listener failed']]);
  } finally {
    await node.stop();
  }
  return lines;
}
