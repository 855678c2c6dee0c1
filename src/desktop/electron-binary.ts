/**
 * Finds Electron's binary for `npm start` and `npm run demo`, or says why there is none and what
 * would fix it: no display, Electron not installed, or its binary not downloaded (it is fetched
 * on first use, and CI machines cannot reach the host it comes from).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NO_DISPLAY_FIX, explainDownloadFailure, type ElectronTrouble } from './electron-exit.ts';

/** Electron downloads its binary on first use; a closed network should not hold the start up long. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * Electron's own variable (its index.js and install.js honour it): the directory of a binary
 * installed elsewhere, a system-wide Electron, or a test's stand-in.
 */
export const ELECTRON_DIST_VARIABLE = 'ELECTRON_OVERRIDE_DIST_PATH';

export type ElectronBinary = { binary: string } | ElectronTrouble;

/** The binary's path inside Electron's dist directory, as its install.js names it. */
function platformPath(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** `download`: fetch the binary if it is missing (npm start does; the demo does not wait for it). */
export function findElectron(env: NodeJS.ProcessEnv, options: { download: boolean }): ElectronBinary {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { why: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)', fix: NO_DISPLAY_FIX };
  }
  const override = env[ELECTRON_DIST_VARIABLE];
  if (override) {
    const binary = join(override, platformPath());
    if (existsSync(binary)) return { binary };
    return { why: `${ELECTRON_DIST_VARIABLE} is set, but there is no ${binary}`, fix: `point it at the directory that holds Electron's binary, or unset it` };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'Electron is not installed', fix: 'npm install (Electron is one of the dev dependencies)' };
  }
  const installed = (): string | null => {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : null;
  };
  const present = installed();
  if (present !== null) return { binary: present };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { why: "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set)", fix: 'unset ELECTRON_SKIP_BINARY_DOWNLOAD and run npm start, which downloads it' };
  }
  if (!options.download) return { why: "Electron's binary is not installed yet", fix: 'run npm start once: it downloads it' };
  process.stderr.write('conclave: downloading Electron (once)...\n');
  const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  const downloaded = installed();
  if (downloaded !== null) return { binary: downloaded };
  const reason = download.error?.message ?? download.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? `exit ${download.status}`;
  return explainDownloadFailure({ reason: reason.trim().slice(0, 200), nodeVersion: process.versions.node, requiredNode: requiredNode(packageDir), canRequireEsm: process.features.require_module === true });
}

/** The Node versions Electron's installer supports (its package.json engines), if it says. */
function requiredNode(packageDir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { engines?: { node?: unknown } };
    return typeof manifest.engines?.node === 'string' ? manifest.engines.node : null;
  } catch {
    return null;
  }
}
