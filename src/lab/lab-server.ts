/** The lab page's host: the bundle's lab.html, the lab's snapshots as a stream, and its actions. */
import { bearerTokenMatches } from '../dashboard/control-token.ts';
import { WebHost, readJsonBody, reply } from '../dashboard/web-host.ts';
import type { DemoLab } from './demo-lab.ts';
import type { LabAction } from './messages.ts';
import type { NodeDashboards } from './node-dashboards.ts';

const MAX_ACTION_BYTES = 4096;

export interface LabServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /**
   * This run's secret (newControlToken): every action must carry it as `Authorization: Bearer`.
   * The page gets it from its address's `#token=` fragment, which only whoever started the lab has.
   */
  token: string;
  /** Listen there, behind a proxy on `host`:`port` (see user-namespace.ts). */
  socketPath?: string;
  /** The nodes' own dashboards, passed through under /nodes/<id>/. */
  dashboards?: NodeDashboards;
  /** The built bundle; default dist/ui of this package. */
  uiDir?: string;
}

export function startLabServer(lab: DemoLab, options: LabServerOptions): Promise<WebHost> {
  const { dashboards } = options;
  return WebHost.start({
    host: options.host,
    port: options.port,
    ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
    ...(options.uiDir === undefined ? {} : { uiDir: options.uiDir }),
    page: 'lab.html',
    ...(dashboards === undefined ? {} : { pages: (request, response, path) => dashboards.pass(request, response, path, lab.voters) }),
    api: async (request, response, path, web) => {
      if (path === '/api/lab/stream') {
        web.stream(request, response, lab.snapshot(), (send) => lab.subscribe(send));
        return true;
      }
      if (path !== '/api/lab/action') return false;
      if (request.method !== 'POST') return (reply(response, 405, { ok: false, error: 'use POST' }), true);
      if (!bearerTokenMatches(request.headers.authorization, options.token)) {
        return (reply(response, 401, { ok: false, error: 'missing or wrong lab token: open the address npm run demo printed (it ends in #token=…)' }), true);
      }
      if (!request.headers['content-type']?.startsWith('application/json')) return (reply(response, 415, { ok: false, error: 'an action is a JSON body' }), true);
      const action = parseLabAction(await readJsonBody(request, MAX_ACTION_BYTES));
      if (action === null) return (reply(response, 400, { ok: false, error: 'not a lab action' }), true);
      const result = lab.act(action);
      reply(response, result.ok ? 200 : 409, result);
      return true;
    },
  });
}

/** The action in a request body, checked field by field; null when it is not one. */
export function parseLabAction(body: unknown): LabAction | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const id = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
  switch (b.action) {
    case 'kill':
    case 'restart':
    case 'unplug':
    case 'replug':
      return id(b.node) ? { action: b.action, node: b.node } : null;
    case 'stall':
      return id(b.node) && Number.isInteger(b.ms) ? { action: 'stall', node: b.node, ms: b.ms as number } : null;
    case 'partition':
      return Array.isArray(b.groups) && b.groups.every((g) => Array.isArray(g) && g.every(id)) ? { action: 'partition', groups: b.groups as number[][] } : null;
    case 'loss':
      return Number.isInteger(b.percent) ? { action: 'loss', percent: b.percent as number } : null;
    case 'heal':
      return { action: 'heal' };
    default:
      return null;
  }
}
