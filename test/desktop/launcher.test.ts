/**
 * `npm start`'s launcher with stand-ins for Electron, whose binary cannot be downloaded here
 * (ELECTRON_OVERRIDE_DIST_PATH points it at them). When Electron dies at start it says why in
 * one line and runs the headless node; once the app reports on the launch channel it is the
 * answer; a stop is a quit line either way. The nodes it runs use no multicast, and every process
 * a test starts is killed by its process group, also when the test fails.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const START = join(REPO, 'src/cli/start.ts');
const SHORT_QUIT_BOUND_START = join(REPO, 'test/desktop/stand-ins/short-quit-bound.ts');
const ELECTRON_MAIN = join(REPO, 'dist/electron/main.js');
const STAND_INS = join(REPO, 'test/desktop/stand-ins');
/** Long enough for a loaded machine to start a node; bounds every wait. */
const WAIT_MS = 20_000;

const SUID_FATAL =
  "[12345:1201/101010.123456:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /home/u/app/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.";
const ROOT_FATAL = '[777:1201/101010.123456:FATAL:electron_main_delegate.cc(292)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.';
const NO_DISPLAY = '[99:1201/101010.1:ERROR:ozone_platform_x11.cc(250)] Missing X server or $DISPLAY\n[99:1201/101010.2:ERROR:env.cc(257)] The platform failed to initialize.  Exiting.';
const NOISE = '[4242:1201/101010.1:ERROR:bus.cc(407)] Failed to connect to the bus: chromium noise';
/** What stand-ins/desktop-app.ts says on stderr before its report. */
const APP_NOISE = '[4242:1201/101010.123456:ERROR:bus.cc(407)] Failed to connect to the bus: stand-in noise';

let dir: string;
let launchers: Launcher[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-launcher-'));
  launchers = [];
});
afterEach(() => {
  for (const launcher of launchers) launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** One node on loopback, alone: no multicast, its one seed a port nobody listens on. */
function nodeFlags(name = 'n1'): string[] {
  return ['--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0', '--data-dir', join(dir, name)];
}

/** Puts a stand-in named `electron` where ELECTRON_OVERRIDE_DIST_PATH will point. */
function installStandIn(kind: 'chromium-abort' | 'desktop-app' | 'windowless-electron' | 'not-executable'): void {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const electron = join(bin, 'electron');
  if (kind === 'desktop-app' || kind === 'windowless-electron') {
    writeFileSync(electron, `#!/bin/sh\nexec '${process.execPath}' --import tsx '${join(STAND_INS, `${kind}.ts`)}' "$@"\n`);
  } else {
    copyFileSync(join(STAND_INS, 'chromium-abort.sh'), electron);
  }
  chmodSync(electron, kind === 'not-executable' ? 0o644 : 0o755);
}

function standInLog(): string {
  const file = join(dir, 'stand-in.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

interface Launcher {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves when the output matches; rejects with the output so far after WAIT_MS or at its exit. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  killAll: () => void;
}

function startLauncher(flags: string[], env: NodeJS.ProcessEnv = {}, entry = START): Launcher {
  const { WAYLAND_DISPLAY: _wayland, CONCLAVE_LAUNCH_CHANNEL: _channel, ...inherited } = process.env;
  // Its own process group: the test can stop the launcher alone, or everything it started.
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...flags], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      DISPLAY: ':99',
      ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'bin'),
      STAND_IN_LOG: join(dir, 'stand-in.log'),
      CONCLAVE_KEY: '1:0123456789abcdef0123',
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const launcher: Launcher = {
    child,
    out: () => out,
    err: () => err,
    async waitFor(pattern) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const match = pattern.exec(out + err);
        if (match !== null) return match;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} (exit ${child.exitCode ?? child.signalCode})\nstdout: ${out}\nstderr: ${err}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exited,
    killAll() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    },
  };
  launchers.push(launcher);
  return launcher;
}

