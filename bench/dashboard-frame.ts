/**
 * Frame time of a dashboard update at 5, 50 and 100 peers, in Debian's Chromium. A stand-in node
 * (synthetic snapshots, a heartbeat from every peer every 100 ms) feeds the real DashboardFeed and
 * DashboardServer on loopback; the page measures each update from the moment a snapshot is applied
 * until the frame that shows it has been rendered (src/ui/lib/update-timing.ts), and Chromium's
 * own counters give the main thread's busy time. Prints numbers; passes or fails nothing.
 *
 *   npm run bench:dashboard [-- --seconds 10]
 */
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { DashboardFeed } from '../src/dashboard/feed.ts';
import { DashboardServer } from '../src/dashboard/server.ts';
import type { RuntimeStatus } from '../src/contract/status.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../test/net/browser.ts';
import { syntheticStatus } from '../test/ui/fixtures.ts';
import { chromium } from 'playwright';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const SECONDS = Number(values.seconds);
if (!Number.isFinite(SECONDS) || SECONDS < 1 || SECONDS > 600) {
  process.stderr.write(`bench: --seconds must be 1 to 600, got "${values.seconds}"\n`);
  process.exit(2);
}
const missing = chromiumMissing();
if (missing !== null) {
  process.stderr.write(`bench: ${missing}\n`);
  process.exit(1);
}

/** A node that is not there: fresh snapshots with jittering timings, and heartbeats on time. */
class StandInNode extends EventEmitter {
  readonly peers: number;
  private calls = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(peers: number) {
    super();
    this.peers = peers;
    this.timer = setInterval(() => {
      const now = Date.now();
      for (let id = 2; id <= this.peers + 1; id++) this.emit('heartbeat', { from: id, atMs: now - Math.floor(Math.random() * 20) });
    }, 100);
  }
  status(): RuntimeStatus {
    return syntheticStatus({ peers: this.peers, seed: ++this.calls });
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const rows: string[] = [];
try {
  for (const peers of [5, 50, 100]) {
    const node = new StandInNode(peers);
    const feed = new DashboardFeed(node, { controls: { enabled: false, needsToken: true } });
    const server = await DashboardServer.start(feed, { host: '127.0.0.1', port: 0, token: null, onControl: () => ({ ok: false }) });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    try {
      await page.goto(server.url);
      // A minute of history arrives with the first message; let the page settle with it.
      await page.waitForTimeout(3000);
      await page.evaluate(() => performance.clearMeasures('conclave-update'));
      const before = await cdp.send('Performance.getMetrics');
      await page.waitForTimeout(SECONDS * 1000);
      const after = await cdp.send('Performance.getMetrics');
      const durations = (await page.evaluate(() => performance.getEntriesByName('conclave-update').map((e) => e.duration))).sort((a, b) => a - b);
      const metric = (name: string): number =>
        (after.metrics.find((m) => m.name === name)?.value ?? 0) - (before.metrics.find((m) => m.name === name)?.value ?? 0);
      const busyShare = (metric('TaskDuration') / SECONDS) * 100;
      const perUpdateMs = durations.length === 0 ? NaN : (metric('TaskDuration') * 1000) / durations.length;
      const perUpdate = (name: string): string => (durations.length === 0 ? 'n/a' : ((metric(name) * 1000) / durations.length).toFixed(1));
      const split = `${perUpdate('ScriptDuration')} / ${perUpdate('RecalcStyleDuration')} / ${perUpdate('LayoutDuration')}`;
      const heapMb = (after.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
      rows.push(
        `| ${peers} | ${durations.length} | ${percentile(durations, 50).toFixed(1)} | ${percentile(durations, 95).toFixed(1)} | ` +
          `${percentile(durations, 99).toFixed(1)} | ${(durations.at(-1) ?? NaN).toFixed(1)} | ${perUpdateMs.toFixed(1)} | ${split} | ${busyShare.toFixed(0)} % | ${heapMb.toFixed(0)} MB |`,
      );
    } finally {
      await page.close();
      await server.close();
      feed.close();
      node.stop();
    }
  }
} finally {
  await browser.close();
}

console.log(`Dashboard update frame time, ${SECONDS} s per row, 5 snapshots/s, every peer heartbeating every 100 ms (Chromium ${CHROMIUM})`);
console.log('From a snapshot applied to its frame rendered (ms); main-thread busy time per update and in all; JS heap.\n');
console.log('| peers | updates | p50 | p95 | p99 | max | main thread per update (ms) | of which script / style / layout | main thread busy | heap |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
