/**
 * Reading a node's event lines (docs/events.md) for the log check: each line is kept with where it
 * came from, and checked for the fields the check reads; a line that lacks one stops the check
 * with its file and line (exit 2), rather than a verdict built on a guess. Fields and kinds the
 * check does not read are left alone, as the schema's compatibility rule asks of a reader.
 */
import type { NodeEvent } from '../contract/events.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

/** Where a line came from: a file (or a lab node's name) and its 1-based line number. */
export interface SourceRef {
  file: string;
  line: number;
}

/** One event line and where it came from. */
export type LogLine = NodeEvent & { at: SourceRef };

export class LogReadError extends ConclaveError {
  override readonly name = 'LogReadError';
  readonly code = ConclaveErrorCode.LogRead;
  readonly at: SourceRef;
  constructor(at: SourceRef, reason: string) {
    super(`${at.file}:${at.line}: ${reason}`);
    this.at = at;
  }
}

export type FieldType = 'number' | 'string' | 'boolean' | 'number|null' | 'number?';

const HEADER: Record<string, FieldType> = { ts: 'number', event: 'string', id: 'number', role: 'string', term: 'number', leader: 'number|null' };

/** The fields the check reads, per kind, beyond the header. */
const FIELDS_READ: Record<string, Record<string, FieldType>> = {
  started: { persistedTerm: 'number?' },
  demoted: { leaseEndedAt: 'number?' },
  stalled: { leaseLost: 'boolean', leaseEndedAt: 'number|null' },
  vote: { candidate: 'number', forTerm: 'number', preVote: 'boolean', granted: 'boolean' },
};

/** The lines of one file's text; blank lines are skipped. Throws LogReadError. */
export function parseLogText(text: string, file: string): LogLine[] {
  return jsonLines(text, file, 'was the node run with --json?').map(({ value, at }) => checkedLine(value, at));
}

/** Each non-blank line of a JSON-lines text, parsed, with where it came from. Throws LogReadError, `hint` saying why a line may not be JSON. */
export function jsonLines(text: string, file: string, hint: string): { value: unknown; at: SourceRef }[] {
  const lines: { value: unknown; at: SourceRef }[] = [];
  text.split('\n').forEach((raw, index) => {
    const at = { file, line: index + 1 };
    const trimmed = raw.trim();
    if (trimmed === '') return;
    try {
      lines.push({ value: JSON.parse(trimmed), at });
    } catch {
      throw new LogReadError(at, `not a JSON line (${hint}): ${clip(trimmed)}`);
    }
  });
  return lines;
}

/** Lines already parsed (a lab's, a simulation's), named `file`, checked the same way. */
export function logLinesOf(events: readonly unknown[], file: string): LogLine[] {
  return events.map((event, index) => checkedLine(event, { file, line: index + 1 }));
}

function checkedLine(value: unknown, at: SourceRef): LogLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LogReadError(at, 'not an event line: a JSON object was expected');
  const record = value as Record<string, unknown>;
  expectFields(record, HEADER, at);
  expectFields(record, FIELDS_READ[record.event as string] ?? {}, at);
  // The fields the check reads are checked above; the rest of a kind's fields are not read.
  return { ...(record as unknown as NodeEvent), at };
}

function expectFields(record: Record<string, unknown>, fields: Record<string, FieldType>, at: SourceRef): void {
  for (const [name, type] of Object.entries(fields)) {
    const field = record[name];
    if (!hasType(field, type)) {
      const what = record.event === undefined || name in HEADER ? 'an event line' : `a "${String(record.event)}" line`;
      throw new LogReadError(at, `${what} needs "${name}" (${type.replace('?', ' or absent')}), found ${field === undefined ? 'none' : clip(JSON.stringify(field))}`);
    }
  }
}

export function hasType(field: unknown, type: FieldType): boolean {
  return type === 'number|null' ? field === null || Number.isFinite(field)
    : type === 'number?' ? field === undefined || Number.isFinite(field)
    : type === 'number' ? Number.isFinite(field)
    : typeof field === type;
}

export function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
