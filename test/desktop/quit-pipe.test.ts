/** The launcher's quit pipe: only the app that shows the run's token hears the quit line. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { describe, it } from 'node:test';
import { QUIT_PIPE_VARIABLE, QUIT_TOKEN_VARIABLE, openQuitPipe, quitPipePath, takeQuitPipe, watchQuitPipe } from '../../src/desktop/quit-pipe.ts';

/** What a connection that sends `first` receives until the launcher ends it. */
function connectAs(path: string, first: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = createConnection(path, () => socket.write(first));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

describe('quit pipe', () => {
  it('a named pipe on Windows, a Unix socket elsewhere', () => {
    assert.equal(quitPipePath('win32', 'ab12'), '\\\\.\\pipe\\conclave-quit-ab12');
    assert.equal(quitPipePath('linux', 'ab12', '/tmp'), '/tmp/conclave-quit-ab12.sock');
    assert.equal(quitPipePath('darwin', 'ab12', '/var/folders/x'), '/var/folders/x/conclave-quit-ab12.sock');
  });

  it('a quit asked for before the app connected reaches it when it does; a wrong token gets nothing', async () => {
    const pipe = await openQuitPipe();
    try {
      const path = pipe.env[QUIT_PIPE_VARIABLE]!;
      const token = pipe.env[QUIT_TOKEN_VARIABLE]!;
      pipe.quit();
      assert.equal(await connectAs(path, 'not-the-token\n'), '', 'an impostor is hung up on');
      assert.equal(await connectAs(path, `${token}\n`), 'quit\n');
      if (process.platform !== 'win32') assert.equal(existsSync(path), false, 'its file is gone once the app connected');
    } finally {
      await pipe.close();
    }
  });

  it("the app's end: the quit line, the launcher closing, or no launcher at all each quit once, saying which", async () => {
    const pipe = await openQuitPipe();
    const env: NodeJS.ProcessEnv = { ...pipe.env, OTHER: 'kept' };
    const taken = takeQuitPipe(env)!;
    assert.deepEqual(env, { OTHER: 'kept' }, 'the hooks do not inherit it');
    const whys: string[] = [];
    watchQuitPipe(taken, (why) => whys.push(why));
    await new Promise((resolve) => setTimeout(resolve, 100));
    pipe.quit();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pipe.close();
    assert.deepEqual(whys, ['the launcher asked (quit)']);

    const closing = await openQuitPipe();
    const closed: string[] = [];
    watchQuitPipe(takeQuitPipe({ ...closing.env })!, (why) => closed.push(why));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(closed, ['the launcher closed its quit pipe']);

    const gone: string[] = [];
    watchQuitPipe({ path: quitPipePath(process.platform, 'nobody-listens'), token: 'x' }, (why) => gone.push(why));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(gone, ['the launcher is gone (its quit pipe cannot be reached)']);
  });
});
