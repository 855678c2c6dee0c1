#!/usr/bin/env node
/**
 * `npm run demo`: the lab on one machine. N real nodes, each in a network namespace of its own on
 * a bridge (as root), or all on this machine's loopback (otherwise); one lab page to watch and
 * break them. Cleans up on exit and on Ctrl-C; refuses to start over a crashed run's leftovers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEFAULT_LAN_TIMINGS } from '../core/index.ts';
import { findElectron } from '../desktop/electron-binary.ts';
import { explainElectronExit, explainSpawnFailure, troubleLine } from '../desktop/electron-exit.ts';
import { LAUNCH_CHANNEL_VARIABLE, parseReportLine } from '../desktop/launch-channel.ts';
import { readLines, waitForExit } from '../desktop/child-end.ts';
import { newControlToken } from '../dashboard/control-token.ts';
import type { WebHost } from '../dashboard/web-host.ts';
import { DemoLab } from './demo-lab.ts';
import { startLabServer } from './lab-server.ts';
import { describeLeftovers, findLeftovers, removeLeftovers, DEMO_PREFIX } from './leftovers.ts';
import { NetnsLab } from './netns-lab.ts';
import { NodeDashboards } from './node-dashboards.ts';
import { shutDown } from './shutdown.ts';
import { INNER_PORT, INNER_SOCKET, LAB_TOKEN_VARIABLE, innerLab, runInUserNamespace, userNamespacesAllowed } from './user-namespace.ts';

const USAGE = `usage: npm run demo -- [options]

Starts N Conclave nodes on this machine and serves the lab page, where you can kill, restart,
unplug, stall and partition them and watch the re-election.

  --nodes <n>         how many nodes (default 5, 1 to 50)
  --port <p>          the lab page's port on 127.0.0.1 (default 7780; 0: any free port)
  --mode <m>          netns (one network namespace per node, like separate machines: as root,
                      or else inside an unprivileged user namespace) or loopback (all nodes on
                      this machine's loopback; no unplugging, partitions or loss); default:
                      netns where this machine allows it
  --no-open           do not open a window (Electron where installed) or a browser
  --clean             remove what a crashed lab left behind, then exit
  --help              this text`;

const LAB_WINDOW = new URL('../electron/lab-main.js', import.meta.url).pathname;
/** What the lab window said before it died: its last lines explain it. */
const WINDOW_LINES_KEPT = 200;

