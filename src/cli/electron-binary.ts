/**
 * Finds Electron's binary for `npm start` and `npm run demo`, or says why there is none: no
 * display, Electron not installed, or its binary not downloaded (it is fetched on first use, and
 * CI machines cannot reach the host it comes from).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Electron downloads its binary on first use; a closed network should not hold the start up long. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

export type ElectronBinary = { binary: string } | { why: string };

/** `download`: fetch the binary if it is missing (npm start does; the demo does not wait for it). */
export function findElectron(env: NodeJS.ProcessEnv, options: { download: boolean }): ElectronBinary {
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
  if (!options.download) return { why: "Electron's binary is not installed yet (npm start downloads it)" };
  process.stderr.write('conclave: downloading Electron (once)...\n');
  const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  const downloaded = installed();
  if (downloaded !== null) return { binary: downloaded };
  const reason = download.error?.message ?? download.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? `exit ${download.status}`;
  return { why: `Electron's binary is not installed and could not be downloaded (${reason.trim().slice(0, 200)})` };
}
