/** `conclave watch`: starts the observer, and prints, records or serves what it sees. */
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { Observer } from './observer.ts';
import { runReplay } from './replay-command.ts';
import { formatRecordLine } from './record-line.ts';
import { WATCH_USAGE, parseWatchFlags, type WatchSettings } from './watch-flags.ts';
import { startWatchServer } from './watch-server.ts';
import { openPage } from '../desktop/page-window.ts';

/** How often refused datagrams are reported on stderr, when their count changed. */
const REFUSALS_EVERY_MS = 10_000;

/** Exits 2 on a bad flag, as `conclave run` does. */
export async function runWatch(args: string[]): Promise<void> {
  if (args.some((arg) => arg === '--replay' || arg.startsWith('--replay='))) return runReplay(args);
  let settings: WatchSettings | null;
  try {
    settings = parseWatchFlags(args, process.env);
  } catch (error) {
    if (!isConclaveError(error, ConclaveErrorCode.Usage)) throw error;
    process.stderr.write(`conclave: watch: ${error.message}\n(see 'conclave watch --help')\n`);
    process.exit(2);
  }
  if (settings === null) {
    process.stdout.write(`${WATCH_USAGE}\n`);
    return;
  }
  const say = (line: string): boolean => process.stderr.write(`conclave: watch: ${line}\n`);
  process.stdout.on('error', () => {});
  if (settings.clusterFile !== null) say(`cluster file ${settings.clusterFile.file.path}`);
  if (settings.keyWarning !== null) say(`warning: ${settings.keyWarning}`);
  if (settings.keys === null) say('warning: no key: any datagram is believed (give the cluster\'s --key-file)');

  const record = settings.record === null ? null : openRecord(settings.record);
  const observer = await Observer.start(settings);
  say(`listening to ${observer.listening}, cluster "${settings.cluster}" of ${settings.config.voters.length} voters, config ${settings.configId.toString(16)}; sending nothing`);
  observer.onLine((line) => {
    const text = formatRecordLine(line);
    if (settings.json) process.stdout.write(text);
    if (record !== null) appendFileSync(record, text);
  });
  // Flags that differ from the nodes' leave the page empty and --json silent: say why, now and then.
  let refusedBefore = '';
  const refusals = setInterval(() => {
    const refused = Object.entries(observer.snapshot().drops).map(([reason, count]) => `${reason} ${count}`).join(', ');
    if (refused !== refusedBefore) say(`refused so far: ${refused} (config-mismatch: the cluster's flags or file differ; bad-mac, unknown-key: its key does)`);
    refusedBefore = refused;
  }, REFUSALS_EVERY_MS);
  refusals.unref();
  const server = settings.page === null ? null : await startWatchServer(observer, settings.page);
  if (server !== null) say(`page: ${server.url}`);
  const window = server !== null && settings.window ? openPage(server.url, null, 'conclave: watch', (line) => process.stderr.write(`${line}\n`)) : null;
  if (window !== null) say(window.how);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    clearInterval(refusals);
    window?.close();
    void Promise.all([observer.stop(), server?.close()]).then(() => {
      if (record !== null) closeSync(record);
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

function openRecord(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    process.stderr.write(`conclave: watch: --record ${path}: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
