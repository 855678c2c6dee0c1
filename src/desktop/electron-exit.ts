/**
 * Why Electron could not show the desktop app, and what the user can do about it, in words fit
 * for one line: `npm start` says it once, then runs the node headless. Chromium dies at start
 * for reasons of the machine (its sandbox, root, no display) and says so in a FATAL line among
 * others; that line is recognised loosely, since its source position and wording drift.
 */

/** How Electron ended before the node in it reported that it started. */
export interface ElectronExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** All it wrote on stderr meanwhile. */
  stderr: string;
  platform: NodeJS.Platform;
  /** process.getuid?.(): undefined where there are no uids (Windows). */
  uid: number | undefined;
  /** The binary that ran: its sandbox helper, chrome-sandbox, lies next to it. */
  binary?: string;
  /** The script it ran, as the user would name it from the project: to run it by hand. */
  script?: string;
  /** The command that runs it without Chromium's sandbox, where the user can ask for that. */
  noSandboxCommand?: string;
}

export interface ElectronTrouble {
  why: string;
  fix: string;
}

const DEFAULT_SANDBOX_HELPER = 'node_modules/electron/dist/chrome-sandbox';
const APPARMOR_DOC = 'https://chromium.googlesource.com/chromium/src/+/main/docs/security/apparmor-userns-restrictions.md';
const LAST_LINE_MAX_CHARS = 200;

export const NO_DISPLAY_FIX = 'start it from a desktop session, or set DISPLAY (X11) or WAYLAND_DISPLAY to a running display';

/** Chromium's own lines, recognised by their words, not their source positions. */
const PATTERNS = {
  root: /Running as root without --no-sandbox is not supported/,
  suidHelper: /SUID sandbox helper binary was found, but is not configured correctly/,
  suidHelperPath: /make sure that (.+?) is owned by root and has mode 4755/,
  noSandbox: /No usable sandbox/,
  noDisplay: /Missing X server or \$DISPLAY|The platform failed to initiali[sz]e|cannot open display|Failed to connect to Wayland display/i,
} as const;

/** Running without the sandbox, and what that costs, where it is offered at all. */
function noSandbox(exit: ElectronExit): string[] {
  if (exit.noSandboxCommand === undefined) return [];
  const rights = exit.uid === 0 ? "root's rights" : "your user's rights";
  return [
    `${exit.noSandboxCommand} (weaker: the renderer then runs without Chromium's sandbox; ` +
      `it shows only Conclave's own page, with context isolation and no Node, but a renderer exploit would get ${rights})`,
  ];
}

function either(fixes: string[]): string {
  return fixes.join(', or ');
}

