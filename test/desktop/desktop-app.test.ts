/**
 * The desktop app's life with a real node and a shell that behaves as Electron does (exit only
 * schedules): start-up errors exit once with the right status, a crash stops the node, suspend
 * resigns and pauses, resume undoes it, quitting over stdin resigns first. The nodes run on
 * loopback without multicast: their only traffic is unicast between sockets of this test.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runDesktopApp } from '../../src/desktop/desktop-app.ts';
import { LAUNCH_CHANNEL_VARIABLE, parseReportLine } from '../../src/desktop/launch-channel.ts';
import { parseKeys } from '../../src/net/keys.ts';
import { ConclaveNode } from '../../src/runtime/conclave-node.ts';
import type { NodeEvent } from '../../src/contract/events.ts';
import { TestProcess, TestShell } from './desktop-app-shell.ts';

const KEY = '1:0123456789abcdef0123';
const FAST = ['--heartbeat-ms', '50', '--timeout-ms', '300', '--damping-ms', '0'];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-desktop-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A one-node cluster on loopback whose only seed is a port nobody listens on. */
function soloFlags(extra: string[] = []): string[] {
  return ['--id', '1', '--cluster-size', '1', '--interface', 'lo', '--no-multicast', '--seeds', '127.0.0.1:9', '--unicast-port', '0', '--data-dir', join(dir, 'n1'), ...FAST, ...extra];
}

