/**
 * A stand-in for the desktop app (electron/main.ts) on the launch channel, with the real
 * channel's code. STAND_IN_MODE says how it behaves; every step is noted in STAND_IN_LOG.
 *   serve             some Chromium noise, `started`, a stdout line; quits on the quit line or
 *                     the end of its quit pipe (stdin without one), or SIGINT (as the app does), exit 0
 *   refuse            an error line, then `exiting` 2, exit 2 (a bad flag seen by the app)
 *   crash             `started`, then exit 1
 *   deaf              `started`, then ignores its stdin and SIGTERM
 *   silent            never reports (still starting); quits on the quit line, exit 0
 * Whatever the mode, it exits by itself after a minute: a failed test leaves nothing running.
 */
import { appendFileSync } from 'node:fs';
import { launchedByLauncher, reportLine, watchQuitCommands } from '../../../src/desktop/launch-channel.ts';
import { takeQuitPipe, watchQuitPipe } from '../../../src/desktop/quit-pipe.ts';

const LIFETIME_MS = 60_000;
const log = (line: string): void => appendFileSync(process.env.STAND_IN_LOG!, `${line}\n`);
log(`ran ${process.pid} ${process.argv.slice(2).join(' ')}`);
log(`channel ${launchedByLauncher(process.env) ? 'on' : 'off'}`);
setTimeout(() => process.exit(3), LIFETIME_MS);

const mode = process.env.STAND_IN_MODE ?? 'serve';
if (mode === 'refuse') {
  process.stderr.write("conclave: --id 9 is not one of the voters\n(see 'conclave run --help')\n");
  process.stderr.write(reportLine({ type: 'exiting', code: 2 }));
  process.exit(2);
}
process.stderr.write('[4242:1201/101010.123456:ERROR:bus.cc(407)] Failed to connect to the bus: stand-in noise\n');
if (mode !== 'silent') process.stderr.write(reportLine({ type: 'started' }));
process.stdout.write(`stand-in app: running ${process.argv.slice(2).join(' ')}\n`);
if (mode === 'crash') {
  process.stderr.write('stand-in app: crashing\n');
  process.exit(1);
}
if (mode === 'deaf') {
  process.on('SIGTERM', () => log('SIGTERM ignored'));
} else {
  const quit = (why: string): void => {
    log(`quitting on ${why}`);
    process.stdout.write(`stand-in app: quitting on ${why}\n`);
    process.exit(0);
  };
  const pipe = takeQuitPipe(process.env);
  if (pipe !== null) {
    // Why it quit, to tell the quit line from the end of the pipe.
    watchQuitPipe(pipe, (why) => {
      log(`quit pipe: ${why}`);
      quit('the launch channel');
    });
  } else {
    // The raw lines too, to tell the quit line from the end of the input.
    process.stdin.on('data', (chunk: Buffer | string) => log(`stdin ${JSON.stringify(String(chunk))}`));
    process.stdin.on('end', () => log('stdin ended'));
    watchQuitCommands(process.stdin, () => quit('the launch channel'));
  }
  process.on('SIGINT', () => quit('SIGINT'));
}
