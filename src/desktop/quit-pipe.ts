/**
 * The quit channel from `npm start` to the desktop app, on a local pipe instead of the app's
 * stdin: Electron replaces `process.stdin` on Windows with a stream that has already ended
 * (electron/electron lib/common/init.ts: `if (process.platform === 'win32') { const stdin = new
 * Readable(); stdin.push(null); Object.defineProperty(process, 'stdin', …) }`), so a quit read
 * from stdin fires before the app is ready. A named pipe on Windows (\\.\pipe\…) and a Unix
 * socket elsewhere: both local only, neither a TCP port that a firewall asks about.
 *
 * The launcher listens and passes the path and a per-run token in the app's environment; the app
 * connects and sends the token first, and the launcher talks only to the connection that did.
 * Then the protocol is launch-channel.ts's: `quit` lines, and the end of the connection (the
 * launcher died) means the same. Anything else on the pipe is ignored.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUIT_COMMAND, watchQuitCommands } from './launch-channel.ts';

export const QUIT_PIPE_VARIABLE = 'CONCLAVE_QUIT_PIPE';
export const QUIT_TOKEN_VARIABLE = 'CONCLAVE_QUIT_TOKEN';
/** A connection that has not shown the token by then is not the app. */
const TOKEN_WAIT_MS = 5_000;

/** Where this run's pipe lives: a named pipe on Windows, a Unix socket in the temporary directory elsewhere. */
export function quitPipePath(platform: NodeJS.Platform, id: string, dir = tmpdir()): string {
  return platform === 'win32' ? `\\\\.\\pipe\\conclave-quit-${id}` : join(dir, `conclave-quit-${id}.sock`);
}

export interface QuitPipe {
  /** For the app's environment. */
  readonly env: Record<string, string>;
  /** Sends the quit line now, or as soon as the app has connected. */
  quit(): void;
  close(): Promise<void>;
}

/** The launcher's end: listens until closed. */
export async function openQuitPipe(platform: NodeJS.Platform = process.platform): Promise<QuitPipe> {
  const id = randomBytes(8).toString('hex');
  const token = randomBytes(24).toString('hex');
  const path = quitPipePath(platform, id);
  let app: Socket | null = null;
  let quitAsked = false;
  const sendQuit = (): void => {
    if (quitAsked && app !== null && !app.destroyed) app.end(`${QUIT_COMMAND}\n`);
  };
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.setTimeout(TOKEN_WAIT_MS, () => socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    const onData = (chunk: string): void => {
      received += chunk;
      const newline = received.indexOf('\n');
      if (newline < 0) {
        if (received.length > token.length + 2) socket.destroy();
        return;
      }
      socket.off('data', onData);
      socket.setTimeout(0);
      if (app !== null || !sameToken(received.slice(0, newline).trim(), token)) return void socket.destroy();
      app = socket;
      // Nobody else needs to find it, and a launcher killed from now on leaves no file behind.
      if (platform !== 'win32') rmSync(path, { force: true });
      sendQuit();
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    env: { [QUIT_PIPE_VARIABLE]: path, [QUIT_TOKEN_VARIABLE]: token },
    quit() {
      quitAsked = true;
      sendQuit();
    },
    close() {
      const connected = app as Socket | null;
      connected?.destroy();
      // Closing the server removes the Unix socket's file (libuv unlinks it).
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The pipe's path and token in `env`, taken out of it (the node's hooks inherit the environment). */
export function takeQuitPipe(env: NodeJS.ProcessEnv): { path: string; token: string } | null {
  const path = env[QUIT_PIPE_VARIABLE];
  const token = env[QUIT_TOKEN_VARIABLE];
  delete env[QUIT_PIPE_VARIABLE];
  delete env[QUIT_TOKEN_VARIABLE];
  return path && token ? { path, token } : null;
}

/**
 * The app's end: calls `onQuit` once, on a quit line, or when the pipe ends or cannot be reached
 * (the launcher is gone), as the stdin channel did. `why` says which, for the log.
 */
export function watchQuitPipe(pipe: { path: string; token: string }, onQuit: (why: string) => void): void {
  const socket = createConnection(pipe.path);
  // A Unix socket's file is needed only to connect: gone then, a killed launcher leaves none.
  const removeFile = (): void => {
    if (process.platform !== 'win32') rmSync(pipe.path, { force: true });
  };
  let connected = false;
  socket.once('connect', () => {
    connected = true;
    socket.write(`${pipe.token}\n`);
    removeFile();
  });
  let done = false;
  const quit = (why: string): void => {
    if (done) return;
    done = true;
    onQuit(why);
  };
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (connected) return quit(`the launcher is gone (its quit pipe failed: ${error.code ?? error.message})`);
    if (error.code === 'ECONNREFUSED') removeFile();
    quit('the launcher is gone (its quit pipe cannot be reached)');
  });
  watchQuitCommands(socket, () => quit(socket.readableEnded ? 'the launcher closed its quit pipe' : 'the launcher asked (quit)'));
}
