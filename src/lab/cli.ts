#!/usr/bin/env node
/**
 * `npm run demo`: the lab on one machine. N real nodes, each in a network namespace of its own on
 * a bridge (as root), or all on this machine's loopback (otherwise); one lab page to watch and
 * break them. Cleans up on exit and on Ctrl-C; refuses to start over a crashed run's leftovers.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEFAULT_LAN_TIMINGS } from '../core/index.ts';
import { openPage } from '../desktop/page-window.ts';
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

/** One line of the demo's own output. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
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
    if (options.open) process.stdout.write(`demo: ${openPage(`http://127.0.0.1:${run.port}/`, token, 'demo', say).how}\n`);
    process.exit(await run.exited);
  }
  const mode = access === 'root' ? 'netns' : 'loopback';
  const modeReason =
    mode === 'netns'
      ? `one network namespace per node on a bridge, like separate machines on a LAN${inner !== null ? ' (in an unprivileged user namespace)' : ''}`
      : `all nodes on this machine's loopback (${typeof access === 'object' ? access.why : ''}); unplugging, partitions and loss need network namespaces`;

  /** Set on the first signal: Ctrl-C reaches the nodes too (one process group), and they resign at once. */
  let stopping = false;
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
    onAgreed: (text) => {
      if (!stopping) process.stdout.write(`demo: ${text}\n`);
    },
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
    page = openPage(server.url, token, 'demo', say);
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