/** A path as it can be pasted into a shell. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

function sandboxHelperPath(exit: ElectronExit): string {
  const named = PATTERNS.suidHelperPath.exec(exit.stderr)?.[1];
  if (named !== undefined) return named;
  if (exit.binary === undefined) return DEFAULT_SANDBOX_HELPER;
  const slash = exit.binary.lastIndexOf('/');
  return slash < 0 ? DEFAULT_SANDBOX_HELPER : `${exit.binary.slice(0, slash)}/chrome-sandbox`;
}

function chownFix(helper: string): string {
  const path = shellWord(helper);
  return `sudo chown root:root ${path} && sudo chmod 4755 ${path}`;
}

function lastLine(stderr: string): string | null {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(-1);
  if (line === undefined) return null;
  return line.length > LAST_LINE_MAX_CHARS ? `${line.slice(0, LAST_LINE_MAX_CHARS - 1)}…` : line;
}

function howItEnded(exit: ElectronExit): string {
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return `exited with status ${exit.code ?? 'unknown'}`;
}

export function explainElectronExit(exit: ElectronExit): ElectronTrouble {
  // These are Chromium's Linux start-up failures; elsewhere the words would be a coincidence.
  const linuxLike = exit.platform !== 'win32' && exit.platform !== 'darwin';
  if (linuxLike && PATTERNS.root.test(exit.stderr)) {
    return {
      why: 'Electron refuses to run as root with its sandbox on',
      fix: either(['run it as a normal user', ...noSandbox(exit)]),
    };
  }
  if (linuxLike && PATTERNS.suidHelper.test(exit.stderr)) {
    const helper = sandboxHelperPath(exit);
    return {
      why: `Chromium's sandbox helper ${helper} is not owned by root with mode 4755, and Electron will not run unsandboxed`,
      fix: either([chownFix(helper), ...noSandbox(exit)]),
    };
  }
  if (linuxLike && PATTERNS.noSandbox.test(exit.stderr)) {
    const helper = sandboxHelperPath(exit);
    return {
      why: "Chromium found no usable sandbox (on Ubuntu 23.10 and later, AppArmor forbids the unprivileged user namespaces it uses)",
      fix: either([chownFix(helper), `an AppArmor profile that allows user namespaces to Electron's binary (${APPARMOR_DOC})`, ...noSandbox(exit)]),
    };
  }
  if (linuxLike && PATTERNS.noDisplay.test(exit.stderr)) {
    return { why: 'Electron found no display to open its window on', fix: NO_DISPLAY_FIX };
  }
  const said = lastLine(exit.stderr);
  const binary = exit.binary === undefined ? 'npx electron' : shellWord(exit.binary);
  return {
    why: `Electron ${howItEnded(exit)} before the node started${said === null ? ', saying nothing' : `: ${said}`}`,
    fix: `run it by hand to see all it says: ${binary} ${exit.script ?? 'dist/electron/main.js'} <the same flags>`,
  };
}

/** Electron's binary was found but could not be started at all. */
export function explainSpawnFailure(binary: string, error: NodeJS.ErrnoException): ElectronTrouble {
  const why = `cannot run ${binary}: ${error.code ?? error.message}`;
  if (error.code === 'EACCES') return { why, fix: `make it executable: chmod +x ${shellWord(binary)}` };
  return { why, fix: 'reinstall Electron: rm -rf node_modules/electron && npm install' };
}

/** The binary is missing and its installer failed; `reason`: the installer's own words. */
export function explainDownloadFailure(failure: { reason: string; nodeVersion: string; requiredNode: string | null; canRequireEsm: boolean }): ElectronTrouble {
  const { reason, nodeVersion, requiredNode, canRequireEsm } = failure;
  const elsewhere = "or point ELECTRON_OVERRIDE_DIST_PATH at the directory of an installed Electron's binary";
  const minimum = requiredNode === null ? null : versionIn(requiredNode);
  const wanted = minimum === null ? '22.12' : minimum.join('.');
  // Its installer loads @electron/get, an ES module, with require(): Node does that from 20.19 and 22.12 on.
  if (!canRequireEsm) {
    return {
      why: `Electron's binary is not installed, and its installer cannot run on Node ${nodeVersion}, which cannot require() an ES module (${reason})`,
      fix: `run npm start once with Node ${wanted} or newer, which downloads it, ${elsewhere}`,
    };
  }
  // Below the Node Electron declares, the installer may still work: the network is the likelier cause.
  const declared = minimum !== null && !atLeast(versionIn(nodeVersion) ?? [0, 0, 0], minimum) ? `; Electron declares Node ${wanted} or newer, this is ${nodeVersion}` : '';
  return {
    why: `Electron's binary is not installed and could not be downloaded (${reason}${declared})`,
    fix: `let this machine reach github.com (or set ELECTRON_MIRROR) and run npm start again${declared === '' ? '' : `, with Node ${wanted} or newer if that is not enough`}, ${elsewhere}`,
  };
}

type Version = [number, number, number];

/** The first version in a string: "20.20.2", ">= 22.12.0". */
function versionIn(text: string): Version | null {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match === null ? null : [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== minimum[i]) return version[i]! > minimum[i]!;
  return true;
}

/** The one line that says why there is no window, what would fix it, and what happens instead. */
export function troubleLine(prefix: string, trouble: ElectronTrouble, instead: string): string {
  return `${prefix}: no desktop window: ${trouble.why}; to fix: ${trouble.fix}. ${instead}\n`;
}
