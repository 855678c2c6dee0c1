/**
 * One racer of test/runtime/lock-race.test.ts, as its own process: on `go <dir> <atMs>` it waits
 * for that wall-clock moment (so that all racers start together), opens the state file there and
 * answers `won` or `lost <message>`; a winner holds the lock until `release`.
 */
import { createInterface } from 'node:readline';
import { StateFile } from '../../src/runtime/state-file.ts';

const ID = { nodeId: 3, voters: [1, 2, 3] };
let held: StateFile | null = null;

async function race(dir: string, atMs: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - Date.now() - 5)));
  while (Date.now() < atMs); // the last milliseconds spun, for a start within a fraction of one
  try {
    held = (await StateFile.open(dir, ID)).store;
    return 'won';
  } catch (error) {
    return `lost ${(error as Error).message}`;
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, dir, at] = line.split(' ');
  if (command === 'go') {
    void race(dir!, Number(at)).then((answer) => process.stdout.write(`${answer}\n`));
  } else if (command === 'release') {
    const store = held;
    held = null;
    void (store?.close() ?? Promise.resolve()).then(() => process.stdout.write('released\n'));
  }
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');
