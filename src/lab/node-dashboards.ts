/**
 * Each lab node's own dashboard, reachable from the lab page: every node serves it on a Unix
 * socket in the lab's directory (a socket reaches into a network namespace where no address from
 * this machine's loopback does), and the lab page's server passes `/nodes/<id>/…` through to it.
 * The lab also reads each node's status there, for what no event line says as it changes: the
 * quorum a node hears right now.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeStatus } from '../contract/status.ts';
import { reply } from '../dashboard/web-host.ts';

/** A status read that takes longer is given up (a stalled node answers nothing). */
const STATUS_TIMEOUT_MS = 3000;
/** Hop-by-hop headers, which a proxy must not pass on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** What the demo lab needs of its nodes' dashboards (a stand-in in the tests). */
export interface LabDashboards {
  /** The `conclave run` flags that give node `id` its dashboard. */
  flags(id: number): string[];
  /** Node `id`'s quorum as it stands, or null when it does not answer. */
  quorum(id: number): Promise<{ have: number; need: number } | null>;
  /** The link to node `id`'s dashboard, relative to the lab page. */
  link(id: number): string;
}

export class NodeDashboards implements LabDashboards {
  private readonly dir: string;
  /**
   * The lab page's address (`host:port`): requests reach a node's dashboard through the page's
   * server, so the node checks their Host header against it. Set once the server listens.
   */
  pageAddress: { host: string; port: number } | null = null;

  /** `dir`: the lab's own directory (only its owner can enter it), removed with the lab. */
  constructor(dir: string) {
    this.dir = dir;
  }

  socketPath(id: number): string {
    return join(this.dir, `n${id}.sock`);
  }

  flags(id: number): string[] {
    const page = this.page();
    // A killed run leaves its socket behind; the new run could not listen over it.
    rmSync(this.socketPath(id), { force: true });
    return ['--dashboard-socket', this.socketPath(id), '--dashboard-host', page.host, '--dashboard-port', String(page.port)];
  }

  link(id: number): string {
    return `./nodes/${id}/`;
  }

  async quorum(id: number): Promise<{ have: number; need: number } | null> {
    const page = this.page();
    return new Promise((resolve) => {
      const call = httpRequest({ socketPath: this.socketPath(id), path: '/api/status', headers: { host: `${page.host}:${page.port}` }, timeout: STATUS_TIMEOUT_MS }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('error', () => resolve(null));
        response.on('end', () => {
          try {
            const status = JSON.parse(body) as Partial<RuntimeStatus>;
            const quorum = status.backend === 'lan' ? status.quorum : undefined;
            resolve(response.statusCode === 200 && Number.isInteger(quorum?.have) && Number.isInteger(quorum?.need) ? { have: quorum!.have, need: quorum!.need } : null);
          } catch {
            resolve(null);
          }
        });
      });
      call.on('timeout', () => call.destroy());
      call.on('error', () => resolve(null));
      call.end();
    });
  }

  /**
   * Passes a request for `/nodes/<id>/…` to that node's dashboard (reading only: the lab's nodes
   * run without controls). Returns false for any other path. The lab's server has checked the
   * Host header; the node checks it again.
   */
  pass(request: IncomingMessage, response: ServerResponse, path: string, nodes: number): boolean {
    const match = /^\/nodes\/(\d+)(\/.*)?$/.exec(path);
    if (match === null) return false;
    const id = Number(match[1]);
    if (!Number.isInteger(id) || id < 1 || id > nodes) return (reply(response, 404, { error: `there is no node n${match[1]}` }), true);
    if (match[2] === undefined) {
      // The bundle's URLs are relative: the page must be at the directory's address.
      response.writeHead(308, { location: `./${id}/` }).end();
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return (reply(response, 405, { error: 'a node dashboard in the lab is read-only' }), true);
    const query = new URL(request.url ?? '/', 'http://host').search;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'authorization' && name !== 'cookie') headers[name] = value;
    }
    const upstream = httpRequest({ socketPath: this.socketPath(id), method: request.method, path: `${match[2]}${query}`, headers }, (answer) => {
      const passed: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) passed[name] = value;
      response.writeHead(answer.statusCode ?? 502, passed);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) reply(response, 502, { error: `n${id}'s dashboard does not answer: is n${id} running?` });
      else response.destroy();
    });
    // A page that goes away ends its stream at the node too.
    response.on('close', () => upstream.destroy());
    upstream.end();
    return true;
  }

  private page(): { host: string; port: number } {
    if (this.pageAddress === null) throw new Error('the lab page is not listening yet');
    return this.pageAddress;
  }
}
