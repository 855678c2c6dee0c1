/**
 * One ZooKeeper session through node-zookeeper-client, with promises, a deadline on every
 * request, and the session's state in the terms the election needs.
 *
 * node-zookeeper-client (pure JavaScript, no native build, no download at install) speaks the
 * protocol of ZooKeeper 3.4 and later. It reports a closed connection at once, but it does not
 * notice a server that has gone silent (its read timeout is commented out), so the node keeps
 * its own lease from the requests that come back (see zookeeper-node.ts).
 */
import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import { SessionState } from '../contract/zookeeper-status.ts';
import { ZkFailure, type ZkReply, type ZkRequest, type ZnodeStat } from './election/requests.ts';
import type { ZkClient } from './zk-client.ts';

export class ZkError extends Error {
  override readonly name = 'ZkError';
  /** node-zookeeper-client's exception code; 0 for a deadline that passed. */
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

export const ZK_NO_NODE = zookeeper.Exception.NO_NODE;

export interface ZkSessionOptions {
  servers: readonly string[];
  /** The session timeout asked for; the servers grant one within their bounds. */
  sessionTimeoutMs: number;
  /** How long a request may take before it counts as lost. */
  requestTimeoutMs: number;
  onState: (state: SessionState) => void;
}

export class ZkSession implements ZkClient {
  private readonly client: Client;
  private readonly options: ZkSessionOptions;
  state: SessionState = SessionState.Connecting;

  constructor(options: ZkSessionOptions) {
    this.options = options;
    // spinDelay: the pause between reconnection attempts.
    this.client = zookeeper.createClient(options.servers.join(','), { sessionTimeout: options.sessionTimeoutMs, spinDelay: 200, retries: 0 });
    const set = (state: SessionState) => () => {
      if (this.state === SessionState.Closed || this.state === state) return;
      this.state = state;
      options.onState(state);
    };
    this.client.on('connected', set(SessionState.Connected));
    this.client.on('connectedReadOnly', set(SessionState.Suspended));
    this.client.on('disconnected', set(SessionState.Suspended));
    this.client.on('expired', set(SessionState.Expired));
  }

  connect(): void {
    this.client.connect();
  }

  /** The session ID in hex, once connected. */
  get sessionId(): string | null {
    const id = this.client.getSessionId();
    return id === undefined || id.every((byte) => byte === 0) ? null : id.toString('hex');
  }

  /** The timeout the servers granted (or the one asked for, before that). */
  get timeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /**
   * Drops the connection so that the client connects again, with the same session. The client
   * has no read timeout: a server that accepted the connection but never answers (one still
   * starting, or cut off) would otherwise hold it forever.
   */
  kick(): void {
    const manager = (this.client as unknown as { connectionManager?: { socket?: { destroy(): void } } }).connectionManager;
    manager?.socket?.destroy();
  }

  close(): void {
    if (this.state === SessionState.Closed) return;
    this.state = SessionState.Closed;
    this.client.close();
  }

  /** The election's port (zk-client.ts): one request, its outcome as data. */
  request(request: ZkRequest, onReply: (reply: ZkReply<unknown>) => void, onWatch?: () => void): void {
    this.perform(request, onWatch).then(
      (value) => onReply({ ok: true, value }),
      (error: unknown) => onReply({ ok: false, failure: failureOf(error), message: (error as Error).message ?? String(error) }),
    );
  }

  private async perform(request: ZkRequest, onWatch: (() => void) | undefined): Promise<unknown> {
    switch (request.op) {
      case 'ensure-path':
        return this.mkdirp(request.path).then(() => null);
      case 'create':
        return this.createEphemeral(request.path, Buffer.from(request.data), request.sequential);
      case 'set-data':
        return this.write(request.path, Buffer.from(request.data)).then(() => null);
      case 'remove':
        return this.remove(request.path).then(() => null);
      case 'children':
        return this.children(request.path, request.watch ? onWatch : undefined);
      case 'exists':
        return this.exists(request.path, request.watch ? onWatch : undefined);
      case 'get-data':
        return this.read(request.path);
    }
  }

  mkdirp(path: string): Promise<void> {
    return this.call<void>('mkdirp', (done) => this.client.mkdirp(path, (error) => done(error)));
  }

  /** Creates an ephemeral znode (sequential if asked); resolves to its full path. */
  createEphemeral(path: string, data: Buffer, sequential: boolean): Promise<string> {
    const mode = sequential ? zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL : zookeeper.CreateMode.EPHEMERAL;
    return this.call<string>('create', (done) => this.client.create(path, data, mode, (error, created) => done(error, created)));
  }

