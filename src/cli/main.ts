#!/usr/bin/env node
/** The `conclave` command. */
import { readFileSync } from 'node:fs';
import { InterfaceError } from '../net/interfaces.ts';
import { startNode, type ConclaveNode, type NodeEvent } from '../runtime/conclave-node.ts';
import { StateFileError } from '../runtime/state-file.ts';
import { HookRunner, type HookName } from './hooks.ts';
import { humanLine, jsonLine } from './output.ts';
import { RUN_USAGE, UsageError, asUsageError, parseRunFlags, type RunSettings } from './run-command.ts';

const USAGE = `usage: conclave <command> [options]

commands:
  run        run a node (conclave run --help)

Leader election for a LAN: Bully on node ID, guarded by a Raft-style quorum.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usageError(message: string, help: string): never {
  process.stderr.write(`conclave: ${message}\n(see '${help}')\n`);
  process.exit(2);
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
  if (command !== 'run') usageError(`unknown command "${command}"`, 'conclave --help');
  let settings: RunSettings | null;
  try {
    settings = parseRunFlags(rest, process.env);
  } catch (error) {
    if (error instanceof UsageError) usageError(error.message, 'conclave run --help');
    throw error;
  }
  if (settings === null) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return;
  }
  await run(settings);
}

async function run(settings: RunSettings): Promise<void> {
  // A reader that went away (a closed pipe) must not take the node down without resigning.
  process.stdout.on('error', () => {});
  const print = (event: NodeEvent): void => {
    process.stdout.write(`${settings.json ? jsonLine(event) : humanLine(event)}\n`);
  };
  if (settings.keyWarning !== null) process.stderr.write(`conclave: warning: ${settings.keyWarning}\n`);

  let node: ConclaveNode;
  try {
    node = await startNode(settings.node);
  } catch (error) {
    const usage = asUsageError(error);
    if (usage !== null) usageError(usage.message, 'conclave run --help');
    if (error instanceof InterfaceError && settings.node.interface !== undefined) usageError(`--interface: ${error.message}`, 'conclave run --help');
    if (error instanceof StateFileError || error instanceof InterfaceError) {
      process.stderr.write(`conclave: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const hooks = new HookRunner(settings.hookTimeoutMs, (result) => {
    const { hook, ...details } = result;
    const status = node.status();
    print({ ts: Date.now(), event: 'hook', id: status.id, role: status.role, term: status.term, leader: status.leader, quorum: status.quorum, hook, ...details });
  });
  const hook = (name: HookName, command: string | undefined, term: number, leader: number | null): void => {
    if (command === undefined) return;
    const env = { CONCLAVE_ID: String(node.options.id), CONCLAVE_LEADER: leader === null ? '' : String(leader), CONCLAVE_TERM: String(term) };
    hooks.run({ hook: name, command, term, env });
  };

  node.on('event', (event) => {
    print(event);
    if (event.event === 'warning' && settings.json) process.stderr.write(`conclave: warning: ${String(event.message)}\n`);
    if (event.event === 'fatal') {
      process.stderr.write(`conclave: cannot persist state (${String(event.error)}); stopping\n`);
      // The demotion hook (if it was leading) runs first: a new coordinator may take over.
      void hooks.idle().then(() => process.exit(1));
    }
  });
  node.on('elected', ({ term }) => hook('on-elected', settings.onElected, term, node.options.id));
  // Runs as soon as the lease is gone: other nodes wait out their promise before they can win.
  node.on('demoted', ({ term }) => hook('on-demoted', settings.onDemoted, term, null));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`conclave: ${signal} again, exiting at once\n`);
      process.exit(1);
    }
    stopping = true;
    void (async () => {
      await node.stop();
      await hooks.idle(); // a demotion hook started by the resignation finishes (bounded)
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`conclave: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
