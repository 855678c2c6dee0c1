#!/usr/bin/env node
/**
 * `npm start -- <flags of conclave run>`: the desktop app where Electron can run, otherwise the
 * same node headless with its dashboard served to a browser. `--headless` asks for the latter.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/conclave.js');
const ELECTRON_MAIN = join(ROOT, 'dist/electron/main.js');

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit' });
  // The child also gets a terminal's Ctrl-C itself; it treats the forwarded copy as the same one.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`conclave: cannot run ${command}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 1 : constants.signals[signal])));
}

function main(argv: string[]): void {
  const headless = argv.includes('--headless');
  const flags = argv.filter((arg) => arg !== '--headless');
  const wantsHelp = flags.includes('--help') || flags.includes('-h');
  if (wantsHelp) return run(process.execPath, [CLI, 'run', '--help']);
  if (!headless) {
    const electron = findElectron(process.env, { download: true });
    if ('binary' in electron) return run(electron.binary, [ELECTRON_MAIN, ...flags]);
    process.stderr.write(`conclave: ${electron.why}.\nconclave: running headless; the dashboard URL follows.\n`);
  }
  // Headless, the dashboard is the browser's: on a free port unless one is given.
  const dashboard = flags.some((f) => f === '--dashboard-port' || f.startsWith('--dashboard-port=')) ? [] : ['--dashboard-port', '0'];
  run(process.execPath, [CLI, 'run', ...flags, ...dashboard]);
}

main(process.argv.slice(2));
