/**
 * From lines to each node's history: a process's lines are a run (a restart begins a new one with
 * its `started` line), and a node's runs, in time order, are its history. A file may hold one
 * node's runs, or lines of several nodes (they are told apart by `id`); one node's runs may be
 * spread over several files. Two runs of one ID whose times overlap are two processes at once (a
 * duplicate ID, or a copied data directory): each gets a history of its own, so that neither's
 * terms or votes are judged against the other's.
 */
import type { LogLine } from './log-lines.ts';

/** One process's lines. */
export interface NodeRun {
  id: number;
  lines: LogLine[];
  /** The term its `started` line read from disk, or null (no `started` line, or ZooKeeper's). */
  persistedTerm: number | null;
  /** When the process is known to have ended (a lab knows), or null: its log's last line is all we know. */
  endedAt: number | null;
  /**
   * Whether it elected through ZooKeeper (its `started` line names a backend, or it has session
   * lines): its `term` is then the last claim's zxid, 0 again once it holds none, so it may go down.
   */
  zookeeper: boolean;
}

/** A node's runs, one after the other, and the name the report gives it. */
export interface NodeHistory {
  id: number;
  /** `n3`; a second process with ID 3 running at the same time is `n3#2`. */
  label: string;
  runs: NodeRun[];
}

/** The runs of some lines (of one file, or one process): split by node ID, then at each `started`. */
export function splitRuns(lines: readonly LogLine[], endedAt: number | null = null): NodeRun[] {
  const current = new Map<number, NodeRun>();
  const runs: NodeRun[] = [];
  for (const line of lines) {
    let run = current.get(line.id);
    if (run === undefined || (line.event === 'started' && run.lines.length > 0)) {
      run = { id: line.id, lines: [], persistedTerm: null, endedAt: null, zookeeper: false };
      current.set(line.id, run);
      runs.push(run);
    }
    if (line.event === 'started' && 'persistedTerm' in line && typeof line.persistedTerm === 'number') run.persistedTerm = line.persistedTerm;
    if ((line.event === 'started' && 'backend' in line) || line.event === 'session' || line.event === 'registered') run.zookeeper = true;
    run.lines.push(line);
  }
  // Only the last run of each ID may still be going when a known end is given.
  for (const run of current.values()) run.endedAt = endedAt;
  return runs;
}

export const firstAt = (run: NodeRun): number => run.lines[0]!.ts;
export const lastAt = (run: NodeRun): number => run.lines.at(-1)!.ts;
/** When the run ended, as far as anyone can tell. */
export const endOf = (run: NodeRun): number => Math.max(run.endedAt ?? lastAt(run), lastAt(run));

/** The runs of all files, as each node's history; histories ordered by ID. */
export function nodeHistories(runs: readonly NodeRun[]): NodeHistory[] {
  const byId = new Map<number, NodeHistory[]>();
  for (const run of [...runs].sort((a, b) => firstAt(a) - firstAt(b) || a.lines[0]!.at.line - b.lines[0]!.at.line)) {
    const histories = byId.get(run.id) ?? [];
    byId.set(run.id, histories);
    const free = histories.find((history) => endOf(history.runs.at(-1)!) <= firstAt(run));
    if (free !== undefined) free.runs.push(run);
    else histories.push({ id: run.id, label: histories.length === 0 ? `n${run.id}` : `n${run.id}#${histories.length + 1}`, runs: [run] });
  }
  return [...byId.keys()].sort((a, b) => a - b).flatMap((id) => byId.get(id)!);
}

/** Every line of a history, in order. */
export function linesOf(history: NodeHistory): LogLine[] {
  return history.runs.flatMap((run) => run.lines);
}
