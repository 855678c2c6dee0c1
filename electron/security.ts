/**
 * Electron's security checklist, applied once for the whole app (docs/electron-security.md
 * lists each point and where it is met). The renderer gets the bundle's own files and nothing
 * else: no navigation, no new windows, no webviews, no permissions.
 */
import { app, session, type WebContents, type WebPreferences } from 'electron';

export const APP_SCHEME = 'conclave';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Every window's renderer: sandboxed, isolated, no Node, explicit where a default is safe too. */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies WebPreferences;

/** True for a frame that shows the app's own page (IPC senders are checked with it). */
export function isAppUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/** `allowed`: the only pages a window may show or load from (the app's own, by default). */
export function hardenApp(allowed: (url: string | undefined) => boolean = isAppUrl): void {
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!allowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Called when the app is ready: the default session grants nothing and loads nothing remote. */
export function hardenSession(allowed: (url: string | undefined) => boolean = isAppUrl): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Only the allowed pages (and devtools) may load; any other request is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !(allowed(details.url) || details.url.startsWith('devtools:')) });
  });
}
