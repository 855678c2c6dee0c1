/**
 * `conclave watch --replay FILE [--speed N]`: the page of a recording (docs/watch.md, "Replaying a
 * recording"). It opens no socket: it joins nothing and sends nothing, and needs no cluster flags.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { parseRecordingText } from '../check/recording-lines.ts';
import { UsageError, integer } from '../session/run-command.ts';
import { Replay } from './replay.ts';
import { WATCH_USAGE } from './watch-flags.ts';
import { startWatchServer } from './watch-server.ts';

export interface ReplaySettings {
  file: string;
  speed: number;
  page: { host: string; port: number };
}

const FLAGS = {
  replay: { type: 'string' },
  speed: { type: 'string' },
  'page-port': { type: 'string' },
  'page-host': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A hundred times: an hour's lesson in 36 s; faster would skip whole failovers between two pushes of the page. */
const MAX_SPEED = 100;

/** Throws UsageError naming the bad flag; null for --help. */
export function parseReplayFlags(args: string[]): ReplaySettings | null {
  let values;
  try {
    ({ values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (a replay takes only --replay, --speed, --page-port and --page-host)`);
  }
  if (values.help === true) return null;
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= MAX_SPEED)) throw new UsageError(`--speed must be a number above 0 and at most ${MAX_SPEED}, got "${values.speed}"`);
  return {
    file: values.replay!,
    speed,
    page: { host: values['page-host'] ?? '127.0.0.1', port: integer('--page-port', values['page-port'], 0, 65535) ?? 0 },
  };
}

/** Exits 2 on a bad flag or a file it cannot read, as `conclave watch` does. */
export async function runReplay(args: string[]): Promise<void> {
  const fail = (message: string, usage: boolean): never => {
    process.stderr.write(`conclave: watch: ${message}\n${usage ? "(see 'conclave watch --help')\n" : ''}`);
    process.exit(2);
  };
  let settings: ReplaySettings | null;
  let replay: Replay;
  try {
    settings = parseReplayFlags(args);
    if (settings === null) {
      process.stdout.write(`${WATCH_USAGE}\n`);
      return;
    }
    replay = new Replay(parseRecordingText(readFileSync(settings.file, 'utf8'), settings.file), settings.file, settings.speed);
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Usage)) return fail(error.message, true);
    if (isConclaveError(error, ConclaveErrorCode.LogRead)) return fail(`--replay ${error.message}`, false);
    return fail(`--replay ${(error as Error).message}`, false);
  }
  const say = (line: string): boolean => process.stderr.write(`conclave: watch: ${line}\n`);
  const server = await startWatchServer(replay, settings.page);
  say(`replaying ${settings.file} at ${settings.speed}×; no socket opened`);
  say(`page: ${server.url}`);
  replay.onEnd(() => say('the recording has ended; the page stays on its last state (Ctrl-C to stop)'));
  replay.start();
  const stop = (): void => {
    replay.stop();
    void server.close().then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}
