/**
 * A stand-in for Electron that runs the real desktop app (runDesktopApp, as electron/main.ts
 * does) with a shell that opens no window: everything but the window is the app's own code, so
 * the launcher is tested against the app's real reports, exits and quitting. Its first argument
 * is the main script the launcher names, as Electron's would be.
 */
import { EventEmitter } from 'node:events';
import { runDesktopApp, type DesktopShell } from '../../../src/desktop/desktop-app.ts';

const LIFETIME_MS = 60_000; // a failed test leaves nothing running for long
setTimeout(() => process.exit(3), LIFETIME_MS).unref();

const events = new EventEmitter();
let exiting = false;
const shell: DesktopShell = {
  platform: process.platform,
  appDataDir: () => process.env.STAND_IN_APP_DATA ?? '/nonexistent',
  setIdentity: (name, dir) => process.stdout.write(`stand-in: ${name} in ${dir}\n`),
  whenReady: () => Promise.resolve(),
  openWindow: () => process.stdout.write('stand-in: window open\n'),
  // As Electron's app.exit: scheduled, not at once.
  exit(code) {
    exiting = true;
    setImmediate(() => process.exit(code));
  },
  quit() {
    if (exiting) return;
    let prevented = false;
    events.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) shell.exit(0);
  },
  onBeforeQuit: (listener) => events.on('before-quit', listener),
  onWindowAllClosed: (listener) => events.on('window-all-closed', listener),
  onPower: (event, listener) => events.on(event, listener),
  preventAppSuspension: () => () => {},
};

void runDesktopApp(shell, {
  args: process.argv.slice(3),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  on: (event: string, listener: (...args: any[]) => void) => process.on(event, listener),
});
