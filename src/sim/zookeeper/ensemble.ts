/**
 * A simulated ZooKeeper ensemble, as the election sees one: znodes (persistent, ephemeral,
 * sequential), one-shot watches, sessions that expire by the ensemble's clock a session timeout
 * after the last thing it heard from them, and outages. It runs on the simulator's virtual time;
 * clients (client.ts) reach it over links that can be cut, slowed or left talking to a server cut
 * off from the rest (stale reads).
 */
import { ZkFailure, type ZkReply, type ZkRequest, type ZnodeStat } from '../../zookeeper/election/requests.ts';
import type { Scheduler } from '../scheduler.ts';

interface Znode {
  data: Uint8Array;
  czxid: number;
  owner: string | null;
  /** Changes to the children: ZooKeeper's cversion, the source of sequence numbers. */
  cversion: number;
}

interface Session {
  id: string;
  timeoutMs: number;
  lastHeardMs: number;
  ended: 'expired' | 'closed' | null;
  expiryCheckAtMs: number | null;
}

type Watcher = { sessionId: string; fire: () => void };

/** A copy of the tree, as a server cut off from the ensemble still sees it. */
export type TreeSnapshot = ReadonlyMap<string, Readonly<Znode>>;

export class SimEnsemble {
  up = true;
  private zxid = 0;
  private readonly znodes = new Map<string, Znode>([['/', { data: new Uint8Array(), czxid: 0, owner: null, cversion: 0 }]]);
  private readonly sessions = new Map<string, Session>();
  private nextSessionId = 1;
  private readonly existsWatches = new Map<string, Watcher[]>();
  private readonly childWatches = new Map<string, Watcher[]>();
  private readonly scheduler: Scheduler;

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler;
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  openSession(timeoutMs: number): string {
    const id = (this.nextSessionId++).toString(16).padStart(16, '0');
    this.sessions.set(id, { id, timeoutMs, lastHeardMs: this.nowMs, ended: null, expiryCheckAtMs: null });
    this.armExpiry(this.sessions.get(id)!);
    return id;
  }

  /** How a session stands: live, or why it ended. */
  sessionState(id: string): 'live' | 'expired' | 'closed' {
    return this.sessions.get(id)?.ended ?? 'live';
  }

  /** The ensemble heard from the session (a request or a ping that reached its leader). */
  touch(id: string): void {
    const session = this.sessions.get(id);
    if (session === undefined || session.ended !== null || !this.up) return;
    session.lastHeardMs = this.nowMs;
  }

  /** The client closed its session: its ephemeral znodes go at once. */
  closeSession(id: string): void {
    const session = this.sessions.get(id);
    if (session === undefined || session.ended !== null || !this.up) return;
    this.end(session, 'closed');
  }

  /** The whole ensemble goes down: no requests, no expiry. */
  fail(): void {
    this.up = false;
  }

  /** Back up: like a newly elected ZooKeeper leader, it gives every live session a full timeout again. */
  recover(): void {
    this.up = true;
    for (const session of this.sessions.values()) {
      if (session.ended !== null) continue;
      session.lastHeardMs = this.nowMs;
      this.armExpiry(session);
    }
  }

  snapshot(): TreeSnapshot {
    return new Map([...this.znodes].map(([path, znode]) => [path, { ...znode }]));
  }

