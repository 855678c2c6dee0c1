/**
 * The real desktop app in a stand-in that handles signals as Electron does on Linux and macOS
 * (stand-ins/electron-platform.ts): the app's own `process.on` listeners are replaced after its
 * script ran, the first signal becomes app.quit(), and the signal then has its default action
 * again. The app must resign on the first Ctrl-C, and a second one during the resignation must
 * not kill it. Each process runs in its own process group, killed also when a test fails.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STAND_IN = join(REPO, 'test/desktop/stand-ins/windowless-electron.ts');
const WAIT_MS = 20_000;
let dir: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-signals-'));
  children = [];
});
afterEach(() => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface App {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The app alone (no launcher), leading a one-node cluster on loopback, its demotion hook `hook`. */
function startApp(hook: string): App {
  const flags = ['--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0',
    '--data-dir', join(dir, 'n1'), '--heartbeat-ms', '50', '--timeout-ms', '300', '--damping-ms', '0', '--json', '--on-demoted', hook];
  const { CONCLAVE_LAUNCH_CHANNEL: _channel, CONCLAVE_QUIT_PIPE: _pipe, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', STAND_IN, 'dist/electron/main.js', ...flags], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CONCLAVE_KEY: '1:0123456789abcdef0123', STAND_IN_APP_DATA: join(dir, 'config'), STAND_IN_ELECTRON_PLATFORM: 'linux' },
  });
  children.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    async waitFor(pattern) {
      const deadline = Date.now() + WAIT_MS;
      while (!pattern.test(output)) {
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`no ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exited,
  };
}

describe("the desktop app under Electron's signal handling (Linux, macOS)", () => {
  it("Ctrl-C reaches the app as Electron's app.quit(): the coordinator resigns, exit 0", async () => {
    const app = startApp('true');
    await app.waitFor(/"event":"elected"/);
    app.child.kill('SIGINT');
    assert.deepEqual(await app.exited, { code: 0, signal: null }, app.output());
    assert.match(app.output(), /stand-in: Electron got SIGINT: app\.quit\(\)/);
    assert.equal(app.output().match(/"event":"demoted"/g)?.length, 1, app.output());
  });

  it('a second Ctrl-C while the coordinator resigns: one line, the resignation finishes, exit 0, not killed', async () => {
    const app = startApp('sleep 1');
    await app.waitFor(/"event":"elected"/);
    app.child.kill('SIGINT');
    await app.waitFor(/"event":"demoted"/);
    app.child.kill('SIGINT'); // Electron has reset SIGINT to its default: without the app's listener, this kills
    await app.waitFor(/SIGINT again/);
    assert.deepEqual(await app.exited, { code: 0, signal: null }, app.output());
    assert.match(app.output(), /conclave: SIGINT again: the node is still resigning \(a coordinator hands over first\); waiting for it, at most 12 s/);
    assert.match(app.output(), /"event":"hook".*"on-demoted"|"on-demoted".*"event":"hook"/, 'the demotion hook ran to its end');
  });
});