/** The launcher's exit, or a failure naming its output when it takes longer than WAIT_MS. */
async function exitOf(launcher: Launcher): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running\nstdout: ${launcher.out()}\nstderr: ${launcher.err()}`)), WAIT_MS);
  });
  try {
    return await Promise.race([launcher.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function linesMatching(text: string, pattern: RegExp): string[] {
  return text.split('\n').filter((line) => pattern.test(line));
}

/**
 * Electron dies at start saying `says`: the launcher must print one line matching `explained`,
 * none of Electron's words, then run the headless node, whose dashboard answers; SIGTERM stops
 * it with exit 0.
 */
async function assertFallsBack(says: string, ends: string, explained: RegExp[], flags = nodeFlags()): Promise<Launcher> {
  installStandIn('chromium-abort');
  const launcher = startLauncher([...flags, '--disable-gpu'], { STAND_IN_SAYS: `${NOISE}\n${says}`, STAND_IN_ENDS: ends });
  const [, url] = await launcher.waitFor(/dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/);
  const page = await fetch(url!, { signal: AbortSignal.timeout(5_000) });
  assert.equal(page.status, 200, 'the dashboard answers');
  await page.arrayBuffer();
  launcher.child.kill('SIGTERM');
  const { code } = await exitOf(launcher);
  assert.equal(code, 0, launcher.err());

  const err = launcher.err();
  const told = linesMatching(err, /no desktop window/);
  assert.equal(told.length, 1, err);
  for (const pattern of explained) assert.match(told[0]!, pattern);
  assert.match(told[0]!, /^conclave: no desktop window: .*; to fix: .*\. Running headless: the dashboard URL follows\.$/);
  assert.doesNotMatch(err, /FATAL|bus\.cc|Missing X server/, 'none of Electron\'s own words');
  // Electron was tried with its switch before the node's flags; the node never got the switch.
  assert.match(standInLog(), new RegExp(`^ran \\d+ ${ELECTRON_MAIN} --disable-gpu --id 1 --cluster-size 1 `, 'm'));
  return launcher;
}

describe('npm start when Electron cannot run', () => {
  it('its sandbox helper is misconfigured (FATAL, SIGTRAP): the chown fix in one line, then the headless node', async () => {
    await assertFallsBack(SUID_FATAL, 'trap', [
      /chrome-sandbox is not owned by root with mode 4755/,
      /sudo chown root:root \/home\/u\/app\/node_modules\/electron\/dist\/chrome-sandbox && sudo chmod 4755 \/home\/u\/app\/node_modules\/electron\/dist\/chrome-sandbox/,
      /--no-sandbox \(weaker: .*renderer exploit/,
    ]);
  });

  it('the same with exit status 133, as a shell reports the trap', async () => {
    await assertFallsBack(SUID_FATAL, '133', [/sudo chown root:root \S+chrome-sandbox && sudo chmod 4755/]);
  });

  it('it refuses root: run as a normal user, or --no-sandbox', async () => {
    await assertFallsBack(ROOT_FATAL, 'trap', [/Electron refuses to run as root/, /run it as a normal user, or npm start -- --no-sandbox/]);
  });

  it('it finds no X server: how to give it a display', async () => {
    await assertFallsBack(NO_DISPLAY, '1', [/Electron found no display/, /DISPLAY .*WAYLAND_DISPLAY/]);
  });

  it('it dies of something else: its status and last line', async () => {
    await assertFallsBack('something unforeseen', '7', [/Electron exited with status 7 before the node started: something unforeseen/]);
  });

  it('its binary cannot be executed: why, and the headless node', async () => {
    installStandIn('not-executable');
    const launcher = startLauncher(nodeFlags());
    await launcher.waitFor(/dashboard on http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(launcher.err(), /^conclave: no desktop window: cannot run \S+\/bin\/electron: EACCES; to fix: make it executable: chmod \+x /m);
    launcher.child.kill('SIGTERM');
    assert.equal((await exitOf(launcher)).code, 0, launcher.err());
  });

  it('ELECTRON_OVERRIDE_DIST_PATH names a directory without it: says so, and the headless node', async () => {
    const launcher = startLauncher(nodeFlags(), { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') });
    await launcher.waitFor(/dashboard on http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(launcher.err(), /no desktop window: ELECTRON_OVERRIDE_DIST_PATH is set, but there is no \S+\/nowhere\/electron; to fix: /);
    launcher.child.kill('SIGTERM');
    assert.equal((await exitOf(launcher)).code, 0, launcher.err());
  });
});

describe('npm start with a desktop app that reports on the launch channel', () => {
  it('started: its output is shown (the noise before the report too), no fallback; SIGTERM becomes a quit line, exit 0', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher([...nodeFlags(), '--disable-gpu']);
    await launcher.waitFor(/stand-in app: running/);
    assert.match(launcher.out(), new RegExp(`stand-in app: running ${ELECTRON_MAIN} --disable-gpu --id 1 `));
    await launcher.waitFor(/stand-in noise/);
    assert.match(standInLog(), /^channel on$/m);

    launcher.child.kill('SIGTERM');
    const { code } = await exitOf(launcher);
    assert.equal(code, 0, launcher.err());
    assert.match(standInLog(), /^quit pipe: the launcher asked \(quit\)$/m, 'the launcher sent the quit line on its pipe');
    assert.match(launcher.out(), /stand-in app: quitting on the launch channel/);
    assert.doesNotMatch(launcher.err(), /conclave-launch:/, 'report lines are never shown');
    assert.doesNotMatch(launcher.out() + launcher.err(), /no desktop window|dashboard on|killing/);
  });

  it('Ctrl-C reaches the app and the launcher at once: one stop, exit 0', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags());
    await launcher.waitFor(/stand-in app: running/);
    process.kill(-launcher.child.pid!, 'SIGINT');
    const { code } = await exitOf(launcher);
    assert.equal(code, 0, launcher.err());
    assert.equal(linesMatching(launcher.out(), /stand-in app: quitting/).length, 1, launcher.out());
    assert.equal(launcher.err(), `${APP_NOISE}\n`, 'the noise, and no report line');
  });

  it('the launcher killed outright: the app sees its input end and quits', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags());
    await launcher.waitFor(/stand-in app: running/);
    const app = Number(/^ran (\d+) /m.exec(standInLog())![1]);
    launcher.child.kill('SIGKILL');
    const deadline = Date.now() + WAIT_MS;
    while (isRunning(app) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(isRunning(app), false, 'the app quit by itself');
    assert.match(standInLog(), /^quit pipe: the launcher (closed its quit pipe|is gone \(its quit pipe (failed: ECONNRESET|cannot be reached)\))$/m);
    assert.match(standInLog(), /^quitting on the launch channel$/m);
    assert.doesNotMatch(standInLog(), /asked \(quit\)/m);
  });

  it('stopped while it is still starting (no report yet): it gets the quit line, no fallback, its status', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags(), { STAND_IN_MODE: 'silent' });
    await launcher.waitFor(/stand-in app: running/);
    launcher.child.kill('SIGTERM');
    const { code } = await exitOf(launcher);
    assert.equal(code, 0, launcher.err());
    assert.match(standInLog(), /^quit pipe: the launcher asked \(quit\)$/m);
    assert.equal(launcher.err(), '', 'neither its noise nor an explanation');
    assert.doesNotMatch(launcher.out(), /dashboard on/);
  });

  it('exiting 2 (a flag only the app could judge): its error is shown, exit 2, no fallback', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags(), { STAND_IN_MODE: 'refuse' });
    const { code } = await exitOf(launcher);
    assert.equal(code, 2, launcher.err());
    assert.equal(launcher.err(), "conclave: --id 9 is not one of the voters\n(see 'conclave run --help')\n");
    assert.doesNotMatch(launcher.out(), /dashboard on/);
  });

  it('started, then exit 1: exit 1, no fallback', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags(), { STAND_IN_MODE: 'crash' });
    const { code } = await exitOf(launcher);
    assert.equal(code, 1, launcher.err());
    assert.match(launcher.err(), /stand-in app: crashing/);
    assert.doesNotMatch(launcher.out() + launcher.err(), /no desktop window|dashboard on/);
  });

  it('an app that ignores the quit line is killed after the bound, and the launcher says so', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(nodeFlags(), { STAND_IN_MODE: 'deaf' }, SHORT_QUIT_BOUND_START);
    await launcher.waitFor(/stand-in app: running/);
    const asked = performance.now();
    launcher.child.kill('SIGTERM');
    const { code } = await exitOf(launcher);
    assert.ok(performance.now() - asked < 5_000, 'killed after the bound, not at its own end');
    assert.equal(code, 128 + 9, launcher.err());
    assert.match(launcher.err(), /^conclave: the desktop app did not stop within 0\.5 s of being asked to; killing it$/m);
  });
});

describe('npm start with a bad flag', () => {
  it('exits 2 naming it, before trying Electron', async () => {
    installStandIn('desktop-app');
    for (const [flags, named] of [
      [[...nodeFlags(), '--bogus'], /^conclave: Unknown option '--bogus'/],
      [['--id', 'seven', '--cluster-size', '1'], /^conclave: --id must be an integer from 1 to \d+, got "seven"$/m],
    ] as const) {
      const launcher = startLauncher([...flags]);
      const { code } = await exitOf(launcher);
      assert.equal(code, 2, launcher.err());
      assert.match(launcher.err(), named);
      assert.match(launcher.err(), /\(see 'conclave run --help'\)\n$/);
    }
    assert.equal(standInLog(), '', 'Electron never ran');
  });

  it('--help prints the run usage without trying Electron', async () => {
    installStandIn('desktop-app');
    const launcher = startLauncher(['--help']);
    assert.equal((await exitOf(launcher)).code, 0);
    assert.match(launcher.out(), /^usage: conclave run /);
    assert.equal(standInLog(), '');
  });
});

/** Whether the process still runs: an orphan that exited may stay a zombie until reaped. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // "<pid> (<name>) <state> …": Z is a zombie.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('npm start with the real app behind a windowless Electron', () => {
  it('the app starts its node and reports it; SIGTERM becomes a quit, the coordinator resigns, exit 0', async () => {
    installStandIn('windowless-electron');
    const launcher = startLauncher([...nodeFlags(), '--json', '--no-sandbox'], { STAND_IN_APP_DATA: join(dir, 'config') });
    await launcher.waitFor(/"event":"elected"/);
    assert.match(launcher.out(), new RegExp(`stand-in: Conclave in ${join(dir, 'config', 'Conclave', 'conclave-1')}`));
    assert.match(launcher.out(), /stand-in: window open/);
    launcher.child.kill('SIGTERM');
    const { code } = await exitOf(launcher);
    assert.equal(code, 0, launcher.err());
    assert.equal(linesMatching(launcher.out(), /"event":"demoted"/).length, 1, 'resigned once, before exiting');
    assert.doesNotMatch(launcher.err(), /no desktop window|conclave-launch/);
  });

  it('as Electron on Windows (stdin ended before the script runs): the window opens, and a stop reaches it over the quit pipe; the coordinator resigns, exit 0', async () => {
    installStandIn('windowless-electron');
    const launcher = startLauncher([...nodeFlags(), '--json'], { STAND_IN_APP_DATA: join(dir, 'config'), STAND_IN_ELECTRON_PLATFORM: 'win32' });
    await launcher.waitFor(/"event":"elected"/);
    assert.match(launcher.out(), /stand-in: window open/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(launcher.child.exitCode, null, 'still running: the ended stdin asked for nothing');
    launcher.child.kill('SIGTERM');
    const { code } = await exitOf(launcher);
    assert.equal(code, 0, launcher.err());
    assert.equal(linesMatching(launcher.out(), /"event":"demoted"/).length, 1, 'resigned once, before exiting');
    assert.doesNotMatch(launcher.err(), /no desktop window|before the node started/);
  });

  it('the same node already running (its state lock): the app says so and exits 1, no fallback', async () => {
    installStandIn('windowless-electron');
    const first = startLauncher(nodeFlags());
    await first.waitFor(/ELECTED/);
    const second = startLauncher(nodeFlags());
    const { code } = await exitOf(second);
    assert.equal(code, 1, second.err());
    assert.match(second.err(), /^conclave: .*n1: is in use by another conclave process/m);
    assert.doesNotMatch(second.err() + second.out(), /no desktop window|dashboard on/);
    first.child.kill('SIGTERM');
    assert.equal((await exitOf(first)).code, 0, first.err());
  });
});

describe('npm start -- --watch', () => {
  it('runs conclave watch and shows its page in a window; when Electron cannot run, one line says why and where the page is; SIGTERM stops it with 0', async () => {
    installStandIn('chromium-abort');
    // The observer joins the group on loopback and sends nothing.
    const launcher = startLauncher(['--watch', '--cluster-size', '3', '--interface', 'lo'], { STAND_IN_SAYS: ROOT_FATAL, STAND_IN_ENDS: 'trap' });
    // The observer runs in a process group of its own, which killAll does not reach: its PID,
    // a child of the launcher's, is stopped here, also when the test fails.
    const observers: number[] = [];
    try {
      await watchInWindow(launcher, observers);
    } finally {
      for (const pid of observers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // It stopped already.
        }
      }
    }
  });
});

/** The page is served and answers, Electron is tried with it, and SIGTERM stops the launcher with 0. */
async function watchInWindow(launcher: Launcher, observers: number[]): Promise<void> {
  const [, url] = await launcher.waitFor(/page: (http:\/\/127\.0\.0\.1:\d+\/)/);
  observers.push(...childrenOf(launcher.child.pid!));
  const page = await fetch(url!, { signal: AbortSignal.timeout(5_000) });
  assert.equal(page.status, 200, 'the watch page answers');
  await page.arrayBuffer();
  await launcher.waitFor(/no desktop window: .*Electron refuses to run as root.*(Open|Opening) /);
  // The window was the page viewer, given the observer's page.
  assert.match(standInLog(), new RegExp(`^ran \\d+ ${join(REPO, 'dist/electron/lab-main.js')} --url ${url!.replace(/\//g, '\\/')}`, 'm'));
  launcher.child.kill('SIGTERM');
  const { code } = await exitOf(launcher);
  assert.equal(code, 0, launcher.err());
}

/** The PIDs of a process's children (Linux: /proc). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter((p) => p !== '').map(Number);
}
