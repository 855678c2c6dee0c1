/**
 * The browser host of a node's dashboard: the built Svelte bundle, a Server-Sent Events stream
 * of the node's feed, and (only when enabled) token-guarded controls. Bound to loopback unless
 * told otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerTokenMatches } from './control-token.ts';
import type { DashboardFeed } from './feed.ts';
import { CONTROL_ACTIONS, type ControlAction, type ControlResult } from './messages.ts';
import { WebHost, reply } from './web-host.ts';

export interface DashboardServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** The controls token; null turns the controls off. */
  token: string | null;
  onControl: (action: ControlAction) => ControlResult;
  /** The built bundle; default dist/ui of this package. */
  uiDir?: string;
  /** Listen on this Unix socket instead, behind a proxy that answers as `host`:`port` (the demo lab). */
  socketPath?: string;
}

export class DashboardServer {
  private readonly web: WebHost;

  private constructor(web: WebHost) {
    this.web = web;
  }

  static async start(feed: DashboardFeed, options: DashboardServerOptions): Promise<DashboardServer> {
    const web = await WebHost.start({
      host: options.host,
      port: options.port,
      ...(options.uiDir === undefined ? {} : { uiDir: options.uiDir }),
      ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
      api: (request, response, path, host) => {
        if (path === '/api/stream') {
          host.stream(request, response, feed.hello(), (send) => feed.subscribe(send));
          return true;
        }
        if (path === '/api/status') {
          reply(response, 200, feed.snapshot());
          return true;
        }
        if (path.startsWith('/api/control/')) {
          control(request, response, path.slice('/api/control/'.length), options);
          return true;
        }
        return false;
      },
    });
    return new DashboardServer(web);
  }

  get host(): string {
    return this.web.host;
  }

  get port(): number {
    return this.web.port;
  }

  /** The address to open, for the log line. */
  get url(): string {
    return this.web.url;
  }

  close(): Promise<void> {
    return this.web.close();
  }
}

function control(request: IncomingMessage, response: ServerResponse, name: string, options: DashboardServerOptions): void {
  if (request.method !== 'POST') return reply(response, 405, { error: 'use POST' });
  if (options.token === null) return reply(response, 403, { ok: false, error: 'Controls are off: start the node with --dashboard-controls' });
  if (!bearerTokenMatches(request.headers.authorization, options.token)) {
    return reply(response, 401, { ok: false, error: 'missing or wrong control token (it is printed when the node starts)' });
  }
  if (!(CONTROL_ACTIONS as readonly string[]).includes(name)) return reply(response, 404, { ok: false, error: `no such control: ${name}` });
  const result = options.onControl(name as ControlAction);
  return reply(response, result.ok ? 200 : 409, result);
}
