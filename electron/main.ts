/**
 * The desktop app: a window over the same node runtime and the same Svelte bundle as
 * `conclave run --dashboard-port`. The node runs here, in the main process; the renderer is
 * sandboxed and talks to it through three IPC channels, each checked for its sender.
 *
 *   electron dist/electron/main.js <the flags of conclave run>     (npm start does this)
 */
import { app, BrowserWindow, ipcMain, powerMonitor, protocol, type IpcMainInvokeEvent } from 'electron';
import { fileURLToPath } from 'node:url';
import {
  CONTENT_SECURITY_POLICY,
  CONTROL_ACTIONS,
  DEFAULT_UI_DIR,
  DashboardFeed,
  DashboardStartError,
  UsageError,
  applyControl,
  asUsageError,
  humanLine,
  jsonLine,
  parseRunFlags,
  readUiFile,
  startSession,
  RUN_USAGE,
  type ControlAction,
  type DashboardMessage,
  type NodeEvent,
  type RunSettings,
  type Session,
} from 'conclave/desktop';
import { APP_ORIGIN, APP_SCHEME, HARDENED_WEB_PREFERENCES, hardenApp, hardenSession, isAppUrl } from './security.ts';
import { windowTitle } from './window-title.ts';

const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));

// Before the app is ready: the app's scheme behaves like https (secure, standard origin).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
hardenApp();

function exitWith(code: number, message: string): never {
  process.stderr.write(`conclave: ${message}\n`);
  app.exit(code);
  process.exit(code);
}

function settingsFromArgs(): RunSettings {
  // `electron main.js --id 3 …`; a packaged app has no script argument.
  const args = process.argv.slice(app.isPackaged ? 1 : 2);
  try {
    const settings = parseRunFlags(args, process.env);
    if (settings === null) {
      process.stdout.write(`${RUN_USAGE}\n`);
      app.exit(0);
      process.exit(0);
    }
    return settings;
  } catch (error) {
    if (error instanceof UsageError) exitWith(2, `${error.message}\n(see 'conclave run --help')`);
    throw error;
  }
}

async function startNode(settings: RunSettings): Promise<Session> {
  const print = (event: NodeEvent): void => {
    process.stdout.write(`${settings.json ? jsonLine(event) : humanLine(event)}\n`);
  };
  try {
    return await startSession(settings, print, () => exitWith(1, 'cannot persist state; stopping'));
  } catch (error) {
    const usage = error instanceof UsageError ? error : asUsageError(error, settings.node);
    if (usage !== null) exitWith(2, `${usage.message}\n(see 'conclave run --help')`);
    if (error instanceof DashboardStartError) exitWith(1, error.message);
    exitWith(1, (error as Error).message);
  }
}

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

async function main(): Promise<void> {
  // A closed pipe (`npm start | head`) must not take the node down mid-election.
  process.stdout.on('error', () => {});
  const settings = settingsFromArgs();
  await app.whenReady();
  hardenSession();
  serveAppProtocol();
  const session = await startNode(settings);
  // A laptop lid closing: hand over before the network goes, not a timeout later.
  powerMonitor.on('suspend', () => session.node.resign('suspending'));
  openWindow(session);

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void session.stop().catch((error: unknown) => process.stderr.write(`conclave: stopping failed: ${(error as Error).message}\n`)).finally(() => {
      stopped = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  process.on('SIGINT', () => app.quit());
  process.on('SIGTERM', () => app.quit());
}

void main();
