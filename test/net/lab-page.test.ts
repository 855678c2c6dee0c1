/**
 * `npm run demo` end to end: the real lab command (five `conclave run` processes in network
 * namespaces of its own), driven from its page in real Chromium: unplug the leader and see the
 * successor; partition 2|3 with the old leader on the 2 side and see that side elect nobody; heal;
 * each card's live quorum and its link to that node's own dashboard; actions without the run's
 * token, or under another site's Host, refused; Ctrl-C removes everything. Then the same as an
 * unprivileged user; the loopback mode (no namespaces per node), run inside a namespace of this
 * test's own so its multicast stays off this machine's loopback; and the refusal over a crashed
 * lab's leftovers, and --clean. Screenshots go to test-artifacts/lab/.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expect, type Browser, type Page } from 'playwright/test';
import { chromiumMissing, launchIn, watchForErrors } from './browser.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const CLI = new URL('../../dist/lab/cli.js', import.meta.url).pathname;
const ARTIFACTS = new URL('../../test-artifacts/lab/', import.meta.url).pathname;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const networkSkip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';
const browserSkip = skipUnlessCi(chromiumMissing());
const skip = browserSkip || networkSkip;
/** Refused actions answer 409 (and one without the lab's token 401); the browser logs the status. */
const EXPECTED_ERRORS = [/status of 409/, /status of 401/];

interface Demo {
  child: ChildProcess;
  /** The page's address as printed, with this run's token in its fragment. */
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the demo command (through `prefix`, e.g. `ip netns exec <ns>`) until it prints its page's URL. */
async function startDemo(args: string[], prefix: string[] = [], cli = CLI): Promise<Demo> {
  const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...env } = process.env;
  const [command, ...rest] = [...prefix, process.execPath, cli, ...args];
  const child = spawn(command!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while ((url = /lab page on (http:\/\/\S+\/#token=[0-9a-f]{32})\s/.exec(out)?.[1]) === undefined && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (url === undefined) {
    child.kill('SIGKILL');
    throw new Error(`the demo printed no URL:\n${out}`);
  }
  return { child, url, output: () => out, exited };
}

/** Ctrl-C; the demo must exit 0 by itself within 15 s. */
async function interrupt(demo: Demo): Promise<number | null> {
  demo.child.kill('SIGINT');
  const timer = setTimeout(() => demo.child.kill('SIGKILL'), 15_000);
  const code = await demo.exited;
  clearTimeout(timer);
  return code;
}

function namespacesOf(pid: number): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(`cvdemo${pid % 100000}x`));
}

function directoriesOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`cvdemo${pid % 100000}x`));
}

