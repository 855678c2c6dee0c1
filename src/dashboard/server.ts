/**
 * The browser host of the dashboard: serves the built Svelte bundle, a Server-Sent Events stream
 * of the node's feed, and (only when enabled) token-guarded controls. Bound to loopback unless
 * told otherwise.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardFeed } from './feed.ts';
import { CONTROL_ACTIONS, type ControlAction, type ControlResult } from './messages.ts';
import { CONTENT_SECURITY_POLICY, DEFAULT_UI_DIR, readUiFile } from './static-files.ts';

export interface DashboardServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** The controls token; null turns the controls off. */
  token: string | null;
  onControl: (action: ControlAction) => ControlResult;
  /** The built bundle; default dist/ui of this package. */
  uiDir?: string;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** More open streams than this are refused: each costs a timer's worth of JSON 5 times a second. */
const MAX_STREAMS = 32;
/** A stream whose reader has fallen this far behind is closed; the page reconnects with a hello. */
const MAX_STREAM_BACKLOG_BYTES = 8 * 1024 * 1024;

export class DashboardServer {
  readonly host: string;
  readonly port: number;
  private readonly server: Server;
  private readonly streams = new Set<() => void>();

  private constructor(server: Server, host: string) {
    this.server = server;
    this.host = host;
    this.port = (server.address() as AddressInfo).port;
  }

  static async start(feed: DashboardFeed, options: DashboardServerOptions): Promise<DashboardServer> {
    const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
    let self: DashboardServer | null = null;
    const server = createServer((request, response) => {
      void handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) reply(response, 500, { error: (error as Error).message });
        else response.destroy();
      });
    });
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      if (!hostAllowed(request.headers.host, options.host, self!.port)) {
        // A page of another site, resolved to loopback by its DNS, must not read the node's state.
        return reply(response, 421, { error: 'unexpected Host header' });
      }
      const path = new URL(request.url ?? '/', 'http://dashboard').pathname;
      if (path === '/api/stream') return self!.stream(request, response, feed);
      if (path === '/api/status') return reply(response, 200, feed.snapshot());
      if (path.startsWith('/api/control/')) return control(request, response, path.slice('/api/control/'.length), options);
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, { error: 'method not allowed' });
      return serveFile(response, uiDir, path);
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    self = new DashboardServer(server, options.host);
    return self;
  }

  /** The address to open, for the log line. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return `http://${host}:${this.port}/`;
  }

  async close(): Promise<void> {
    for (const end of this.streams) end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private stream(request: IncomingMessage, response: ServerResponse, feed: DashboardFeed): void {
    if (request.method !== 'GET') return reply(response, 405, { error: 'method not allowed' });
    if (this.streams.size >= MAX_STREAMS) return reply(response, 503, { error: `too many open dashboards (${MAX_STREAMS})` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write('retry: 1000\n\n');
    const write = (message: unknown): void => {
      if (response.writableLength > MAX_STREAM_BACKLOG_BYTES) return end();
      response.write(`data: ${JSON.stringify(message)}\n\n`);
    };
    write(feed.hello());
    const unsubscribe = feed.subscribe(write);
    const end = (): void => {
      unsubscribe();
      this.streams.delete(end);
      response.end();
    };
    this.streams.add(end);
    request.on('close', end);
  }
}

function hostAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  if (!isLoopback(boundHost)) return true;
  return header === `127.0.0.1:${port}` || header === `localhost:${port}` || header === `[::1]:${port}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

async function control(request: IncomingMessage, response: ServerResponse, name: string, options: DashboardServerOptions): Promise<void> {
  if (request.method !== 'POST') return reply(response, 405, { error: 'use POST' });
  if (options.token === null) return reply(response, 403, { ok: false, error: 'Controls are off: start the node with --dashboard-controls' });
  if (!tokenMatches(request.headers.authorization, options.token)) {
    return reply(response, 401, { ok: false, error: 'missing or wrong control token (it is printed when the node starts)' });
  }
  if (!(CONTROL_ACTIONS as readonly string[]).includes(name)) return reply(response, 404, { ok: false, error: `no such control: ${name}` });
  const result = options.onControl(name as ControlAction);
  return reply(response, result.ok ? 200 : 409, result);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function serveFile(response: ServerResponse, uiDir: string, path: string): Promise<void> {
  const file = await readUiFile(uiDir, path);
  if (!file.found) return reply(response, file.status, { error: file.error });
  const cache = file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'cache-control': cache, 'content-length': file.body.length });
  response.end(file.body);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}