  /** Carries out one request that reached the ensemble (a write, or a read served by an up-to-date server). */
  apply(sessionId: string, request: ZkRequest, onWatch: (() => void) | undefined): ZkReply<unknown> {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.ended !== null) return fail(ZkFailure.SessionExpired, 'session expired');
    this.touch(sessionId);
    const watcher = onWatch === undefined ? undefined : { sessionId, fire: onWatch };
    switch (request.op) {
      case 'ensure-path': {
        const parts = request.path.split('/').filter((part) => part !== '');
        for (let i = 1; i <= parts.length; i++) {
          const path = `/${parts.slice(0, i).join('/')}`;
          if (!this.znodes.has(path)) this.create(path, new Uint8Array(), null);
        }
        return done(null);
      }
      case 'create': {
        const parent = this.znodes.get(parentOf(request.path));
        if (parent === undefined) return fail(ZkFailure.NoNode, `no parent for ${request.path}`);
        const path = request.sequential ? `${request.path}${String(parent.cversion).padStart(10, '0')}` : request.path;
        if (this.znodes.has(path)) return fail(ZkFailure.NodeExists, `${path} exists`);
        this.create(path, request.data, sessionId);
        return done(path);
      }
      case 'set-data': {
        const znode = this.znodes.get(request.path);
        if (znode === undefined) return fail(ZkFailure.NoNode, `no ${request.path}`);
        this.zxid++;
        znode.data = request.data;
        this.trigger(this.existsWatches, request.path);
        return done(null);
      }
      case 'remove': {
        if (!this.znodes.has(request.path)) return fail(ZkFailure.NoNode, `no ${request.path}`);
        this.remove(request.path);
        return done(null);
      }
      default:
        return read(this.znodes, request, () => {
          if (watcher !== undefined) this.watch(request, watcher);
        });
    }
  }

  private watch(request: ZkRequest, watcher: Watcher): void {
    const table = request.op === 'children' ? this.childWatches : this.existsWatches;
    // As ZooKeeper does: one watch per session and path, however often it is set.
    table.set(request.path, [...(table.get(request.path) ?? []).filter((w) => w.sessionId !== watcher.sessionId), watcher]);
  }

  private create(path: string, data: Uint8Array, owner: string | null): void {
    this.zxid++;
    this.znodes.set(path, { data, czxid: this.zxid, owner, cversion: 0 });
    const parent = parentOf(path);
    this.znodes.get(parent)!.cversion++;
    this.trigger(this.existsWatches, path);
    this.trigger(this.childWatches, parent);
  }

  private remove(path: string): void {
    this.zxid++;
    this.znodes.delete(path);
    const parent = parentOf(path);
    const parentZnode = this.znodes.get(parent);
    if (parentZnode !== undefined) parentZnode.cversion++;
    this.trigger(this.existsWatches, path);
    this.trigger(this.childWatches, parent);
  }

  /** Watches fire once; those of ended sessions are gone. */
  private trigger(table: Map<string, Watcher[]>, path: string): void {
    const watchers = table.get(path);
    if (watchers === undefined) return;
    table.delete(path);
    for (const watcher of watchers) if (this.sessionState(watcher.sessionId) === 'live') watcher.fire();
  }

  private armExpiry(session: Session): void {
    const dueMs = session.lastHeardMs + session.timeoutMs;
    if (session.expiryCheckAtMs !== null && session.expiryCheckAtMs <= dueMs) return;
    session.expiryCheckAtMs = dueMs;
    this.scheduler.at(dueMs, () => {
      session.expiryCheckAtMs = null;
      if (session.ended !== null || !this.up) return;
      if (this.nowMs >= session.lastHeardMs + session.timeoutMs) this.end(session, 'expired');
      else this.armExpiry(session);
    });
  }

  private end(session: Session, how: 'expired' | 'closed'): void {
    session.ended = how;
    for (const [path, znode] of [...this.znodes]) if (znode.owner === session.id) this.remove(path);
  }
}

/** A read, from the live tree or from a cut-off server's snapshot; `registerWatch` runs if the read may watch. */
export function read(znodes: TreeSnapshot, request: ZkRequest, registerWatch: () => void): ZkReply<unknown> {
  switch (request.op) {
    case 'children': {
      if (!znodes.has(request.path)) return fail(ZkFailure.NoNode, `no ${request.path}`);
      const prefix = request.path === '/' ? '/' : `${request.path}/`;
      const names = [...znodes.keys()].filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/') && path !== prefix).map((path) => path.slice(prefix.length));
      registerWatch();
      return done(names.sort());
    }
    case 'exists': {
      const znode = znodes.get(request.path);
      registerWatch();
      return done(znode === undefined ? null : statOf(znode));
    }
    case 'get-data': {
      const znode = znodes.get(request.path);
      return done(znode === undefined ? null : { data: znode.data, stat: statOf(znode) });
    }
    default:
      return fail(ZkFailure.Other, `${request.op} is not a read`);
  }
}

function statOf(znode: Readonly<Znode>): ZnodeStat {
  return { czxid: znode.czxid, owner: znode.owner };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function done<T>(value: T): ZkReply<T> {
  return { ok: true, value };
}

function fail(failure: ZkFailure, message: string): ZkReply<never> {
  return { ok: false, failure, message };
}

export function isRead(request: ZkRequest): boolean {
  return request.op === 'children' || request.op === 'exists' || request.op === 'get-data';
}
