/**
 * A real ZooKeeper server for the tests and the benchmark: Debian's `zookeeper` package, run on
 * this host's loopback with its own data directory and a short tick, started and stopped by PID;
 * standalone, or as a member of an ensemble (ZkEnsemble). Stopping keeps the data directory, so
 * a restart finds the sessions again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JAR = '/usr/share/java/zookeeper.jar';
const LIVE = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of LIVE) child.kill('SIGKILL');
});

/** Why the ZooKeeper tests cannot run here, or null when they can. */
export function zooKeeperMissing(): string | null {
  if (!existsSync(JAR)) return `ZooKeeper is not installed (${JAR}); apt-get install -y zookeeper`;
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'java is not installed; apt-get install -y zookeeper brings it';
  }
  return null;
}

export interface ZkServerOptions {
  /** ZooKeeper's tick: sessions may last 2 to 20 ticks, and expiry is checked once per tick. */
  tickMs?: number;
  /** As member `myid` (from 1) of an ensemble: its client port and every member's `server.N` line. */
  ensemble?: { myid: number; clientPort: number; servers: string[] };
}

export class ZkServer {
  readonly dir: string;
  readonly port: number;
  readonly tickMs: number;
  private child: ChildProcess | null = null;
  log = '';

  private constructor(dir: string, port: number, tickMs: number) {
    this.dir = dir;
    this.port = port;
    this.tickMs = tickMs;
  }

  /** Writes the configuration and starts the server; resolves once it answers "imok". */
  static async start(options: ZkServerOptions = {}): Promise<ZkServer> {
    const dir = mkdtempSync(join(tmpdir(), 'conclave-zk-'));
    const port = options.ensemble?.clientPort ?? (await freePort());
    const server = new ZkServer(dir, port, options.tickMs ?? 200);
    writeZooConfig(dir, { tickMs: server.tickMs, address: '127.0.0.1', clientPort: port, ...(options.ensemble === undefined ? {} : { ensemble: options.ensemble }) });
    try {
      await server.resume();
    } catch (error) {
      server.destroy();
      throw error;
    }
    return server;
  }

  /** A backend URL for this server. */
  url(path: string, mode: 'bully' | 'fair'): string {
    return `zookeeper://127.0.0.1:${this.port}${path}?mode=${mode}`;
  }

  /** Starts the server (again, on the same port and data); resolves once it answers. */
  async resume(): Promise<void> {
    if (this.child !== null) throw new Error('ZooKeeper is running');
    const [command, ...args] = zooKeeperCommand(join(this.dir, 'zoo.cfg'));
    const child = spawn(command!, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.dir,
    });
    LIVE.add(child);
    this.child = child;
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString('utf8')).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', () => {
      LIVE.delete(child);
      if (this.child === child) this.child = null;
    });
    const started = Date.now();
    // "Mode: standalone", "leader" or "follower" once it serves; an ensemble member waits for a quorum.
    while (!/Mode: /.test(await fourLetters(this.port, 'srvr'))) {
      if (this.child === null) throw new Error(`ZooKeeper exited at start:\n${this.log}`);
      if (Date.now() - started > 30_000) throw new Error(`ZooKeeper did not answer within 30 s:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops the server with `signal` (SIGKILL: a crash); resolves once it exited. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** 'standalone', 'leader' or 'follower'; '' when it does not serve. */
  async mode(): Promise<string> {
    return /Mode: (\w+)/.exec(await fourLetters(this.port, 'srvr'))?.[1] ?? '';
  }

  get running(): boolean {
    return this.child !== null;
  }

  destroy(): void {
    this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
}

/** The command line of a ZooKeeper server. QuorumPeerMain runs a standalone one too, when the configuration names no other member. */
export function zooKeeperCommand(configPath: string): string[] {
  return ['java', '-Xmx256m', '-XX:+UseSerialGC', '-cp', JAR, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', configPath];
}

/**
 * `<dir>/zoo.cfg`, with the data in `<dir>/data` (and its `myid` for an ensemble member). The
 * server listens on `address:clientPort`; a follower cut off from its leader keeps serving for
 * `syncLimit` ticks (default 5).
 */
export function writeZooConfig(
  dir: string,
  options: { tickMs: number; address: string; clientPort: number; syncLimit?: number; ensemble?: { myid: number; servers: string[] } },
): void {
  const config = [
    `tickTime=${options.tickMs}`,
    `dataDir=${join(dir, 'data')}`,
    `clientPort=${options.clientPort}`,
    `clientPortAddress=${options.address}`,
    'maxClientCnxns=200',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,mntr',
  ];
  if (options.ensemble !== undefined) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'myid'), `${options.ensemble.myid}\n`);
    config.push('initLimit=20', `syncLimit=${options.syncLimit ?? 5}`, ...options.ensemble.servers);
  }
  writeFileSync(join(dir, 'zoo.cfg'), `${config.join('\n')}\n`);
}

/** Three (or `size`) ZooKeeper servers on loopback forming one ensemble. */
export class ZkEnsemble {
  readonly servers: ZkServer[];

  private constructor(servers: ZkServer[]) {
    this.servers = servers;
  }

  /** Starts every member; resolves once all of them serve (a quorum has elected its leader). */
  static async start(size = 3, options: { tickMs?: number } = {}): Promise<ZkEnsemble> {
    const ports = await Promise.all(Array.from({ length: size * 3 }, () => freePort()));
    const servers = Array.from({ length: size }, (_, i) => `server.${i + 1}=127.0.0.1:${ports[3 * i + 1]}:${ports[3 * i + 2]}`);
    const started = await Promise.allSettled(
      Array.from({ length: size }, (_, i) => ZkServer.start({ ...options, ensemble: { myid: i + 1, clientPort: ports[3 * i]!, servers } })),
    );
    const members = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (members.length < size) {
      for (const member of members) member.destroy();
      throw (started.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
    }
    return new ZkEnsemble(members);
  }

  /** A backend URL naming every member. */
  url(path: string, mode: 'bully' | 'fair'): string {
    return `zookeeper://${this.servers.map((server) => `127.0.0.1:${server.port}`).join(',')}${path}?mode=${mode}`;
  }

  /** The member that is the ensemble's leader now, if any. */
  async leader(): Promise<ZkServer | null> {
    for (const server of this.servers) if ((await server.mode()) === 'leader') return server;
    return null;
  }

  destroy(): void {
    for (const server of this.servers) server.destroy();
  }
}

/** Sends one of ZooKeeper's four-letter commands; resolves to the answer, or '' on failure. */
export function fourLetters(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write(command));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
