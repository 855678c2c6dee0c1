/**
 * One running node as the command line and the desktop app run it: the node, its hooks, its log
 * lines and, when asked for, its dashboard server. Start errors are thrown for the caller to
 * turn into an exit status.
 */
import type { DashboardFeed } from '../dashboard/feed.ts';
import type { DashboardServer } from '../dashboard/server.ts';
import type { DetailsOf, EventKind, NodeEvent, NodeEventOf } from '../contract/events.ts';
import { eventLine } from '../contract/event-line.ts';
import { eventStateOf } from '../contract/status-quorum.ts';
import type { Elector } from '../contract/elector.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';
import { startNode } from './start-node.ts';
import { HookRunner, type HookName } from './hooks.ts';
import { UsageError, type DashboardSettings, type RunSettings } from './run-command.ts';
import { flagOf } from './option-flags.ts';

export interface Session {
  node: Elector;
  dashboard: DashboardServer | null;
  /** Resigns if leading, stops the node and the dashboard, and waits for running hooks. */
  stop(): Promise<void>;
}

export class DashboardStartError extends ConclaveError {
  override readonly name = 'DashboardStartError';
  readonly code = ConclaveErrorCode.DashboardStart;
}

export async function startSession(settings: RunSettings, print: (event: NodeEvent) => void, onFatal: () => void): Promise<Session> {
  const node = await startNode(settings.node);
  const hooks = new HookRunner(settings.hookTimeoutMs, (result) => print(line(node, 'hook', result)));
  const hook = (name: HookName, command: string | undefined, term: number, leader: number | null): void => {
    if (command === undefined) return;
    const env = { CONCLAVE_ID: String(node.id), CONCLAVE_LEADER: leader === null ? '' : String(leader), CONCLAVE_TERM: String(term) };
    hooks.run({ hook: name, command, term, env });
  };
  node.on('event', (event) => {
    print(event);
    if (event.event === 'fatal') void hooks.idle().then(onFatal);
  });
  node.on('elected', ({ term }) => hook('on-elected', settings.onElected, term, node.id));
  // Runs as soon as the lease is gone: other nodes wait out their promise before they can win.
  node.on('demoted', ({ term }) => hook('on-demoted', settings.onDemoted, term, null));

  let dashboard: DashboardServer | null = null;
  let feed: DashboardFeed | null = null;
  if (settings.dashboard !== null) {
    try {
      ({ dashboard, feed } = await serve(node, settings.dashboard, print));
    } catch (error) {
      await node.stop();
      throw error;
    }
  }
  return {
    node,
    dashboard,
    async stop() {
      await node.stop();
      feed?.close();
      await dashboard?.close();
      await hooks.idle(); // a demotion hook started by the resignation finishes (bounded)
    },
  };
}

async function serve(node: Elector, settings: DashboardSettings, print: (event: NodeEvent) => void): Promise<{ dashboard: DashboardServer; feed: DashboardFeed }> {
  // Loaded only when asked for: a node without a dashboard (most of a lab's) starts faster.
  const [{ newControlToken }, { applyControl }, { DashboardFeed }, { DashboardServer }] = await Promise.all([
    import('../dashboard/control-token.ts'),
    import('../dashboard/controls.ts'),
    import('../dashboard/feed.ts'),
    import('../dashboard/server.ts'),
  ]);
  // 128 bits from the OS: the token stands between the LAN and this node's controls.
  const token = settings.controls ? newControlToken() : null;
  const feed = new DashboardFeed(node, { controls: { enabled: settings.controls, needsToken: true } });
  let dashboard: DashboardServer;
  try {
    dashboard = await DashboardServer.start(feed, {
      host: settings.host,
      port: settings.port,
      token,
      onControl: (action) => applyControl(node, action),
      ...(settings.socketPath === undefined ? {} : { socketPath: settings.socketPath }),
    });
  } catch (error) {
    feed.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (settings.socketPath !== undefined && code !== undefined) {
      throw new DashboardStartError(`--dashboard-socket ${settings.socketPath}: cannot listen there (${code})`, { cause: error });
    }
    if (code === 'EADDRINUSE') throw new DashboardStartError(`--dashboard-port ${settings.port}: the port is in use`, { cause: error });
    if (code === 'EACCES') throw new DashboardStartError(`--dashboard-port ${settings.port}: not allowed to listen there`, { cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`${flagOf('dashboardHost')} ${settings.host}: not an address of this machine`);
    }
    throw error;
  }
  const url = dashboard.url;
  print(line(node, 'dashboard', token === null ? { url, controls: false } : { url, controls: true, token, openUrl: `${url}#token=${token}` }));
  return { dashboard, feed };
}

/** A line of the session's own (hook, dashboard), with the node's state from its status. */
function line<K extends EventKind>(node: Elector, kind: K, details: DetailsOf<K>): NodeEventOf<K> {
  // A LAN node's quorum, voters included: these lines have always carried it (docs/events.md).
  return eventLine(eventStateOf(node.status()), kind, details);
}
