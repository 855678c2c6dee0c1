/**
 * A node that is alone says why (issue 24, part 4), each cause made for real: real `conclave run`
 * processes on test hosts made of network namespaces, one of them set up wrong the way a lab's
 * machine is. A firewall (an nftables rule in the node's own namespace) that drops its UDP port;
 * another key; another cluster size or timeout; another cluster name on the same group and port.
 * Each asserts the `alone` line and its cause; the first also looks at the dashboard's banner in
 * Chromium and keeps a screenshot in test-artifacts/alone/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NodeEventOf } from '../../src/contract/events.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { chromiumMissing, launchIn, watchForErrors } from './browser.ts';
import { Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const ARTIFACTS = new URL('../../test-artifacts/alone/', import.meta.url).pathname;
const DASHBOARD_PORT = 8080;
const support = networkTestMode();
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';

type AloneLine = NodeEventOf<'alone'>;
const aloneLines = (lab: Lab, id: number): AloneLine[] => lab.node(id).current.filter(isEvent('alone'));

/** Waits for node `id`'s first `alone` line of `cause`, and returns it. */
async function aloneLine(lab: Lab, id: number, cause: AloneLine['cause'], timeoutMs: number): Promise<AloneLine> {
  await lab.waitFor(`n${id} says it is alone (${cause})`, () => aloneLines(lab, id).some((e) => e.cause === cause), timeoutMs);
  return aloneLines(lab, id).find((e) => e.cause === cause)!;
}

/** Three hosts, n3 started with `oddFlags` (after the others), then `body`; the lab goes whatever happens. */
async function withOddThird(oddFlags: (lab: Lab) => string[], body: (lab: Lab) => Promise<void>): Promise<void> {
  const lab = Lab.create(3);
  try {
    lab.start(1);
    lab.start(2);
    lab.start(3, oddFlags(lab));
    await body(lab);
  } finally {
    lab.destroy();
  }
}

