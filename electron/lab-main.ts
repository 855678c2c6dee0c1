/**
 * The lab in a desktop window: `npm run demo` opens this where Electron is installed. A viewer
 * only: the lab and its nodes run in the demo's process; this window shows the lab page it
 * serves on loopback, sandboxed, with no preload and no way to any other page.
 *
 *   electron dist/electron/lab-main.js --url http://127.0.0.1:7780/
 */
import { app, BrowserWindow } from 'electron';
import { HARDENED_WEB_PREFERENCES, hardenApp, hardenSession } from './security.ts';
import { labOrigin } from './lab-url.ts';

const origin = labOrigin(process.argv.slice(app.isPackaged ? 1 : 2));
if (origin === null) {
  process.stderr.write('conclave lab: --url must be the lab page on loopback, as npm run demo prints it (http://127.0.0.1:<port>/)\n');
  app.exit(2);
  process.exit(2);
}
const allowed = (url: string | undefined): boolean => {
  try {
    return url !== undefined && new URL(url).origin === origin;
  } catch {
    return false;
  }
};
hardenApp(allowed);

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession(allowed);
  const window = new BrowserWindow({
    width: 1440,
    height: 960,
    title: 'Conclave lab',
    show: false,
    webPreferences: HARDENED_WEB_PREFERENCES,
  });
  window.once('ready-to-show', () => window.show());
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  await window.loadURL(`${origin}/`);
}

void main();
