/**
 * The lab without root: the same lab command runs again inside a new user, network and mount
 * namespace, where it is root over the namespaces it builds (they vanish with it, so nothing can
 * be left behind). Its page server listens on a Unix socket; this process listens on this
 * machine's loopback and passes every connection through.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

/** `unshare` flags for a user namespace with its own network and mounts, root inside. */
export const USER_NAMESPACE_FLAGS = ['--user', '--map-root-user', '--net', '--mount'] as const;
/** Shell, run first inside: a private /run lets `ip netns add` keep its mounts without touching the host's. */
export const PRIVATE_NETNS_RUN = 'mount -t tmpfs none /run && mkdir -p /run/netns';
/** In the inner lab: where to listen, and the outer address the page is reached at. */
export const INNER_SOCKET = 'CONCLAVE_LAB_SOCKET';
export const INNER_PORT = 'CONCLAVE_LAB_PORT';
/**
 * The run's action token, for the inner lab (made outside, which opens the page) and the lab
 * window (electron/lab-url.ts reads the same name): in the environment, which only this user can
 * read, unlike a command line.
 */
export const LAB_TOKEN_VARIABLE = 'CONCLAVE_LAB_TOKEN';

export function userNamespacesAllowed(): boolean {
  try {
    execFileSync('unshare', [...USER_NAMESPACE_FLAGS, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Where the inner lab is, if this process is it. */
export function innerLab(env: NodeJS.ProcessEnv): { socketPath: string; port: number; token: string } | null {
  const socketPath = env[INNER_SOCKET];
  const port = Number(env[INNER_PORT]);
  const token = env[LAB_TOKEN_VARIABLE];
  return socketPath === undefined || !Number.isInteger(port) || token === undefined || token === '' ? null : { socketPath, port, token };
}

/**
 * Listens on 127.0.0.1:`port` (0: any free port), then runs `args` (this lab command) inside the
 * namespaces. Signals are passed on. Gives the port, and the inner lab's exit status to come
 * (the socket is removed by then).
 */
export async function runInUserNamespace(args: string[], port: number, token: string): Promise<{ port: number; exited: Promise<number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cvsock-'));
  const socketPath = join(dir, 'lab.sock');
  const proxy = createServer((client) => {
    const inner = createConnection(socketPath);
    client.pipe(inner).pipe(client);
    client.on('error', () => inner.destroy());
    inner.on('error', () => client.destroy());
  });
  const listening = await listen(proxy, port);
  // The lab process itself lives in the new network namespace: give it a working loopback.
  const script = `${PRIVATE_NETNS_RUN} && ip link set lo up && exec "$0" "$@"`;
  const child = spawn('unshare', [...USER_NAMESPACE_FLAGS, 'sh', '-c', script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [INNER_SOCKET]: socketPath, [INNER_PORT]: String(listening), [LAB_TOKEN_VARIABLE]: token },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  const exited = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`demo: cannot run unshare: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
  }).finally(() => {
    proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { port: listening, exited };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
