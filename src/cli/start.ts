#!/usr/bin/env node
/**
 * `npm start -- <flags of conclave run>`: the desktop app where Electron can run, otherwise the
 * same node headless with its dashboard served to a browser. `--headless` asks for the latter.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin/conclave.js');
const ELECTRON_MAIN = join(ROOT, 'dist/electron/main.js');
/** Electron downloads its binary on first use; a closed network should not hold the start up long. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** The Electron binary to run, or why there is none. */
function findElectron(env: NodeJS.ProcessEnv): { binary: string } | { why: string } {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { why: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'Electron is not installed (npm install electron)' };
  }
  const installed = (): string | null => {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : null;
  };
  const present = installed();
  if (present !== null) return { binary: present };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { why: "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)" };
  process.stderr.write('conclave: downloading Electron (once)...\n');
  const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  const downloaded = installed();
  if (downloaded !== null) return { binary: downloaded };
  const reason = download.error?.message ?? download.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? `exit ${download.status}`;
  return { why: `Electron's binary is not installed and could not be downloaded (${reason.trim().slice(0, 200)})` };
}

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
    const electron = findElectron(process.env);
    if ('binary' in electron) return run(electron.binary, [ELECTRON_MAIN, ...flags]);
    process.stderr.write(`conclave: ${electron.why}.\nconclave: running headless; the dashboard URL follows.\n`);
  }
  // Headless, the dashboard is the browser's: on a free port unless one is given.
  const dashboard = flags.some((f) => f === '--dashboard-port' || f.startsWith('--dashboard-port=')) ? [] : ['--dashboard-port', '0'];
  run(process.execPath, [CLI, 'run', ...flags, ...dashboard]);
}

main(process.argv.slice(2));
