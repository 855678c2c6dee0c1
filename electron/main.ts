/**
 * The desktop app: a window over the same node runtime and the same Svelte bundle as
 * `conclave run --dashboard-port`. The node runs here, in the main process; the renderer is
 * sandboxed and talks to it through three IPC channels, each checked for its sender. The app's
 * life (flags, exits, crashes, suspend, quitting) is runDesktopApp's; this file maps Electron's
 * API onto it and draws the window.
 *
 *   electron dist/electron/main.js <the flags of conclave run>     (npm start does this)
 */
import { app, BrowserWindow, ipcMain, powerMonitor, powerSaveBlocker, protocol, type IpcMainInvokeEvent } from 'electron';
import { fileURLToPath } from 'node:url';
import {
  CONTENT_SECURITY_POLICY,
  CONTROL_ACTIONS,
  DEFAULT_UI_DIR,
  DashboardFeed,
  applyControl,
  readUiFile,
  runDesktopApp,
  thisProcess,
  type ControlAction,
  type DashboardMessage,
  type DesktopShell,
  type Session,
} from 'conclave/desktop';
import { APP_ORIGIN, APP_SCHEME, HARDENED_WEB_PREFERENCES, hardenApp, hardenSession, isAppUrl } from './security.ts';
import { windowTitle } from './window-title.ts';

const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));

// Before the app is ready: the app's scheme behaves like https (secure, standard origin).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
hardenApp();

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    const file = await readUiFile(DEFAULT_UI_DIR, url.pathname);
    if (!file.found) return new Response(file.error, { status: file.status });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY },
    });
  });
}

function openWindow(session: Session): BrowserWindow {
  const { node } = session;
  const feed = new DashboardFeed(node, { controls: { enabled: true, needsToken: false } });
  const window = new BrowserWindow({
    width: 1360,
    height: 900,
    title: windowTitle(node.status()),
    show: false,
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: PRELOAD },
  });
  window.once('ready-to-show', () => window.show());
  // The page keeps its own title out: the window's says who leads.
  window.on('page-title-updated', (event) => event.preventDefault());

  // The top frame of this window's app page only: never a subframe, never another window.
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents && event.senderFrame === window.webContents.mainFrame && isAppUrl(event.senderFrame?.url);
  ipcMain.handle('conclave:hello', (event) => {
    if (!trusted(event)) throw new Error('refused: not the app page');
    return feed.hello();
  });
  ipcMain.handle('conclave:control', (event, action: unknown) => {
    if (!trusted(event)) throw new Error('refused: not the app page');
    if (!(CONTROL_ACTIONS as readonly unknown[]).includes(action)) return { ok: false, error: 'no such control' };
    return applyControl(node, action as ControlAction);
  });

  let title = '';
  const unsubscribe = feed.subscribe((message: DashboardMessage) => {
    if (window.isDestroyed()) return;
    window.webContents.send('conclave:message', message);
    if (message.type === 'status') {
      const next = windowTitle(message.status);
      if (next !== title) window.setTitle((title = next));
    }
  });
  window.on('closed', () => {
    unsubscribe();
    feed.close();
    ipcMain.removeHandler('conclave:hello');
    ipcMain.removeHandler('conclave:control');
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

function preventable(event: unknown): { preventDefault(): void } {
  const candidate = event as { preventDefault?: unknown } | null;
  return typeof candidate?.preventDefault === 'function' ? (candidate as { preventDefault(): void }) : { preventDefault() {} };
}

const shell: DesktopShell = {
  platform: process.platform,
  appDataDir: () => app.getPath('appData'),
  setIdentity(name, userDataDir) {
    // Not "Electron": the menus say "Quit Conclave", and each node ID has its own profile.
    app.setName(name);
    app.setPath('userData', userDataDir);
  },
  whenReady: () => app.whenReady(),
  openWindow(session) {
    hardenSession();
    serveAppProtocol();
    openWindow(session);
  },
  exit: (code) => app.exit(code),
  quit: () => app.quit(),
  onBeforeQuit: (listener) => app.on('before-quit', listener),
  onWindowAllClosed: (listener) => app.on('window-all-closed', listener),
  onPower(event, listener) {
    // `shutdown` passes an Event that can put the shutdown off; electron.d.ts leaves it out.
    const forward = (...args: unknown[]): void => listener(preventable(args[0]));
    if (event === 'shutdown') powerMonitor.on('shutdown', forward);
    else if (event === 'suspend') powerMonitor.on('suspend', forward);
    else powerMonitor.on('resume', forward);
  },
  preventAppSuspension() {
    const id = powerSaveBlocker.start('prevent-app-suspension');
    return () => powerSaveBlocker.stop(id);
  },
};

// A closed pipe (`npm start | head`) must not take the node down mid-election.
process.stdout.on('error', () => {});
// `electron main.js --id 3 …`; a packaged app has no script argument.
void runDesktopApp(shell, thisProcess(process.argv.slice(app.isPackaged ? 1 : 2)));
