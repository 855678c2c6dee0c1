/**
 * The lab in a desktop window: `npm run demo` opens this where Electron is installed. A viewer
 * only: the lab and its nodes run in the demo's process; this window shows the lab page it
 * serves on loopback, sandboxed, with no preload and no way to any other page. The run's action
 * token comes in the environment (CONCLAVE_LAB_TOKEN) and goes to the page in the URL's fragment.
 *
 *   CONCLAVE_LAB_TOKEN=… electron dist/electron/lab-main.js --url http://127.0.0.1:7780/
 */
import { app, BrowserWindow } from 'electron';
import { reportLine, takeLaunchChannel } from 'conclave/launch-channel';
import { HARDENED_WEB_PREFERENCES, hardenApp, hardenSession } from './security.ts';
import { labOrigin, labToken } from './lab-url.ts';

/** A lab in a user namespace may not serve yet when the window opens: it tries again, this long. */
const LOAD_ATTEMPTS = 20;
const LOAD_RETRY_MS = 500;

// The lab says the window is open only once it reads this report, and explains Electron's death otherwise.
const launched = takeLaunchChannel(process.env);

async function main(origin: string): Promise<void> {
  const allowed = (url: string | undefined): boolean => {
    try {
      return url !== undefined && new URL(url).origin === origin;
    } catch {
      return false;
    }
  };
  hardenApp(allowed);
  const token = labToken(process.env);
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
  // A node's dashboard (a link on its card, same origin): in a window of its own, as hardened.
  window.webContents.setWindowOpenHandler(({ url }) =>
    allowed(url) && /^\/nodes\/\d+\/$/.test(new URL(url).pathname)
      ? { action: 'allow', overrideBrowserWindowOptions: { width: 1360, height: 900, webPreferences: HARDENED_WEB_PREFERENCES } }
      : { action: 'deny' },
  );
  app.on('window-all-closed', () => app.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  const url = `${origin}/${token === null ? '' : `#token=${token}`}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await window.loadURL(url);
      if (launched) process.stderr.write(reportLine({ type: 'started' }));
      return;
    } catch (error) {
      if (attempt >= LOAD_ATTEMPTS || window.isDestroyed()) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_MS));
    }
  }
}

const origin = labOrigin(process.argv.slice(app.isPackaged ? 1 : 2));
// Electron's exit only schedules the exit and returns: nothing may run after it.
if (origin === null) {
  process.stderr.write('conclave lab: --url must be the lab page on loopback, as npm run demo prints it (http://127.0.0.1:<port>/)\n');
  app.exit(2);
} else {
  main(origin).catch((error: unknown) => {
    process.stderr.write(`conclave lab: cannot show the lab page: ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
  });
}
