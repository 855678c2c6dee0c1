/**
 * A page served on loopback, shown to the person who asked for it: in an Electron window where
 * its binary is installed (dist/electron/lab-main.js, a sandboxed viewer of one origin), otherwise
 * in the default browser where there is a display. `npm run demo` shows its lab page this way,
 * `conclave watch --window` (and `npm start -- --watch`) the observer's.
 */
import { spawn } from 'node:child_process';
import { findElectron } from './electron-binary.ts';
import { explainElectronExit, explainSpawnFailure, troubleLine } from './electron-exit.ts';
import { LAUNCH_CHANNEL_VARIABLE, parseReportLine } from './launch-channel.ts';
import { readLines, waitForExit } from './child-end.ts';

const PAGE_WINDOW = new URL('../electron/lab-main.js', import.meta.url).pathname;
/** The same name as electron/lab-url.ts reads: a page's action token, never on a command line. */
const PAGE_TOKEN_VARIABLE = 'CONCLAVE_LAB_TOKEN';
/** What the window said before it died: its last lines explain it. */
const WINDOW_LINES_KEPT = 200;

export interface ShownPage {
  close: () => void;
  /** What the person sees happen, for one line of output. */
  how: string;
}

/**
 * Shows the page at `url` (with its action token in the fragment, if it has one). `who` starts
 * the lines said about it ("demo", "watch"); `say` prints one.
 */
export function openPage(url: string, token: string | null, who: string, say: (line: string) => void): ShownPage {
  const electron = findElectron(process.env, { download: false });
  if ('binary' in electron) return openWindow(electron.binary, url, token, who, say);
  const browser = openInBrowser(url, token);
  return { close: () => {}, how: browser.opened ? `the page opens in your browser (no Electron window: ${electron.why})` : browser.how };
}

/** `url` with the token in its fragment, where a browser's page reads it. */
function withToken(url: string, token: string | null): string {
  return token === null ? url : `${url}#token=${token}`;
}

/**
 * The window. Electron may die at once (root, its sandbox, no display): it counts as open only
 * once it reports the page loaded on the launch channel, and if it exits before that one line says
 * why and the page goes to a browser. Nobody waits for it meanwhile.
 */
function openWindow(binary: string, url: string, token: string | null, who: string, say: (line: string) => void): ShownPage {
  const window = spawn(binary, [PAGE_WINDOW, '--url', url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...(token === null ? {} : { [PAGE_TOKEN_VARIABLE]: token }), [LAUNCH_CHANNEL_VARIABLE]: '1' },
  });
  let started = false;
  let closing = false;
  // Chromium's words before the report: only ever shown as the one line that explains a failure.
  const said: string[] = [];
  const read = readLines(window.stderr, (line) => {
    if (parseReportLine(line)?.type === 'started') {
      if (!started && !closing) say(`${who}: the page is open in an Electron window`);
      started = true;
    } else if (!started) {
      said.push(line);
      if (said.length > WINDOW_LINES_KEPT) said.shift();
    }
  });
  void waitForExit(window, read).then(({ code, signal, spawnError }) => {
    if (started || closing) return;
    // No --no-sandbox to offer: no switches are passed to Electron here.
    const exit = { code, signal, stderr: said.join('\n'), platform: process.platform, uid: process.getuid?.(), binary, script: 'dist/electron/lab-main.js' };
    const trouble = spawnError !== null ? explainSpawnFailure(binary, spawnError) : explainElectronExit(exit);
    const address = withToken(url, token);
    const browser = openInBrowser(url, token);
    const instead = browser.opened ? `Opening the page in your browser instead (or open ${address} in one).` : `Open ${address} in a browser.`;
    say(troubleLine(who, trouble, instead).trimEnd());
  });
  return {
    close: () => {
      closing = true;
      if (window.exitCode === null && window.signalCode === null) window.kill('SIGTERM');
    },
    how: 'opening the page in an Electron window…',
  };
}

/** Asks the desktop's opener for the page, where there is one; else says what to do. */
function openInBrowser(url: string, token: string | null): { opened: true } | { opened: false; how: string } {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { opened: false, how: 'open that address in a browser' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { opened: false, how: 'no display here: open that address in a browser' };
  const opener = spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [withToken(url, token)], { stdio: 'ignore', detached: true });
  opener.on('error', () => {});
  opener.unref();
  return { opened: true };
}
