#!/usr/bin/env node
/** The `conclave` command. */
import { readFileSync } from 'node:fs';
import { takeLaunchChannel, watchQuitCommands } from '../desktop/launch-channel.ts';
import { eventPrinter } from '../session/output.ts';
import { startSession, type Session } from '../session/session.ts';
import { RUN_USAGE, parseRunFlags, type RunSettings } from '../session/run-command.ts';
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import type { CheckError } from './check-command.ts';
import { clusterFileLine } from '../session/cluster-file-flags.ts';
import { startupFailure, usageFailure, type StartupFailure } from '../session/startup-failure.ts';

const USAGE = `usage: conclave <command> [options]

commands:
  run        run a node (conclave run --help)
  init       write a cluster file and a key for a lab of machines (conclave init --help)
  watch      watch a cluster from any machine of its LAN, sending nothing (conclave watch --help)
  check      check the nodes' event logs (or a watch recording): two coordinators at once, terms gone back, double votes (conclave check --help)

Leader election for a LAN: Bully on node ID, guarded by a Raft-style quorum.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function exitWith(failure: StartupFailure): never {
  process.stderr.write(`conclave: ${failure.message}\n`);
  process.exit(failure.code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === '--version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  if (command === 'init') return init(rest);
  if (command === 'watch') return (await import('../watch/watch-command.ts')).runWatch(rest);
  if (command === 'check') return check(rest);
  if (command !== 'run') exitWith({ code: 2, message: `unknown command "${command}"\n(see 'conclave --help')` });
  let settings: RunSettings | null;
  try {
    settings = parseRunFlags(rest, process.env);
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Usage)) exitWith(usageFailure(error));
    throw error;
  }
  if (settings === null) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return;
  }
  await run(settings);
}

/** `conclave init`: loaded only for it, so that a node's start does not pay for it. */
async function init(args: string[]): Promise<void> {
  const { INIT_USAGE, runInit } = await import('./init-command.ts');
  try {
    process.stdout.write(`${runInit(args) ?? INIT_USAGE}\n`);
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Init)) exitWith({ code: 2, message: `init: ${error.message}\n(see 'conclave init --help')` });
    throw error;
  }
}

/** `conclave check`: loaded only for it. Exit 0 clean, 1 a safety violation, 2 a bad flag or file. */
async function check(args: string[]): Promise<void> {
  const { runCheck } = await import('./check-command.ts');
  try {
    const { output, code } = runCheck(args);
    process.stdout.write(`${output}\n`);
    process.exitCode = code;
  } catch (error) {
    if (isConclaveError(error, ConclaveErrorCode.Check)) exitWith({ code: 2, message: `check: ${error.message}${(error as CheckError).usage ? "\n(see 'conclave check --help')" : ''}` });
    throw error;
  }
}

async function run(settings: RunSettings): Promise<void> {
  // A reader that went away (a closed pipe) must not take the node down without resigning.
  process.stdout.on('error', () => {});
  // Under `npm start` (the headless fallback) a stop request comes as a line on stdin.
  const launched = takeLaunchChannel(process.env);
  const print = eventPrinter(settings.json, process.stdout, process.stderr);
  if (settings.clusterFile !== null) process.stderr.write(`conclave: ${clusterFileLine(settings.clusterFile)}\n`);
  if (settings.keyWarning !== null) process.stderr.write(`conclave: warning: ${settings.keyWarning}\n`);

  let session: Session;
  try {
    // The demotion hook (if it was leading) runs before the exit: a new coordinator may take over.
    session = await startSession(settings, print, () => process.exit(1));
  } catch (error) {
    const failure = startupFailure(error, settings);
    if (failure === null) throw error;
    exitWith(failure);
  }

  let stoppingSinceMs: number | null = null;
  const stop = (signal: string): void => {
    if (stoppingSinceMs !== null) {
      // Ctrl-C under `npm start` arrives twice at once (the terminal's and the forwarded one):
      // only a deliberate second signal cuts the graceful stop short.
      if (performance.now() - stoppingSinceMs < REPEAT_SIGNAL_GRACE_MS) return;
      process.stderr.write(`conclave: ${signal} again, exiting at once\n`);
      process.exit(1);
    }
    stoppingSinceMs = performance.now();
    session.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`conclave: stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  if (launched) watchQuitCommands(process.stdin, () => stop('quit'));
}

/** A second stop signal sooner than this after the first is the same request, delivered twice. */
const REPEAT_SIGNAL_GRACE_MS = 1000;

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`conclave: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
