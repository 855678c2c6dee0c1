/**
 * `conclave check FILE…`: the lab's verdict for the event logs of real machines (docs/check.md).
 * Reads the files, runs the pure check (src/check) and prints its report; the exit status is for
 * a CI: 0 clean, 1 a safety violation, 2 a bad flag or a file it cannot read.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkLogTexts, type LogText } from '../check/check-logs.ts';
import { ConclaveError, ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { isRecordingText, parseRecordingText } from '../check/recording-lines.ts';
import { formatRecordingReport } from '../check/recording-report.ts';
import { checkRecording, recordingViolations } from '../check/recording-verdict.ts';
import { formatReport } from '../check/report.ts';
import { DEFAULT_MAX_CLOCK_OFFSET_MS, violationCount } from '../check/verdict.ts';

export const CHECK_USAGE = `usage: conclave check <file…> [options]

Checks the event logs of a cluster's nodes (each node's \`conclave run --json\` output; a file may
hold several runs of a node, or several nodes; - reads standard input) and reports, with the
exact moments: two nodes acting as coordinator at once, terms that went back, votes given twice
in a term, time without a coordinator, and each failover and handover with its duration. A file
that \`conclave watch --record\` wrote (an observer's recording, told apart by its lines) is checked
on its own: two nodes heard leading one term, or at once for more than a member beat.

  --max-clock-offset-ms <ms>  how far apart the machines' clocks may be (default ${DEFAULT_MAX_CLOCK_OFFSET_MS}, for a
                              LAN with NTP): an overlap no longer than this is reported as within
                              the clock allowance, not as a violation
  --help                      this text

Exit status: 0 no violation, 1 a safety violation, 2 a bad flag or a file it cannot read.`;

/** Why the check could not run: a bad flag (`usage`, with the help hint) or a file. */
export class CheckError extends ConclaveError {
  override readonly name = 'CheckError';
  readonly code = ConclaveErrorCode.Check;
  readonly usage: boolean;
  constructor(message: string, usage: boolean, options?: ErrorOptions) {
    super(message, options);
    this.usage = usage;
  }
}

const FLAGS = {
  'max-clock-offset-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Largest clock allowance: a minute apart is not a synchronised lab, and would hide any overlap. */
const MAX_ALLOWANCE_MS = 60_000;

/** Runs the check; returns what to print and the exit status. Throws CheckError. */
export function runCheck(args: string[], readText: (path: string) => string = readLog): { output: string; code: 0 | 1 } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CheckError((error as Error).message, true);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { output: CHECK_USAGE, code: 0 };
  const maxClockOffsetMs = allowance(values['max-clock-offset-ms']);
  if (positionals.length === 0) throw new CheckError('no log files given', true);
  const files: LogText[] = positionals.map((path) => ({ name: path === '-' ? '(stdin)' : path, text: readText(path) }));
  const recordings = files.filter((file) => isRecordingText(file.text));
  const logs = files.filter((file) => !recordings.includes(file));
  const reports: { output: string; violations: number }[] = [];
  try {
    // Each recording alone: it is one observer's view on its own clock; two observers' lines are not one story.
    for (const file of recordings) {
      const verdict = checkRecording(parseRecordingText(file.text, file.name), file.name);
      if (verdict.lines > 0) reports.push({ output: formatRecordingReport(verdict), violations: recordingViolations(verdict) });
    }
    const verdict = logs.length === 0 ? null : checkLogTexts(logs, { maxClockOffsetMs });
    if (verdict !== null && verdict.lines > 0) reports.unshift({ output: formatReport(verdict), violations: violationCount(verdict) });
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.LogRead)) throw new CheckError(error.message, false, { cause: error });
    throw error;
  }
  if (reports.length === 0) throw new CheckError(`no event lines in ${positionals.join(', ')}`, false);
  return { output: reports.map((report) => report.output).join('\n\n'), code: reports.some((report) => report.violations > 0) ? 1 : 0 };
}

function allowance(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_CLOCK_OFFSET_MS;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms > MAX_ALLOWANCE_MS) throw new CheckError(`--max-clock-offset-ms must be an integer from 0 to ${MAX_ALLOWANCE_MS} (ms), not "${value}"`, true);
  return ms;
}

function readLog(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CheckError(`${path}: cannot read it (${code ?? message})`, false);
  }
  return decodeLog(bytes);
}

/**
 * UTF-8, or UTF-16 with its byte-order mark: Windows PowerShell 5.1 writes `conclave run --json >
 * pc-01.jsonl` as UTF-16LE, and a log from such a machine must read as well as any other.
 */
export function decodeLog(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
