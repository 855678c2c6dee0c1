/**
 * What Electron does to its main process that plain Node does not, per platform, for the
 * stand-ins that run the real desktop app:
 *
 *   win32   `process.stdin` is a stream that has already ended: electron/electron
 *           lib/common/init.ts, `if (process.platform === 'win32') { const stdin = new Readable();
 *           stdin.push(null); Object.defineProperty(process, 'stdin', { configurable: false,
 *           enumerable: true, get() { return stdin; } }) }`. Done before the main script runs.
 *   posix   After the main script has run, SIGINT, SIGTERM and SIGHUP get Electron's handler
 *           (shell/browser/electron_browser_main_parts_posix.cc, InstallShutdownSignalHandlers):
 *           the handlers the script installed through `process.on` no longer fire; the first
 *           signal resets itself to its default action and calls Browser::Quit, i.e. app.quit().
 *           Modelled here with Node's own machinery: the script's listeners are taken off (as
 *           Electron's sigaction replaces libuv's), and a one-shot listener quits; once it has
 *           removed itself and nothing else listens, Node restores the default action, so the
 *           next signal kills the process as it would kill Electron — unless the app listens again.
 */
import { Readable } from 'node:stream';

export const STAND_IN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Electron's win32 stdin, installed the way init.ts installs it. */
export function endStdinAsElectronDoesOnWindows(): void {
  const stdin = new Readable();
  stdin.push(null);
  Object.defineProperty(process, 'stdin', { configurable: false, enumerable: true, get: () => stdin });
}

/** Electron's POSIX signal handling, installed after the main script ran; `quit` is app.quit(). */
export function handleSignalsAsElectronDoesOnPosix(quit: () => void, log: (line: string) => void): void {
  for (const signal of STAND_IN_SIGNALS) {
    process.removeAllListeners(signal);
    const oneShot = (): void => {
      process.off(signal, oneShot);
      log(`stand-in: Electron got ${signal}: app.quit()`);
      quit();
    };
    process.on(signal, oneShot);
  }
}
