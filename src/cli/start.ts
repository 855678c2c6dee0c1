#!/usr/bin/env node
/**
 * `npm start -- <flags of conclave run>`: the desktop app where Electron can run, otherwise the
 * same node headless with its dashboard served to a browser (src/desktop/launcher.ts).
 */
import { launch } from '../desktop/launcher.ts';

// A closed terminal or pipe must not take the launcher down while its child stops.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

function exit(status: number): void {
  // The child has ended and its status is the answer: a stop request arriving now must not
  // replace it with death by signal.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
  // Once what was written is out: a grandchild may hold a stream open that would keep us alive.
  process.stderr.write('', () => process.exit(status));
}

launch({ argv: process.argv.slice(2), env: process.env }).then(exit, (error: unknown) => {
  process.stderr.write(`conclave: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(1);
});
