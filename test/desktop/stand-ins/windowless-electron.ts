/**
 * A stand-in for Electron that runs the real desktop app (runDesktopApp, as electron/main.ts
 * does) with the tests' shell, which opens no window and behaves as Electron's app where the app
 * depends on it; only its exit really ends this process, scheduled as Electron's does. So the
 * launcher is tested against the app's real reports, exits and quitting. Its first argument is
 * the main script the launcher names, as Electron's would be.
 *
 * STAND_IN_ELECTRON_PLATFORM says which Electron it is (./electron-platform.ts): `linux`
 * (default) or `darwin`, with Electron's signal handling; `win32`, with Electron's ended stdin.
 */
import type { Session } from '../../../src/session/session.ts';
import { runDesktopApp, thisProcess } from '../../../src/desktop/desktop-app.ts';
import { TestShell } from '../desktop-app-shell.ts';
import { endStdinAsElectronDoesOnWindows, handleSignalsAsElectronDoesOnPosix } from './electron-platform.ts';

const LIFETIME_MS = 60_000; // a failed test leaves nothing running for long
setTimeout(() => process.exit(3), LIFETIME_MS).unref();

class WindowlessShell extends TestShell {
  override appDataDir(): string {
    return process.env.STAND_IN_APP_DATA ?? '/nonexistent';
  }
  override setIdentity(name: string, userDataDir: string): void {
    super.setIdentity(name, userDataDir);
    process.stdout.write(`stand-in: ${name} in ${userDataDir}\n`);
  }
  override openWindow(session: Session): void {
    super.openWindow(session);
    process.stdout.write('stand-in: window open\n');
  }
  override exit(code: number): void {
    super.exit(code);
    setImmediate(() => process.exit(code));
  }
}

const platform = (process.env.STAND_IN_ELECTRON_PLATFORM ?? 'linux') as NodeJS.Platform;
if (platform === 'win32') endStdinAsElectronDoesOnWindows();
const shell = new WindowlessShell(platform);
void runDesktopApp(shell, thisProcess(process.argv.slice(3)));
// Electron installs its signal handlers after the main script, before the app is ready.
if (platform !== 'win32') handleSignalsAsElectronDoesOnPosix(() => shell.quit(), (line) => process.stderr.write(`${line}\n`));