function fail(message: string, status = 2): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(status);
}

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nodes: { type: 'string', default: '5' },
        port: { type: 'string', default: '7780' },
        mode: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        clean: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n(see 'npm run demo -- --help')`);
  }
  const nodes = Number(values.nodes);
  if (!/^\d+$/.test(values.nodes) || nodes < 1 || nodes > 50) fail(`--nodes must be an integer from 1 to 50, got "${values.nodes}"`);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  if (values.mode !== undefined && values.mode !== 'netns' && values.mode !== 'loopback') fail(`--mode must be netns or loopback, got "${values.mode}"`);
  return { nodes, port, mode: values.mode as 'netns' | 'loopback' | undefined, open: !values['no-open'], clean: values.clean, help: values.help };
}

/** How namespaces can be had here: as root, through a user namespace, or (with why) not at all. */
function namespaceAccess(): 'root' | 'userns' | { why: string } {
  for (const [command, args] of [['ip', ['-V']], ['nft', ['--version']]] as const) {
    try {
      execFileSync(command, [...args], { stdio: 'ignore' });
    } catch {
      return { why: `${command} is missing (apt-get install -y iproute2 nftables)` };
    }
  }
  if (process.getuid?.() === 0) return 'root';
  return userNamespacesAllowed() ? 'userns' : { why: 'not root, and this system allows no unprivileged user namespaces' };
}

/**
 * Shows the page: in an Electron window where its binary is installed (the window is closed with
 * the lab), otherwise in the default browser where there is a display. Says which, or why neither.
 * The action token goes to the window in its environment, to a browser in the URL's fragment.
 */
function openPage(url: string, token: string): { close: () => void; how: string } {
  const electron = findElectron(process.env, { download: false });
  if ('binary' in electron) return openWindow(electron.binary, url, token);
  const browser = openInBrowser(url, token);
  return { close: () => {}, how: browser.opened ? `the page opens in your browser (no Electron window: ${electron.why})` : browser.how };
}

/**
 * The lab window. Electron may die at once (root, its sandbox, no display): it counts as open
 * only once it reports the page loaded on the launch channel, and if it exits before that the
 * lab says why in one line and turns to a browser. The lab does not wait for it meanwhile.
 */
function openWindow(binary: string, url: string, token: string): { close: () => void; how: string } {
  const window = spawn(binary, [LAB_WINDOW, '--url', url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, [LAB_TOKEN_VARIABLE]: token, [LAUNCH_CHANNEL_VARIABLE]: '1' },
  });
  let started = false;
  let closing = false;
  // Chromium's words before the report: only ever shown as the one line that explains a failure.
  const said: string[] = [];
  const read = readLines(window.stderr, (line) => {
    if (parseReportLine(line)?.type === 'started') {
      if (!started && !closing) process.stdout.write('demo: the page is open in an Electron window\n');
      started = true;
    } else if (!started) {
      said.push(line);
      if (said.length > WINDOW_LINES_KEPT) said.shift();
    }
  });
  void waitForExit(window, read).then(({ code, signal, spawnError }) => {
    if (started || closing) return;
    // No --no-sandbox to offer: the lab passes no switches to Electron.
    const exit = { code, signal, stderr: said.join('\n'), platform: process.platform, uid: process.getuid?.(), binary, script: 'dist/electron/lab-main.js' };
    const trouble = spawnError !== null ? explainSpawnFailure(binary, spawnError) : explainElectronExit(exit);
    const address = `${url}#token=${token}`;
    const browser = openInBrowser(url, token);
    const instead = browser.opened ? `Opening the page in your browser instead (or open ${address} in one).` : `Open ${address} in a browser.`;
    process.stdout.write(troubleLine('demo', trouble, instead));
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
function openInBrowser(url: string, token: string): { opened: true } | { opened: false; how: string } {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { opened: false, how: 'open that address in a browser' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { opened: false, how: 'no display here: open that address in a browser' };
  const opener = spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [`${url}#token=${token}`], { stdio: 'ignore', detached: true });
  opener.on('error', () => {});
  opener.unref();
  return { opened: true };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.clean) {
    const removed = removeLeftovers();
    process.stdout.write(removed.length === 0 ? 'demo: nothing to clean\n' : `demo: removed ${describeLeftovers(removed)}\n`);
    return;
  }
  const leftovers = findLeftovers();
  if (leftovers.length > 0) {
    fail(`a lab that crashed left ${describeLeftovers(leftovers)} behind; remove them with: npm run demo -- --clean`, 1);
  }
  const inner = innerLab(process.env);
  // The nodes this process starts inherit its environment: they have no use for these.
  for (const name of [INNER_SOCKET, INNER_PORT, LAB_TOKEN_VARIABLE]) delete process.env[name];
  // This run's secret for the page's actions (made outside a user namespace, which opens the page).
  const token = inner?.token ?? newControlToken();
  const access = inner !== null ? 'root' : options.mode === 'loopback' ? { why: 'asked for' } : namespaceAccess();
  if (options.mode === 'netns' && typeof access === 'object') fail(`--mode netns: ${access.why}`, 1);
  if (access === 'userns') {
    // The nodes' namespaces in a user namespace of their own; the page stays on this loopback.
    let run;
    try {
      run = await runInUserNamespace([process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--no-open'], options.port, token);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fail(code === 'EADDRINUSE' ? `--port ${options.port} is in use (try --port 0)` : (error as Error).message, 1);
    }
    // The page reconnects until the lab inside is up.
    if (options.open) process.stdout.write(`demo: ${openPage(`http://127.0.0.1:${run.port}/`, token).how}\n`);
    process.exit(await run.exited);
  }
  const mode = access === 'root' ? 'netns' : 'loopback';
  const modeReason =
    mode === 'netns'
      ? `one network namespace per node on a bridge, like separate machines on a LAN${inner !== null ? ' (in an unprivileged user namespace)' : ''}`
      : `all nodes on this machine's loopback (${typeof access === 'object' ? access.why : ''}); unplugging, partitions and loss need network namespaces`;

  const hosts = NetnsLab.create(options.nodes, options.nodes, { prefix: DEMO_PREFIX, mode, retainEvents: false });
  // Each node's own dashboard, on a socket in the lab's directory, passed through by the page's server.
  const dashboards = new NodeDashboards(hosts.dir);
  const lab = new DemoLab(hosts, {
    mode,
    modeReason,
    // The lab's nodes run at the defaults; the page shows them.
    heartbeatMs: DEFAULT_LAN_TIMINGS.heartbeatMs,
    memberBeatMs: DEFAULT_LAN_TIMINGS.memberBeatMs,
    timeoutMs: DEFAULT_LAN_TIMINGS.timeoutMs,
    supports: { unplug: mode === 'netns', partition: mode === 'netns', loss: mode === 'netns' },
    dashboards,
  });
  let server: WebHost;
  try {
    server = await startLabServer(lab, {
      host: '127.0.0.1',
      ...(inner === null ? { port: options.port } : { port: inner.port, socketPath: inner.socketPath }),
      token,
      dashboards,
    });
  } catch (error) {
    await shutDown([['removing the lab', () => lab.stop(0)]], report);
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EADDRINUSE' ? `--port ${options.port} is in use (try --port 0)` : (error as Error).message, 1);
  }
  dashboards.pageAddress = { host: server.host, port: server.port };
  let page = { close: () => {}, how: '' };
  let stopping = false;
  /** Stops everything, each part even when another fails, and exits: 0, or 1 when anything failed. */
  const stop = (why: string, failed = false): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\ndemo: ${why}: stopping the nodes and removing the lab\n`);
    void shutDown(
      [
        ['closing the window', () => page.close()],
        ['closing the page server', () => server.close()],
        ['stopping the nodes and removing the lab', () => lab.stop()],
      ],
      report,
    ).then((status) => process.exit(failed ? 1 : status));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  try {
    lab.startAll();
  } catch (error) {
    report(`cannot start the nodes: ${(error as Error).message}`);
    stop('start failed', true);
    return;
  }
  process.stdout.write(`demo: ${options.nodes} nodes, ${mode} mode: ${modeReason}\n`);
  process.stdout.write(`demo: lab page on ${server.url}#token=${token}  (Ctrl-C stops everything)\n`);
  if (options.open) {
    page = openPage(server.url, token);
    process.stdout.write(`demo: ${page.how}\n`);
  }
}

function report(line: string): void {
  process.stderr.write(`demo: ${line}\n`);
}

main().catch((error: unknown) => {
  // A lab built before this failed is removed by NetnsLab's exit hook (its processes and namespaces).
  report(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
