/**
 * The small HTTP host both pages are served by (a node's dashboard, the demo lab): the built
 * bundle with security headers, JSON replies, Server-Sent Event streams with a bound on slow
 * readers, and the Host check that keeps other sites' pages out when bound to loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BlockList, isIP, type AddressInfo } from 'node:net';
import { hostname as hostname_ } from 'node:os';
import { CONTENT_SECURITY_POLICY, DEFAULT_UI_DIR, readUiFile } from './static-files.ts';

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** More open streams than this are refused: each costs JSON several times a second. */
const MAX_STREAMS = 32;
/**
 * A stream whose reader has fallen this far behind is cut (the page reconnects and starts from a
 * fresh hello): a stalled tab must not make the node buffer without bound.
 */
const MAX_STREAM_BACKLOG_BYTES = 1024 * 1024;
/** Each message goes to every open page: encode it once. */
const encoded = new WeakMap<object, string>();

/** Answers a request under /api/, or returns false to let the host answer 404. */
export type ApiRoute = (request: IncomingMessage, response: ServerResponse, path: string, host: WebHost) => Promise<boolean> | boolean;

export interface WebHostOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  api: ApiRoute;
  /**
   * Answers a request outside /api/ before the bundle does, or returns false to let it (the lab
   * passes its nodes' dashboards through this way).
   */
  pages?: ApiRoute;
  /** The page `/` shows, within the bundle. */
  page?: string;
  /** The built bundle; default dist/ui of this package. */
  uiDir?: string;
  /**
   * Listen on this Unix socket instead, behind a proxy that listens on `host`:`port` (the lab in
   * a user namespace); requests are still checked against `host` and `port`.
   */
  socketPath?: string;
}

export class WebHost {
  readonly host: string;
  readonly port: number;
  private readonly server: Server;
  private readonly streams = new Set<() => void>();

  private constructor(server: Server, host: string, port: number) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  static async start(options: WebHostOptions): Promise<WebHost> {
    const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
    let self: WebHost | null = null;
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      if (!hostAllowed(request.headers.host, options.host, self!.port)) {
        // A page of another site, resolved to loopback by its DNS, must not read or drive this.
        return reply(response, 421, { error: 'unexpected Host header' });
      }
      const path = new URL(request.url ?? '/', 'http://host').pathname;
      if (path.startsWith('/api/')) {
        if (!(await options.api(request, response, path, self!))) reply(response, 404, { error: 'not found' });
        return;
      }
      if (options.pages !== undefined && (await options.pages(request, response, path, self!))) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, { error: 'method not allowed' });
      return serveFile(response, uiDir, path === '/' ? `/${options.page ?? 'index.html'}` : path);
    };
    const server = createServer((request, response) => {
      void handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) reply(response, 500, { error: (error as Error).message });
        else response.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (options.socketPath === undefined) server.listen(options.port, options.host, listening);
      else server.listen(options.socketPath, listening);
    });
    self = new WebHost(server, options.host, options.socketPath === undefined ? (server.address() as AddressInfo).port : options.port);
    return self;
  }

  /** The address to open. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    return `http://${host}:${this.port}/`;
  }

  /**
   * Answers with an event stream: `first` at once, then whatever `subscribe` delivers, until the
   * reader goes away or falls too far behind. `subscribe` returns its unsubscribe.
   */
  stream(request: IncomingMessage, response: ServerResponse, first: unknown, subscribe: (send: (message: unknown) => void) => () => void): void {
    if (request.method !== 'GET') return reply(response, 405, { error: 'method not allowed' });
    if (this.streams.size >= MAX_STREAMS) return reply(response, 503, { error: `too many open pages (${MAX_STREAMS})` });
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write('retry: 1000\n\n');
    let ended = false;
    const send = (message: unknown): void => {
      if (ended) return;
      if (response.writableLength > MAX_STREAM_BACKLOG_BYTES) {
        response.destroy();
        return end();
      }
      response.write(encodeEvent(message));
    };
    send(first);
    const unsubscribe = subscribe(send);
    const end = (): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      this.streams.delete(end);
      response.end();
    };
    this.streams.add(end);
    request.on('close', end);
  }

  async close(): Promise<void> {
    for (const end of this.streams) end();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function encodeEvent(message: unknown): string {
  if (typeof message !== 'object' || message === null) return `data: ${JSON.stringify(message)}\n\n`;
  let text = encoded.get(message);
  if (text === undefined) {
    text = `data: ${JSON.stringify(message)}\n\n`;
    encoded.set(message, text);
  }
  return text;
}

/**
 * Refuses requests whose Host names another site (DNS rebinding): a page of evil.example whose
 * name resolves to this machine must not read or drive it, and its requests carry its own name.
 * The header must be exactly `name[:port]` or `[IPv6][:port]`, with the port this host answers on.
 * Bound to loopback, only `localhost`, a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104)
 * or the bound address pass; bound wider, an IP literal (a page that reached us by IP has that IP
 * for its origin), `localhost`, or this machine's own name, alone or under `.local`.
 */
export function hostAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  const given = header === undefined ? null : parseHostHeader(header);
  if (given === null || given.port !== port) return false;
  const { hostname } = given;
  if (isLoopbackName(boundHost.toLowerCase())) return isLoopbackName(hostname) || hostname === boundHost.toLowerCase();
  const machine = hostname_().toLowerCase();
  return isIP(hostname) !== 0 || hostname === 'localhost' || hostname === machine || hostname === `${machine}.local`;
}

/** `name[:port]` or `[IPv6][:port]`, lowercased, port 80 when absent; null for anything else. */
export function parseHostHeader(header: string): { hostname: string; port: number } | null {
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9-]+(?:\.[a-z0-9-]+)*))(?::(\d{1,5}))?$/i.exec(header);
  if (match === null) return null;
  const [, ipv6, name, port] = match;
  if (ipv6 !== undefined && isIP(ipv6) !== 6) return null;
  const number = port === undefined ? 80 : Number(port);
  return number > 65535 ? null : { hostname: (ipv6 ?? name!).toLowerCase(), port: number };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** `localhost` or a loopback IP literal; never a name that merely starts like one. */
function isLoopbackName(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return host === 'localhost';
  return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

async function serveFile(response: ServerResponse, uiDir: string, path: string): Promise<void> {
  const file = await readUiFile(uiDir, path);
  if (!file.found) return reply(response, file.status, { error: file.error });
  const cache = file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'cache-control': cache, 'content-length': file.body.length });
  response.end(file.body);
}

export function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** Reads a small JSON request body; null when it is too big or not JSON. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
