#!/usr/bin/env node
/**
 * `npm run demo`: the lab on one machine. N real nodes, each in a network namespace of its own on
 * a bridge (as root), or all on this machine's loopback (otherwise); one lab page to watch and
 * break them. Cleans up on exit and on Ctrl-C; refuses to start over a crashed run's leftovers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { findElectron } from '../cli/electron-binary.ts';
import { DemoLab } from './demo-lab.ts';
import { startLabServer } from './lab-server.ts';
import { describeLeftovers, findLeftovers, removeLeftovers, DEMO_PREFIX } from './leftovers.ts';
import { NetnsLab } from './netns-lab.ts';
import { innerLab, runInUserNamespace, userNamespacesAllowed } from './user-namespace.ts';

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
const HEARTBEAT_MS = 100;
const TIMEOUT_MS = 1000;

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
 */
function openPage(url: string): { close: () => void; how: string } {
  const electron = findElectron(process.env, { download: false });
  if ('binary' in electron) {
    const window = spawn(electron.binary, [LAB_WINDOW, '--url', url], { stdio: 'ignore' });
    window.on('error', () => {});
    return { close: () => window.exitCode === null && window.kill('SIGTERM'), how: 'the page opens in an Electron window' };
  }
  const none = { close: () => {} };
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { ...none, how: 'open that address in a browser' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { ...none, how: 'no display here: open that address in a browser' };
  const opener = spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [url], { stdio: 'ignore', detached: true });
  opener.on('error', () => {});
  opener.unref();
  return { ...none, how: `the page opens in your browser (no Electron window: ${electron.why})` };
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
  const access = inner !== null ? 'root' : options.mode === 'loopback' ? { why: 'asked for' } : namespaceAccess();
  if (options.mode === 'netns' && typeof access === 'object') fail(`--mode netns: ${access.why}`, 1);
  if (access === 'userns') {
    // The nodes' namespaces in a user namespace of their own; the page stays on this loopback.
    let run;
    try {
      run = await runInUserNamespace([process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2), '--no-open'], options.port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fail(code === 'EADDRINUSE' ? `--port ${options.port} is in use (try --port 0)` : (error as Error).message, 1);
    }
    // The page reconnects until the lab inside is up.
    if (options.open) process.stdout.write(`demo: ${openPage(`http://127.0.0.1:${run.port}/`).how}\n`);
    process.exit(await run.exited);
  }
  const mode = access === 'root' ? 'netns' : 'loopback';
  const modeReason =
    mode === 'netns'
      ? `one network namespace per node on a bridge, like separate machines on a LAN${inner !== null ? ' (in an unprivileged user namespace)' : ''}`
      : `all nodes on this machine's loopback (${typeof access === 'object' ? access.why : ''}); unplugging, partitions and loss need network namespaces`;

  const hosts = NetnsLab.create(options.nodes, options.nodes, { prefix: DEMO_PREFIX, mode, retainEvents: false });
  const lab = new DemoLab(hosts, {
    mode,
    modeReason,
    heartbeatMs: HEARTBEAT_MS,
    timeoutMs: TIMEOUT_MS,
    supports: { unplug: mode === 'netns', partition: mode === 'netns', loss: mode === 'netns' },
  });
  let server;
  try {
    server = inner === null ? await startLabServer(lab, '127.0.0.1', options.port) : await startLabServer(lab, '127.0.0.1', inner.port, inner.socketPath);
  } catch (error) {
    await lab.stop(0);
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'EADDRINUSE' ? `--port ${options.port} is in use (try --port 0)` : (error as Error).message, 1);
  }
  let page = { close: () => {}, how: '' };
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\ndemo: ${signal}: stopping the nodes and removing the lab\n`);
    void (async () => {
      page.close();
      await server.close();
      await lab.stop();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  lab.startAll();
  process.stdout.write(`demo: ${options.nodes} nodes, ${mode} mode: ${modeReason}\n`);
  process.stdout.write(`demo: lab page on ${server.url}  (Ctrl-C stops everything)\n`);
  if (options.open) {
    page = openPage(server.url);
    process.stdout.write(`demo: ${page.how}\n`);
  }
}

void main();