describe('a node that is alone says why', { skip }, () => {
  it('no datagram at all: a firewall drops its UDP port; it names the port, the group and the interface, and the dashboard shows it', async () => {
    const lab = Lab.create(3);
    try {
      // As a lab image's firewall would: inbound UDP to the cluster's port dropped on n1 only.
      lab.exec(lab.node(1).ns, ['nft', '-f', '-'], 'table inet firewall {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    udp dport 7707 drop\n  }\n}\n');
      lab.start(1, ['--dashboard-port', String(DASHBOARD_PORT), '--dashboard-host', '0.0.0.0']);
      lab.start(2);
      lab.start(3);
      const startedAt = Date.now();
      const line = await aloneLine(lab, 1, 'no-datagram', 20_000);
      const waitedMs = Date.now() - startedAt;
      assert.ok(waitedMs >= 9_000, `said after ${waitedMs} ms, not before 10 s of silence`);
      assert.match(line.diagnosis, /no datagram from any other node for 1\d s on eth0 \(10\.77\.\d+\.1\), group 239\.255\.77\.7 port 7707/);
      assert.match(line.diagnosis, /given by --interface/, 'why this interface, as in its started line');
      assert.match(line.fix, /allow inbound UDP port 7707/);
      assert.match(line.fix, /Windows Defender Firewall/);
      assert.match(line.fix, /application firewall/);
      assert.match(line.fix, /--interface/);
      assert.deepEqual([line.dropped, line.peersHeard, line.sources], [0, 0, []]);
      // stderr is another pipe, read on its own: the line may come a moment after the JSON one.
      await lab.waitFor('told on stderr too, beside --json', () => /conclave: alone \(no-datagram\): /.test(lab.node(1).stderr), 5000);
      // n2 and n3 hear each other and n1: nothing to say.
      assert.deepEqual([...aloneLines(lab, 2), ...aloneLines(lab, 3)], []);

      const chromium = chromiumMissing();
      if (chromium !== null) {
        console.log(`no screenshot: ${chromium}`);
        return;
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      const observer = lab.addHost('obs', 200);
      const browser = await launchIn(observer.ns, lab.dir);
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
        const errors = watchForErrors(page);
        await page.goto(`http://${lab.node(1).ip}:${DASHBOARD_PORT}/`);
        const banner = page.locator('[data-testid="alone-banner"][data-cause="no-datagram"]');
        await banner.waitFor({ state: 'visible', timeout: 10_000 });
        const text = await banner.innerText();
        assert.match(text, /Alone — no datagram from any other node/);
        assert.match(text, /group 239\.255\.77\.7 port 7707/);
        assert.match(text, /Fix:.*allow inbound UDP port 7707/s);
        await page.screenshot({ path: join(ARTIFACTS, 'no-datagram.png'), fullPage: true });
        assert.deepEqual(errors, [], 'the page logged no errors');
      } finally {
        await browser.close();
      }
    } finally {
      lab.destroy();
    }
  });

  it('bad MAC: a node with another key; both sides name the other address and say the keys differ', async () => {
    const otherKey = (lab: Lab): string[] => {
      const path = join(lab.dir, 'other-key');
      writeFileSync(path, '1:another-secret-0123456789abcdef\n', { mode: 0o600 });
      return ['--key-file', path];
    };
    await withOddThird(otherKey, async (lab) => {
      const line = await aloneLine(lab, 1, 'key-mismatch', 10_000);
      assert.ok(line.sources.some((s) => s.startsWith(`${lab.node(3).ip}:`)), `names n3's address: ${line.sources}`);
      assert.match(line.diagnosis, /fail the MAC check with our key ID 1: the keys differ/);
      assert.match(line.fix, /--key-file/);
      assert.ok(line.dropped >= 1);
      const odd = await aloneLine(lab, 3, 'key-mismatch', 10_000);
      assert.ok(odd.sources.some((s) => s.startsWith(`${lab.node(1).ip}:`) || s.startsWith(`${lab.node(2).ip}:`)), `n3 names the others: ${odd.sources}`);
      assert.equal(odd.peersHeard, 0, 'n3 hears nobody it can take');
      assert.ok(!aloneLines(lab, 3).some((e) => e.cause === 'no-datagram'), 'datagrams do reach n3: not a firewall');
    });
  });

  it('config mismatch: another timeout, then another cluster size; each side names the difference', async () => {
    await withOddThird(() => ['--timeout-ms', '2000'], async (lab) => {
      const timeout = await aloneLine(lab, 1, 'config-mismatch', 10_000);
      assert.equal(timeout.from, 3);
      assert.ok(timeout.sources[0]!.startsWith(`${lab.node(3).ip}:`));
      assert.match(timeout.diagnosis, /n3 at 10\.77\.\d+\.3:\d+ is of cluster "lab" but runs another configuration: its config ID is ours with a timeout of 2000 ms \(ours 1000 ms\)/);
      assert.match(timeout.fix, /same voters .* same timer flags/);
      const other = await aloneLine(lab, 3, 'config-mismatch', 10_000);
      assert.match(other.diagnosis, /a timeout of 1000 ms \(ours 2000 ms\)/);

      // The same host started again with a cluster of 4 (fresh state: its voters changed).
      await lab.signal(3, 'SIGTERM');
      lab.start(3, ['--cluster-size', '4', '--data-dir', join(lab.dir, 'n3-of-4')]);
      const size = await aloneLine(lab, 3, 'config-mismatch', 10_000);
      assert.match(size.diagnosis, /its config ID is ours with voters 1\.\.3 \(--cluster-size 3\); ours are 1\.\.4/);
    });
  });

  it('foreign cluster: another cluster name on the same group and port is named', async () => {
    await withOddThird(() => ['--cluster', 'lab-b'], async (lab) => {
      const line = await aloneLine(lab, 1, 'foreign-cluster', 10_000);
      assert.equal(line.from, 3);
      assert.match(line.diagnosis, /n3 at 10\.77\.\d+\.3:\d+ sends for cluster "lab-b", not "lab", on our group and port \(239\.255\.77\.7:7707\)/);
      assert.match(line.fix, /--cluster lab\b/);
      assert.equal(line.peersHeard, 1, 'n1 hears n2 all the while');
      await lab.waitFor('n1 and n2 elect n2', () => lab.agreed([1, 2]) === 2, 10_000);
      // One line per cause per minute, however many datagrams n3 sends meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(aloneLines(lab, 1).filter((e) => e.cause === 'foreign-cluster').length, 1);
    });
  });
});
