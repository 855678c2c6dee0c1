/**
 * `npm start` where Electron cannot run (as on CI, where its binary cannot be downloaded): it says
 * why in one line and runs the headless node with its dashboard, whose URL it prints. In a
 * namespace of its own, as every test that multicasts. (test/desktop/launcher.test.ts has the
 * cases that need an Electron to try, with stand-ins for it.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const START = new URL('../../dist/cli/start.js', import.meta.url).pathname;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';

/**
 * Runs `npm start`'s script in the lab host until `done` matches its output; then SIGTERM, or
 * SIGINT to its whole process group, as a terminal's Ctrl-C does.
 */
async function start(lab: Lab, env: NodeJS.ProcessEnv, flags: string[], done: RegExp, stop: 'SIGTERM' | 'ctrl-c' = 'SIGTERM'): Promise<{ out: string; err: string; code: number | null }> {
  const child = spawn('ip', ['netns', 'exec', lab.node(1).ns, process.execPath, START, ...flags], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 15_000;
    while (!done.test(out + err) && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (stop === 'ctrl-c') process.kill(-child.pid!, 'SIGINT');
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exited;
    clearTimeout(timer);
    return { out, err, code };
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}

describe('npm start without Electron', { skip }, () => {
  it('falls back to the headless node and prints the dashboard URL; exits 0 on SIGTERM and on Ctrl-C', async () => {
    const lab = Lab.create(1);
    try {
      const flags = ['--id', '1', '--cluster-size', '1', '--interface', 'eth0', '--data-dir', join(lab.dir, 'n1'), '--cluster', 'lab'];
      const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...noDisplay } = process.env;

      const headless = await start(lab, { ...noDisplay, CONCLAVE_KEY: '1:0123456789abcdef0123' }, flags, /dashboard on http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(headless.err, /^conclave: no desktop window: no display \(neither DISPLAY nor WAYLAND_DISPLAY is set\); to fix: .*DISPLAY.*\. Running headless: the dashboard URL follows\.$/m);
      assert.match(headless.out, /dashboard on http:\/\/127\.0\.0\.1:\d+\//);
      assert.equal(headless.code, 0, headless.err);

      const noBinary = await start(lab, { ...noDisplay, DISPLAY: ':99', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CONCLAVE_KEY: '1:0123456789abcdef0123' }, flags, /dashboard on/);
      assert.match(noBinary.err, /^conclave: no desktop window: Electron's binary is not installed \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\); to fix: .*\. Running headless: the dashboard URL follows\.$/m);
      assert.match(noBinary.out, /dashboard on http/);
      assert.equal(noBinary.code, 0, noBinary.err);

      // Ctrl-C reaches both npm start and the node, which also gets it forwarded: one stop, exit 0,
      // with a demotion hook reporting as it stops.
      const ctrlC = await start(lab, { ...noDisplay, CONCLAVE_KEY: '1:0123456789abcdef0123' }, [...flags, '--on-demoted', 'true'], /ELECTED coordinator/, 'ctrl-c');
      assert.equal(ctrlC.code, 0, ctrlC.err);
      assert.doesNotMatch(ctrlC.err, /again|Error/);

      // Waits for the exit itself: a SIGTERM sent on the message's first line could end the
      // process before it exited 2 (seen under load: code null).
      const neverMatches = /(?!)/;
      const badHost = await start(lab, noDisplay, [...flags, '--dashboard-host', '10.254.254.254', '--dashboard-port', '0'], neverMatches);
      assert.equal(badHost.code, 2, badHost.err);
      assert.match(badHost.err, /--dashboard-host 10\.254\.254\.254: not an address of this machine/);
    } finally {
      lab.destroy();
    }
  });
});