  /**
   * Writes `data` to a znode of this session. A write goes through the ensemble's leader, which
   * refuses it once the session has expired: unlike a read, which a follower cut off from its
   * leader may still answer, a write that succeeds proves the session was alive after it was sent.
   */
  write(path: string, data: Buffer): Promise<void> {
    return this.call<void>('setData', (done) => this.client.setData(path, data, -1, (error) => done(error)));
  }

  remove(path: string): Promise<void> {
    return this.call<void>('remove', (done) => this.client.remove(path, -1, (error) => done(error)));
  }

  /** The znode's stat, or null if it does not exist; `watch` fires once when it changes. */
  async exists(path: string, watch?: () => void): Promise<ZnodeStat | null> {
    const stat = await this.call<Stat | undefined>('exists', (done) => {
      const callback = (error: unknown, found: Stat | undefined) => done(error, found);
      if (watch === undefined) this.client.exists(path, callback);
      else this.client.exists(path, watch, callback);
    });
    return stat === undefined || stat === null ? null : toStat(stat);
  }

  /** The children's names; `watch` fires once when the list changes. */
  children(path: string, watch?: () => void): Promise<string[]> {
    return this.call<string[]>('getChildren', (done) => {
      const callback = (error: unknown, children: string[]) => done(error, children);
      if (watch === undefined) this.client.getChildren(path, callback);
      else this.client.getChildren(path, watch, callback);
    });
  }

  /** Data and stat, or null if the znode does not exist. */
  async read(path: string): Promise<{ data: Buffer; stat: ZnodeStat } | null> {
    try {
      const { data, stat } = await this.call<{ data: Buffer | undefined; stat: Stat }>('getData', (done) =>
        this.client.getData(path, (error, found, stat) => done(error, { data: found, stat })),
      );
      return { data: data ?? Buffer.alloc(0), stat: toStat(stat) };
    } catch (error) {
      if (error instanceof ZkError && error.code === ZK_NO_NODE) return null;
      throw error;
    }
  }

  /**
   * One request, with node-zookeeper-client's error turned into a ZkError, and a deadline. The
   * client's callback only hands over what came back: anything that could throw (reading a Stat)
   * is done by the caller after the await, where a throw rejects the request's promise. Thrown
   * inside the client's callback, it would escape into the client's socket handling instead, and
   * the promise would wait for its deadline.
   */
  private call<T>(what: string, start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ZkError(`${what}: no answer within ${this.options.requestTimeoutMs} ms`, 0)), this.options.requestTimeoutMs);
      timer.unref();
      try {
        start((error, value) => {
          clearTimeout(timer);
          if (error === null || error === undefined) resolve(value as T);
          else reject(toZkError(what, error));
        });
      } catch (error) {
        clearTimeout(timer);
        reject(toZkError(what, error)); // the client refused the request (a bad path, a closed client)
      }
    });
  }
}

function failureOf(error: unknown): ZkFailure {
  if (!(error instanceof ZkError)) return ZkFailure.Other;
  switch (error.code) {
    case 0:
      return ZkFailure.Timeout;
    case zookeeper.Exception.NO_NODE:
      return ZkFailure.NoNode;
    case zookeeper.Exception.NODE_EXISTS:
      return ZkFailure.NodeExists;
    case zookeeper.Exception.SESSION_EXPIRED:
      return ZkFailure.SessionExpired;
    case zookeeper.Exception.CONNECTION_LOSS:
      return ZkFailure.Connection;
    default:
      return ZkFailure.Other;
  }
}

function toZkError(what: string, error: unknown): ZkError {
  if (error instanceof zookeeper.Exception) return new ZkError(`${what}: ${error.toString()}`, error.getCode());
  return new ZkError(`${what}: ${(error as Error).message ?? String(error)}`, -1);
}

/** A zxid as a number: exact below 2^53, which holds while the ensemble's epoch is below 2^21. */
export function zxidToNumber(bytes: Buffer): number {
  const value = bytes.readBigUInt64BE(0);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`zxid 0x${value.toString(16)} is beyond 2^53`);
  return Number(value);
}

function toStat(stat: Stat): ZnodeStat {
  const owner = stat.ephemeralOwner.toString('hex');
  return { czxid: zxidToNumber(stat.czxid), owner: /^0+$/.test(owner) ? null : owner };
}