function app(args: string[], options: { launched?: boolean; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): { shell: TestShell; proc: TestProcess; running: Promise<void> } {
  const env: NodeJS.ProcessEnv = { CONCLAVE_KEY: KEY, ...options.env, ...(options.launched ? { [LAUNCH_CHANNEL_VARIABLE]: '1' } : {}) };
  const shell = new TestShell(options.platform);
  const proc = new TestProcess(args, env);
  return { shell, proc, running: runDesktopApp(shell, proc) };
}

function reports(stderr: string): unknown[] {
  return stderr.split('\n').map(parseReportLine).filter((report) => report !== null);
}

async function waitFor(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Stops a running app as the launcher does, and waits for its exit. */
async function quit(shell: TestShell, proc: TestProcess): Promise<number> {
  if (proc.stdin.writable) proc.stdin.end('quit\n');
  shell.quit();
  return shell.exited();
}

describe('desktop app: exits', () => {
  it('a bad flag: one message naming it, exit 2 once, no window, and the launcher is told', async () => {
    const { shell, proc, running } = app(['--id', '1', '--cluster-size', '1', '--bogus'], { launched: true });
    await running;
    assert.deepEqual(shell.exits, [2]);
    assert.equal(shell.windows.length, 0);
    assert.equal(proc.err.match(/Unknown option '--bogus'/g)?.length, 1, proc.err);
    assert.match(proc.err, /see 'conclave run --help'/);
    assert.deepEqual(reports(proc.err), [{ type: 'exiting', code: 2 }]);
  });

  it('Electron switches are not the node flags: --no-sandbox is accepted', async () => {
    const { shell, proc, running } = app(['--no-sandbox', ...soloFlags(), '--ozone-platform=x11']);
    await running;
    assert.deepEqual(shell.exits, [], proc.err);
    assert.equal(shell.windows.length, 1);
    assert.equal(await quit(shell, proc), 0);
  });

  it('--help prints the usage and exits 0', async () => {
    const { shell, proc, running } = app(['--help']);
    await running;
    assert.deepEqual(shell.exits, [0]);
    assert.match(proc.out, /--dashboard-port/);
  });

  it('the same node twice (the state lock): the second exits 1 once with its reason, no window', async () => {
    const first = app(soloFlags(), { launched: true });
    await first.running;
    try {
      assert.deepEqual(reports(first.proc.err), [{ type: 'started' }]);
      const second = app(soloFlags(), { launched: true });
      await second.running;
      assert.deepEqual(second.shell.exits, [1]);
      assert.equal(second.shell.windows.length, 0);
      assert.equal(second.proc.err.split('\n').filter((line) => line.startsWith('conclave: ')).length, 1, second.proc.err);
      assert.match(second.proc.err, /n1: is in use by another conclave process/);
      assert.deepEqual(reports(second.proc.err), [{ type: 'exiting', code: 1 }]);
    } finally {
      assert.equal(await quit(first.shell, first.proc), 0);
    }
  });

  it('a --dashboard-port in use: exit 1 once naming the flag', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const { shell, proc, running } = app(soloFlags(['--dashboard-port', String(port)]));
      await running;
      assert.deepEqual(shell.exits, [1]);
      assert.equal(shell.windows.length, 0);
      assert.equal(proc.err.match(new RegExp(`--dashboard-port ${port}: the port is in use`, 'g'))?.length, 1, proc.err);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('a crash after start pauses the node at once and exits 1 with the stack', async () => {
    const { shell, proc, running } = app(soloFlags());
    await running;
    const session = shell.windows[0]!;
    await waitFor('elected', () => session.node.hasLease());
    proc.emit('uncaughtException', new Error('a bug in a listener'));
    assert.equal(session.node.paused, true, 'no longer sends or hears');
    assert.deepEqual(shell.exits, [1]);
    assert.match(proc.err, /conclave: crashed: Error: a bug in a listener\n\s+at /);
    await session.stop();
  });

  it('quits over stdin as the launcher asks: the coordinator resigns, exit 0, once for two requests', async () => {
    const { shell, proc, running } = app(soloFlags(['--json']), { launched: true });
    await running;
    const session = shell.windows[0]!;
    await waitFor('elected', () => session.node.hasLease());
    proc.stdin.write('quit\n');
    proc.emit('SIGINT'); // Ctrl-C in a terminal reaches the app too
    assert.equal(await shell.exited(), 0);
    assert.deepEqual(shell.exits, [0]);
    assert.equal(session.node.hasLease(), false);
    const demoted = proc.out.split('\n').filter((line) => line.includes('"event":"demoted"'));
    assert.equal(demoted.length, 1, proc.out);
    assert.doesNotMatch(proc.err, /stopping failed/);
  });

  it('stdin closing (the launcher died) quits gracefully too; without the launcher stdin is not read', async () => {
    const alone = app(soloFlags());
    await alone.running;
    alone.proc.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(alone.shell.exits, [], 'started by hand, stdin is not the launcher');
    assert.equal(await quit(alone.shell, alone.proc), 0);

    const launched = app(soloFlags(), { launched: true });
    await launched.running;
    launched.proc.stdin.end();
    assert.equal(await launched.shell.exited(), 0);
  });

  it('a system shutdown is put off until the node has stopped', async () => {
    const { shell, running } = app(soloFlags());
    await running;
    assert.equal(shell.power('shutdown'), true);
    assert.equal(await shell.exited(), 0);
  });
});

/** A shell whose Electron is not ready until the test says so. */
class SlowReadyShell extends TestShell {
  private ready: () => void = () => {};
  private readonly readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  override whenReady(): Promise<void> {
    return this.readyPromise;
  }
  becomeReady(): void {
    this.ready();
  }
}

describe('desktop app: quitting before it runs, and on Windows', () => {
  it('a quit before Electron is ready reports itself: exit 1 once, naming who asked, and the launcher is told', async () => {
    for (const [ask, who] of [
      [(shell: TestShell, proc: TestProcess) => proc.emit('SIGTERM'), /by SIGTERM/],
      [(shell: TestShell) => shell.quit(), /by Electron's quit/],
    ] as const) {
      const shell = new SlowReadyShell();
      const proc = new TestProcess(soloFlags(), { CONCLAVE_KEY: KEY, [LAUNCH_CHANNEL_VARIABLE]: '1' });
      const running = runDesktopApp(shell, proc);
      ask(shell, proc);
      assert.deepEqual(shell.exits, [1], 'at once, not after ready');
      shell.becomeReady();
      await running;
      assert.deepEqual(shell.exits, [1]);
      assert.equal(shell.windows.length, 0);
      assert.match(proc.err, /^conclave: asked to quit before the node started, by .*; exiting 1$/m);
      assert.match(proc.err, who);
      assert.deepEqual(reports(proc.err), [{ type: 'exiting', code: 1 }]);
    }
  });

  it("on Windows without a quit pipe, Electron's ended stdin is not read: the app starts and runs", async () => {
    const { shell, proc, running } = app(soloFlags(), { launched: true, platform: 'win32' });
    proc.stdin.end(); // what Electron's stdin is on Windows: ended from the start
    await running;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(shell.exits, [], proc.err);
    assert.equal(shell.windows.length, 1);
    assert.deepEqual(reports(proc.err), [{ type: 'started' }]);
    assert.equal(await quit(shell, proc), 0);
  });

  it('a second signal while the coordinator resigns: one line, and the app waits for the resignation', async () => {
    const { shell, proc, running } = app(soloFlags(['--json', '--on-demoted', 'sleep 0.6']));
    await running;
    const session = shell.windows[0]!;
    await waitFor('elected', () => session.node.hasLease());
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    assert.deepEqual(shell.exits, [], 'not cut short');
    assert.equal(proc.err.match(/SIGINT again: the node is still resigning .*waiting for it, at most 12 s/g)?.length, 1, proc.err);
    assert.equal(await shell.exited(), 0);
    assert.match(proc.out, /"hook":"on-demoted".*"exitCode":0|"event":"hook".*on-demoted/);
  });
});

describe('desktop app: identity and platform', () => {
  it('is named Conclave, with a profile folder per cluster and node ID; the hook environment loses the channel variable', async () => {
    const { shell, proc, running } = app([...soloFlags(), '--cluster', 'lab'], { launched: true });
    await running;
    assert.deepEqual(shell.identity, { name: 'Conclave', userDataDir: join('/home/someone/.config', 'Conclave', 'lab-1') });
    assert.equal(proc.env[LAUNCH_CHANNEL_VARIABLE], undefined);
    assert.equal(await quit(shell, proc), 0);
  });

  it('keeps App Nap away on macOS only', async () => {
    for (const [platform, blocks] of [['darwin', 1], ['linux', 0], ['win32', 0]] as const) {
      const { shell, proc, running } = app(soloFlags(), { platform });
      await running;
      assert.equal(shell.appSuspensionBlocks, blocks, platform);
      assert.equal(await quit(shell, proc), 0);
      rmSync(join(dir, 'n1'), { recursive: true, force: true });
    }
  });

  it('warns about a key file others can read, as conclave run does', async () => {
    const keyFile = join(dir, 'cluster.key');
    writeFileSync(keyFile, `${KEY}\n`);
    chmodSync(keyFile, 0o644);
    const { shell, proc, running } = app(soloFlags(['--key-file', keyFile]), { env: { CONCLAVE_KEY: '' } });
    await running;
    assert.match(proc.err, /conclave: warning: .*cluster\.key can be read by other users \(mode 644\); chmod 600 it/);
    assert.equal(await quit(shell, proc), 0);
  });
});

/** Three ports free on loopback now (the nodes bind them a moment later). */
async function freePorts(count: number): Promise<number[]> {
  const sockets = Array.from({ length: count }, () => createSocket('udp4'));
  const ports = await Promise.all(sockets.map((socket) => new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)))));
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return ports;
}

describe('desktop app: suspend and resume', () => {
  it('on suspend the coordinator hands over and stays out; on resume it is back and leads again', async (t) => {
    const ports = await freePorts(3);
    const seeds = ports.map((port) => `127.0.0.1:${port}`).join(',');
    const peers = await Promise.all(
      [1, 2].map((id) =>
        ConclaveNode.start({
          id,
          clusterSize: 3,
          cluster: 'suspend',
          interface: 'lo',
          multicast: false,
          seeds,
          unicastPort: ports[id - 1]!,
          keys: parseKeys(KEY, 'test'),
          dataDir: join(dir, `n${id}`),
          heartbeatMs: 50,
          timeoutMs: 300,
          dampingMs: 0,
        }),
      ),
    );
    const desktop = app(['--id', '3', '--cluster-size', '3', '--cluster', 'suspend', '--interface', 'lo', '--no-multicast', '--seeds', seeds, '--unicast-port', String(ports[2]), '--data-dir', join(dir, 'n3'), ...FAST]);
    try {
      await desktop.running;
      const node = desktop.shell.windows[0]!.node;
      await waitFor('n3 leads', () => node.hasLease() && peers.every((peer) => peer.status().leader === 3));

      const n2Elected: string[] = [];
      peers[1]!.on('event', (line: NodeEvent) => {
        if (line.event === 'elected') n2Elected.push(line.cause);
      });
      const suspendedAt = performance.now();
      desktop.shell.power('suspend');
      assert.equal(node.hasLease(), false, 'resigned before the handler returned');
      assert.equal(node.paused, true);
      await waitFor('n2 leads', () => peers[1]!.hasLease());
      const handoverMs = performance.now() - suspendedAt;
      t.diagnostic(`handed over in ${handoverMs.toFixed(0)} ms (timeout 300 ms)`);
      // The goodbye went out before the pause: n2 was elected on the resignation, not after
      // waiting out its promise (a failover), whatever the machine's load made of the timings.
      assert.deepEqual(n2Elected, ['resignation'], `n2's elections after the suspend, by cause (${handoverMs.toFixed(0)} ms)`);
      // Three timeouts asleep: the highest ID is not re-elected behind the sleeping machine's back.
      await new Promise((resolve) => setTimeout(resolve, 900));
      assert.equal(node.hasLease(), false);
      assert.ok(peers[1]!.hasLease(), 'n2 kept leading');

      desktop.shell.power('resume');
      assert.equal(node.paused, false);
      await waitFor('n3 leads again', () => node.hasLease() && peers.every((peer) => peer.status().leader === 3));

      // A pause the user chose survives a suspend and resume.
      node.pause();
      desktop.shell.power('suspend');
      desktop.shell.power('resume');
      assert.equal(node.paused, true);
    } finally {
      if (desktop.shell.exits.length === 0 && desktop.shell.windows.length > 0) assert.equal(await quit(desktop.shell, desktop.proc), 0);
      await Promise.all(peers.map((peer) => peer.stop()));
    }
  });
});
