/**
 * Reading an observer's recording (`conclave watch --record FILE`, src/contract/watch-record.ts)
 * for the check: a record line has `node` and no `event`, which tells a recording from a node's
 * log. As with logs, a line that lacks a field the check reads stops the check (exit 2).
 */
import type { WatchRecordLine } from '../contract/watch-record.ts';
import { LogReadError, clip, hasType, jsonLines, type FieldType, type SourceRef } from './log-lines.ts';

export type RecordedLine = WatchRecordLine & { at: SourceRef };

const FIELDS_READ: Record<string, FieldType> = {
  ts: 'number', node: 'number', role: 'string', term: 'number', leader: 'number|null', intervalMs: 'number', silent: 'boolean', lastHeardTs: 'number',
};

/** Whether a file's text is a recording: its first line is a record line, not an event line. */
export function isRecordingText(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return false;
  try {
    const value = JSON.parse(first) as unknown;
    return typeof value === 'object' && value !== null && 'node' in value && !('event' in value);
  } catch {
    return false;
  }
}

/** A recording's lines; blank lines are skipped. Throws LogReadError. */
export function parseRecordingText(text: string, file: string): RecordedLine[] {
  return jsonLines(text, file, 'the file began as an observer\'s recording').map(({ value, at }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LogReadError(at, 'not a record line: a JSON object was expected');
    const record = value as Record<string, unknown>;
    for (const [name, type] of Object.entries(FIELDS_READ)) {
      if (!hasType(record[name], type)) throw new LogReadError(at, `a record line needs "${name}" (${type}), found ${record[name] === undefined ? 'none' : clip(JSON.stringify(record[name]))}`);
    }
    return { ...(record as unknown as WatchRecordLine), at };
  });
}