/** Exited (a zombie waiting for init to reap it counts as exited). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
}

/** POSTs `body` with the given Host header and token, outside any browser; gives the status. */
function post(port: number, path: string, host: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const card = (page: Page, id: number) => page.locator(`[data-testid="lab-node"][data-node="${id}"]`);
const verdict = (page: Page) => page.getByTestId('lab-verdict');

/** Every running card names `leader`, and the verdict agrees. */
async function expectAgreedOn(page: Page, leader: number, ids: number[], timeout = 15_000): Promise<void> {
  await expect(verdict(page)).toHaveAttribute('data-state', 'agreed', { timeout });
  await expect(card(page, leader)).toHaveAttribute('data-role', 'leader', { timeout });
  for (const id of ids) await expect(card(page, id)).toHaveAttribute('data-leader', String(leader), { timeout });
}

describe('npm run demo: the lab page over five nodes in network namespaces', { skip }, () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const dir = mkdtempSync(join(tmpdir(), 'cvlabtest-'));
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    demo = await startDemo(['--nodes', '5', '--port', '0', '--no-open']);
    browser = await launchIn(null, dir);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    errors = watchForErrors(page, EXPECTED_ERRORS);
    await page.goto(demo.url);
  });

  after(async () => {
    await browser?.close();
    // Stopped as a user would (a killed demo would leave its namespaces for the next run to refuse).
    if (demo?.child.exitCode === null) await interrupt(demo);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts five nodes that agree on n5, and says it runs them in namespaces', async () => {
    await expect(page.getByTestId('lab-mode')).toHaveAttribute('data-mode', 'netns');
    await expect(page.getByTestId('lab-connection')).toHaveAttribute('data-state', 'open');
    await expectAgreedOn(page, 5, [1, 2, 3, 4, 5]);
    await expect(page.locator('[data-testid="lab-timeline"] li[data-kind="agreed"]').first()).toContainText(/agreed again after/);
    assert.match(demo.output(), /5 nodes, netns mode/);
    // The console says it too, timed from the last node's first line (start-up apart).
    assert.match(demo.output(), /demo: agreed again after \d+ ms \(start all nodes, \d+ ms after the last node's first line\): n5\n/);
    // The quorum each node hears now: all five, the leader included (elected by three votes, its
    // event lines said 3/3 until the next one).
    for (const id of [1, 2, 3, 4, 5]) await expect(card(page, id).locator('.quorum dd')).toHaveText(/^5\/3/, { timeout: 10_000 });
    await shot('1-agreed');
  });

  it('links each card to that node\'s own dashboard, whose peers table fits a 1280 px screen', async () => {
    const link = card(page, 5).getByRole('link', { name: 'n5\'s dashboard' });
    await expect(link).toHaveAttribute('href', './nodes/5/');
    const [dashboard] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    try {
      const dashboardErrors = watchForErrors(dashboard);
      await dashboard.setViewportSize({ width: 1280, height: 800 });
      await expect(dashboard.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 10_000 });
      await expect(dashboard.getByTestId('role')).toHaveText('leader');
      await expect(dashboard.getByTestId('quorum')).toContainText('5 of 5');
      for (const peer of [1, 2, 3, 4]) await expect(dashboard.locator(`[data-testid="peers"] tr[data-peer="${peer}"]`)).toHaveAttribute('data-state', 'alive');
      const table = await dashboard.getByTestId('peers').evaluate((t) => ({ scrollWidth: t.parentElement!.scrollWidth, clientWidth: t.parentElement!.clientWidth }));
      assert.ok(table.scrollWidth <= table.clientWidth, `the peers table is clipped: ${JSON.stringify(table)}`);
      await dashboard.screenshot({ path: join(ARTIFACTS, '1b-node-dashboard-1280.png') });
      assert.deepEqual(dashboardErrors, []);
    } finally {
      await dashboard.close();
    }
  });

  it('unplugging the leader: the successor takes over, and the time to agree again is shown', async () => {
    const agreedBefore = await page.locator('[data-testid="lab-timeline"] li[data-kind="agreed"]').count();
    await card(page, 5).getByRole('button', { name: 'Unplug n5', exact: true }).click();
    await expect(card(page, 5)).toHaveAttribute('data-condition', 'unplugged');
    await expectAgreedOn(page, 4, [1, 2, 3, 4]);
    // The unplugged n5 stepped down by itself: nobody claims to lead but n4.
    await expect(card(page, 5)).not.toHaveAttribute('data-role', 'leader', { timeout: 10_000 });
    await expect(page.locator('[data-testid="lab-timeline"] li[data-kind="agreed"]')).toHaveCount(agreedBefore + 1, { timeout: 10_000 });
    await expect(page.locator('[data-testid="lab-timeline"] li').filter({ hasText: 'unplug n5' }).first()).toBeVisible();
    await shot('2-unplugged-leader');

    await card(page, 5).getByRole('button', { name: 'Replug n5', exact: true }).click();
    await expectAgreedOn(page, 5, [1, 2, 3, 4, 5]);
  });

  it('partition 2|3 with the leader on the 2 side: that side cannot elect and follows nobody; the 3 side elects', async () => {
    await page.getByRole('button', { name: 'Split 2 | 3' }).click();
    // Split puts n1, n2 on side A; move the leader there and n1 to the other side: A = {2, 5}.
    await page.getByLabel('Group of n5').selectOption('A');
    await page.getByLabel('Group of n1').selectOption('B');
    await page.getByRole('button', { name: 'Apply partition' }).click();

    const sides = page.locator('[data-testid="lab-side"]');
    await expect(sides).toHaveCount(2);
    const small = sides.filter({ hasText: '[n2, n5]' });
    const large = sides.filter({ hasText: '[n1, n3, n4]' });
    await expect(small).toHaveAttribute('data-can-elect', 'false');
    await expect(large).toHaveAttribute('data-can-elect', 'true');
    await expect(verdict(page)).toHaveAttribute('data-state', 'agreed', { timeout: 15_000 });
    await expect(large).toHaveAttribute('data-leader', '4');
    await expect(small).toHaveAttribute('data-leader', '');
    for (const id of [2, 5]) await expect(card(page, id)).not.toHaveAttribute('data-role', 'leader');
    for (const id of [2, 5]) await expect(card(page, id)).toHaveAttribute('data-side', 'A');
    await shot('3-partition-minority-cannot-elect');
  });

  it('heal everything: one side again, and n5 leads it', async () => {
    await page.getByRole('button', { name: 'Heal everything' }).click();
    await expect(page.locator('[data-testid="lab-side"]')).toHaveCount(1);
    await expectAgreedOn(page, 5, [1, 2, 3, 4, 5]);
    await shot('4-healed');
  });

  it('kill -9 and restart from the page; a refused action says why', async () => {
    await card(page, 5).getByRole('button', { name: 'Kill n5', exact: true }).click();
    await expect(card(page, 5)).toHaveAttribute('data-condition', 'down');
    await expectAgreedOn(page, 4, [1, 2, 3, 4]);
    await card(page, 5).getByRole('button', { name: 'Restart n5', exact: true }).click();
    await expectAgreedOn(page, 5, [1, 2, 3, 4, 5]);
    // Asked directly (the page disables what cannot be done): a clear refusal, and nothing changes.
    // The page took this run's token from its address and keeps it for this tab.
    const refused = await page.evaluate(async () => {
      const token = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('conclave.labToken');
      const response = await fetch('./api/lab/action', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ action: 'restart', node: 3 }) });
      return { status: response.status, body: (await response.json()) as { error?: string } };
    });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error ?? '', /n3 is running/);
    assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
    const kill = JSON.stringify({ action: 'kill', node: 1 });
    const forged = await page.evaluate(async (body) => {
      const statuses: number[] = [];
      const wrong: Array<Record<string, string>> = [{}, { 'x-conclave-lab': '1' }, { authorization: 'Bearer 0123456789abcdef0123456789abcdef' }];
      for (const headers of wrong) {
        statuses.push((await fetch('./api/lab/action', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status);
      }
      return statuses;
    }, kill);
    assert.deepEqual(forged, [401, 401, 401], 'an action without this run\'s token is refused');
    // A page of another site whose name resolves here (DNS rebinding), with the token even: refused.
    const { port } = new URL(demo.url);
    const token = new URL(demo.url).hash.slice('#token='.length);
    for (const host of [`127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, `[::1].evil:${port}`]) {
      assert.equal(await post(Number(port), '/api/lab/action', host, token, kill), 421, host);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(card(page, 1)).toHaveAttribute('data-condition', 'running');
    assert.ok(!demo.output().includes('n1 exited'));
  });

  it('Ctrl-C stops every node and removes every namespace and directory it made', async () => {
    const pid = demo.child.pid!;
    assert.ok(namespacesOf(pid).length >= 6, `namespaces while running: ${namespacesOf(pid).join(' ')}`);
    assert.equal(await interrupt(demo), 0, demo.output());
    assert.deepEqual(namespacesOf(pid), []);
    assert.deepEqual(directoriesOf(pid), []);
    assert.deepEqual(errors, [], 'the page logged errors');
  });
});

/** As an unprivileged user (nobody), if this root may become one and such a user may make user namespaces. */
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp'];
/** What is missing for the run as nobody, or null. */
function nobodyRefused(): string | null {
  try {
    execFileSync(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), 'unshare', '--user', '--map-root-user', '--net', '--mount', 'true'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'needs an unprivileged user (nobody) to be allowed user namespaces: `setpriv --reuid=65534 … unshare --user --map-root-user --net --mount true` fails here';
  }
}

/** This checkout, whose folder (or one above it) nobody may be unable to enter. */
const CHECKOUT = new URL('../../', import.meta.url).pathname;

/**
 * Runs the rest of a command line as nobody, with this checkout shown at `view` (a folder anyone
 * may enter) by a bind mount in a mount namespace of the command's own. A clone may sit in a
 * folder only root can enter (root's home, a `mktemp -d` folder: mode 0700), where nobody could
 * not read the demo it is to run. Nothing changes outside that namespace, and it ends with the
 * command; `view` stays an empty folder here.
 */
function asNobodyWithCheckoutAt(view: string): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" "$1" && shift && exec "$@"', CHECKOUT, view, ...AS_NOBODY];
}

describe('npm run demo without root: namespaces inside an unprivileged user namespace', { skip: skip || skipUnlessCi(nobodyRefused()) }, () => {
  it('builds the namespaces there, serves the page on this loopback, unplugs, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvlabtest-'));
    const view = mkdtempSync(join(tmpdir(), 'cvcheckout-'));
    chmodSync(view, 0o755);
    let demo: Demo;
    try {
      demo = await startDemo(['--nodes', '3', '--port', '0', '--no-open'], asNobodyWithCheckoutAt(view), join(view, 'dist/lab/cli.js'));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      rmdirSync(view);
      throw error;
    }
    const browser = await launchIn(null, dir);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchForErrors(page, EXPECTED_ERRORS);
      await page.goto(demo.url);
      await expect(page.getByTestId('lab-mode')).toHaveAttribute('data-mode', 'netns');
      await expect(page.getByTestId('lab-mode')).toContainText('unprivileged user namespace');
      await expectAgreedOn(page, 3, [1, 2, 3]);
      await card(page, 3).getByRole('button', { name: 'Unplug n3', exact: true }).click();
      await expectAgreedOn(page, 2, [1, 2]);
      assert.deepEqual(errors, []);
      // Its namespaces are its own: none of them shows among this machine's.
      assert.equal(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes('cvdemo'), false);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
      const status = await interrupt(demo);
      // Not recursive: were the checkout still mounted here, this must fail, not delete it.
      rmdirSync(view);
      assert.equal(status, 0, demo.output());
    }
    assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith('cvdemo') || name.startsWith('cvsock')), []);
  });
});

describe('npm run demo: loopback mode, and a crashed lab\'s leftovers', { skip: networkSkip }, () => {
  // A namespace of the test's own: the loopback mode's multicast stays on its private loopback.
  const ns = `cvlbtest${process.pid % 100000}`;
  const dir = mkdtempSync(join(tmpdir(), 'cvlabtest-'));

  before(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  });

  after(() => {
    // Whatever is still running in it was started by this test.
    for (const pid of execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
    execFileSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs three nodes on one loopback, says so, and refuses what needs namespaces', { skip: browserSkip }, async () => {
    const demo = await startDemo(['--nodes', '3', '--port', '0', '--no-open', '--mode', 'loopback'], ['ip', 'netns', 'exec', ns]);
    const browser = await launchIn(ns, dir);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchForErrors(page, EXPECTED_ERRORS);
      await page.goto(demo.url);
      await expect(page.getByTestId('lab-mode')).toHaveAttribute('data-mode', 'loopback');
      await expect(page.getByTestId('lab-mode')).toContainText(/loopback/);
      await expectAgreedOn(page, 3, [1, 2, 3]);
      await expect(card(page, 3).getByRole('button', { name: 'Unplug n3', exact: true })).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Apply partition' })).toBeDisabled();
      await card(page, 3).getByRole('button', { name: 'Kill n3', exact: true }).click();
      await expectAgreedOn(page, 2, [1, 2]);
      await page.screenshot({ path: join(ARTIFACTS, '5-loopback-mode.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      assert.equal(await interrupt(demo), 0, demo.output());
    }
  });

  it('refuses to start over a crashed lab\'s leftovers, names them and the command; --clean removes them', async () => {
    const crashed = await startDemo(['--nodes', '2', '--port', '0', '--no-open']);
    const pid = crashed.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const orphans = namespacesOf(pid).flatMap((name) => execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number));
    assert.ok(orphans.length >= 2, `node processes: ${orphans.join(' ')}`);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    assert.ok(namespacesOf(pid).length > 0, 'the crash left namespaces behind');

    const run = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: e.stdout + e.stderr };
      }
    };
    const refused = run(['--nodes', '1', '--port', '0', '--no-open']);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, new RegExp(`crashed left network namespaces cvdemo${pid % 100000}x`));
    assert.match(refused.out, /npm run demo -- --clean/);

    const cleaned = run(['--clean']);
    assert.equal(cleaned.code, 0, cleaned.out);
    assert.match(cleaned.out, /removed network namespaces/);
    assert.deepEqual(namespacesOf(pid), []);
    assert.deepEqual(directoriesOf(pid), []);
    // The nodes that outlived the crash were stopped too.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const orphan of orphans) assert.ok(gone(orphan), `n process ${orphan} is still running`);

    const bad = run(['--nodes', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--nodes must be an integer from 1 to 50/);
  });
});
