/** Why Electron could not run, from what it said as it died: one cause and one fix each. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainDownloadFailure, explainElectronExit, explainSpawnFailure, troubleLine, type ElectronExit } from '../../src/desktop/electron-exit.ts';

const SUID =
  "[12345:1201/101010.123456:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /home/u/app/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.";
const NO_USABLE_SANDBOX =
  '[2290:1201/101010.123456:FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox! If you are running on Ubuntu 23.10+ or another Linux distro that has disabled unprivileged user namespaces with AppArmor, see https://chromium.googlesource.com/chromium/src/+/main/docs/security/apparmor-userns-restrictions.md. Otherwise see https://chromium.googlesource.com/chromium/src/+/main/docs/linux/suid_sandbox_development.md for more information on developing with the (older) SUID sandbox. If you want to live dangerously and need an immediate workaround, you can try using --no-sandbox.';
const ROOT = '[777:1201/101010.123456:FATAL:electron_main_delegate.cc(292)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.';
const NO_DISPLAY = [
  '[188565:0928/090602.436159:ERROR:ozone_platform_x11.cc(250)] Missing X server or $DISPLAY',
  '[188565:0928/090602.436207:ERROR:env.cc(257)] The platform failed to initialize.  Exiting.',
].join('\n');
const NOISE = '[1:1201/101010.1:ERROR:bus.cc(407)] Failed to connect to the bus: Could not parse server address';

function exit(stderr: string, more: Partial<ElectronExit> = {}): ElectronExit {
  return { code: 133, signal: null, stderr, platform: 'linux', uid: 1000, binary: '/opt/e/electron', script: 'dist/electron/main.js', noSandboxCommand: 'npm start -- --no-sandbox', ...more };
}

describe('explainElectronExit', () => {
  it('a misconfigured SUID sandbox helper: chown and chmod the path the FATAL line names, or --no-sandbox and what it weakens', () => {
    for (const ending of [{ code: 133, signal: null }, { code: null, signal: 'SIGTRAP' as const }]) {
      const { why, fix } = explainElectronExit(exit(`${NOISE}\n${SUID}`, ending));
      assert.match(why, /sandbox helper \/home\/u\/app\/node_modules\/electron\/dist\/chrome-sandbox is not owned by root with mode 4755/);
      assert.match(fix, /^sudo chown root:root \/home\/u\/app\/node_modules\/electron\/dist\/chrome-sandbox && sudo chmod 4755 \/home\/u\/app\/node_modules\/electron\/dist\/chrome-sandbox, or npm start -- --no-sandbox/);
      assert.match(fix, /without Chromium's sandbox.*context isolation and no Node.*renderer exploit would get your user's rights\)$/);
    }
  });

  it('offers --no-sandbox only where the command takes it (the lab does not)', () => {
    for (const stderr of [SUID, NO_USABLE_SANDBOX, ROOT]) {
      const { fix } = explainElectronExit(exit(stderr, { noSandboxCommand: undefined, uid: 0 }));
      assert.doesNotMatch(fix, /no-sandbox/, fix);
    }
    assert.equal(explainElectronExit(exit(ROOT, { noSandboxCommand: undefined, uid: 0 })).fix, 'run it as a normal user');
  });

  it('the helper path is quoted for the shell when it needs to be', () => {
    const { fix } = explainElectronExit(exit(SUID.replace('/home/u/app', "/home/u/my app's")));
    assert.match(fix, /sudo chown root:root '\/home\/u\/my app'\\''s\/node_modules\/electron\/dist\/chrome-sandbox' && sudo chmod 4755 '/);
  });

  it('no usable sandbox (Ubuntu 23.10+, AppArmor): the helper next to the binary, an AppArmor profile, or --no-sandbox', () => {
    const { why, fix } = explainElectronExit(exit(NO_USABLE_SANDBOX));
    assert.match(why, /no usable sandbox.*Ubuntu 23\.10.*AppArmor/);
    assert.match(fix, /^sudo chown root:root \/opt\/e\/chrome-sandbox && sudo chmod 4755 \/opt\/e\/chrome-sandbox, /);
    assert.match(fix, /AppArmor profile .*apparmor-userns-restrictions\.md/);
    assert.match(fix, /--no-sandbox \(weaker: .*renderer exploit/);
    // Without a known binary, the helper where npm installs it.
    assert.match(explainElectronExit(exit(NO_USABLE_SANDBOX, { binary: undefined })).fix, /^sudo chown root:root node_modules\/electron\/dist\/chrome-sandbox /);
  });

  it('root: run as a normal user, or --no-sandbox, whose exploit would get root', () => {
    const { why, fix } = explainElectronExit(exit(ROOT, { uid: 0 }));
    assert.match(why, /refuses to run as root/);
    assert.match(fix, /^run it as a normal user, or npm start -- --no-sandbox \(weaker: .*would get root's rights\)$/);
  });

  it('no display: where to start it, which variables to set', () => {
    const { why, fix } = explainElectronExit(exit(NO_DISPLAY, { code: null, signal: 'SIGSEGV' }));
    assert.match(why, /no display/);
    assert.match(fix, /desktop session.*DISPLAY.*WAYLAND_DISPLAY/);
    assert.match(explainElectronExit(exit('The platform failed to initialize.  Exiting.')).why, /no display/);
  });

  it('anything else: how it ended and its last line, trimmed', () => {
    const crash = explainElectronExit(exit(`${NOISE}\nSomething unforeseen happened\n\n`, { code: 3 }));
    assert.equal(crash.why, 'Electron exited with status 3 before the node started: Something unforeseen happened');
    assert.equal(crash.fix, 'run it by hand to see all it says: /opt/e/electron dist/electron/main.js <the same flags>');
    assert.match(explainElectronExit(exit('', { script: 'dist/electron/lab-main.js' })).fix, / \/opt\/e\/electron dist\/electron\/lab-main\.js /);

    const killed = explainElectronExit(exit('x'.repeat(500), { code: null, signal: 'SIGKILL' }));
    assert.match(killed.why, /^Electron was killed by SIGKILL before the node started: x+…$/);
    assert.ok(killed.why.length < 280, killed.why);

    assert.equal(explainElectronExit(exit('', { code: 1 })).why, 'Electron exited with status 1 before the node started, saying nothing');
  });

  it('the Linux sandbox words mean nothing on Windows or macOS', () => {
    assert.match(explainElectronExit(exit(SUID, { platform: 'win32', uid: undefined })).why, /^Electron exited with status 133 before the node started: /);
  });
});

describe('explainSpawnFailure', () => {
  it('says what stopped the binary from starting, and what to do', () => {
    const denied = explainSpawnFailure('/opt/e/electron', Object.assign(new Error('spawn /opt/e/electron EACCES'), { code: 'EACCES' }));
    assert.deepEqual(denied, { why: 'cannot run /opt/e/electron: EACCES', fix: 'make it executable: chmod +x /opt/e/electron' });
    const missing = explainSpawnFailure('/opt/e/electron', Object.assign(new Error('spawn /opt/e/electron ENOENT'), { code: 'ENOENT' }));
    assert.match(missing.fix, /reinstall Electron/);
  });
});

describe('explainDownloadFailure', () => {
  it('a Node that cannot require() an ES module (before 20.19): says the installer cannot run, not that the download failed', () => {
    const { why, fix } = explainDownloadFailure({ reason: 'exit 1', nodeVersion: '20.18.0', requiredNode: '>= 22.12.0', canRequireEsm: false });
    assert.equal(why, "Electron's binary is not installed, and its installer cannot run on Node 20.18.0, which cannot require() an ES module (exit 1)");
    assert.doesNotMatch(why, /could not be downloaded/);
    assert.match(fix, /^run npm start once with Node 22\.12\.0 or newer, which downloads it, or point ELECTRON_OVERRIDE_DIST_PATH/);
  });

  it('a Node below what Electron declares but able to run its installer: the download failed, and the declared Node is named', () => {
    const { why, fix } = explainDownloadFailure({ reason: 'TypeError: fetch failed', nodeVersion: '20.20.2', requiredNode: '>= 22.12.0', canRequireEsm: true });
    assert.equal(why, "Electron's binary is not installed and could not be downloaded (TypeError: fetch failed; Electron declares Node 22.12.0 or newer, this is 20.20.2)");
    assert.match(fix, /github\.com.*ELECTRON_MIRROR.*with Node 22\.12\.0 or newer if that is not enough/);
  });

  it('a new enough Node: the download failed, and why', () => {
    for (const nodeVersion of ['22.12.0', '22.13.1', '24.0.0']) {
      const { why, fix } = explainDownloadFailure({ reason: 'TypeError: fetch failed', nodeVersion, requiredNode: '>= 22.12.0', canRequireEsm: true });
      assert.equal(why, "Electron's binary is not installed and could not be downloaded (TypeError: fetch failed)", nodeVersion);
      assert.match(fix, /github\.com.*ELECTRON_MIRROR/);
      assert.doesNotMatch(fix, /if that is not enough/);
    }
    assert.match(explainDownloadFailure({ reason: 'exit 1', nodeVersion: '20.0.0', requiredNode: null, canRequireEsm: true }).why, /could not be downloaded \(exit 1\)$/);
  });
});

describe('troubleLine', () => {
  it('is one line: why, the fix, what happens instead', () => {
    const line = troubleLine('conclave', explainElectronExit(exit(ROOT, { uid: 0 })), 'Running headless: the dashboard URL follows.');
    assert.match(line, /^conclave: no desktop window: Electron refuses to run as root.*; to fix: run it as a normal user.*\. Running headless: the dashboard URL follows\.\n$/);
    assert.equal(line.split('\n').length, 2);
  });
});
