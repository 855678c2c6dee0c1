/** The lab page's host: the bundle's lab.html, the lab's snapshots as a stream, and its actions. */
import { WebHost, readJsonBody, reply } from '../dashboard/web-host.ts';
import type { DemoLab } from './demo-lab.ts';
import type { LabAction } from './messages.ts';

/**
 * A header a cross-site form cannot send, and that makes a cross-site script's request need a
 * CORS preflight this server never grants: only the lab's own page can drive the lab.
 */
export const LAB_ACTION_HEADER = 'x-conclave-lab';
const MAX_ACTION_BYTES = 4096;

/** `socketPath`: listen there, behind a proxy on `host`:`port` (see user-namespace.ts). */
export function startLabServer(lab: DemoLab, host: string, port: number, socketPath?: string): Promise<WebHost> {
  return WebHost.start({
    host,
    port,
    ...(socketPath === undefined ? {} : { socketPath }),
    page: 'lab.html',
    api: async (request, response, path, web) => {
      if (path === '/api/lab/stream') {
        web.stream(request, response, lab.snapshot(), (send) => lab.subscribe(send));
        return true;
      }
      if (path !== '/api/lab/action') return false;
      if (request.method !== 'POST') return (reply(response, 405, { ok: false, error: 'use POST' }), true);
      if (request.headers[LAB_ACTION_HEADER] !== '1' || !request.headers['content-type']?.startsWith('application/json')) {
        return (reply(response, 403, { ok: false, error: `actions need the ${LAB_ACTION_HEADER} header and a JSON body` }), true);
      }
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
