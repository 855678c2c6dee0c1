/**
 * The desktop page listens to the node's messages before it asks for its hello (so nothing falls
 * between the two), which lets messages arrive before the hello that already holds them. Each
 * event must still stand once in the timeline. The built page and preload run in Chromium over a
 * stand-in of Electron's IPC (as in electron-bridge.test.ts), with IPC's delay made explicit: the
 * node makes the hello when the request reaches it, and the test decides when the page gets it.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { expect, type Page } from 'playwright/test';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import type { NumberedMessage } from '../../src/dashboard/messages.ts';
import type { RuntimeStatus } from '../../src/contract/status.ts';
import type { PeerChange } from '../../src/core/index.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { chromiumMissing } from '../net/browser.ts';
import { syntheticEvent, syntheticStatus } from '../ui/fixtures.ts';
import { openBridgePage, type BridgePage } from './bridge-page.ts';

class StandInNode extends EventEmitter {
  readonly snapshot = syntheticStatus({ peers: 4, selfId: 2 });
  status(): RuntimeStatus {
    return this.snapshot;
  }
  happen(event: `peer-${PeerChange}`, peer: number): void {
    this.emit('event', syntheticEvent(this.snapshot, event, { peer }));
  }
}

/** A feed that sends no snapshots while a test runs: only the events it makes. */
function quietFeed(node: StandInNode): DashboardFeed {
  return new DashboardFeed(node, { controls: { enabled: true, needsToken: false }, publishIntervalMs: 3_600_000 });
}

describe('the feed\'s numbering', () => {
  it('numbers messages in the order sent and gives a hello the number of the last one it holds', () => {
    const node = new StandInNode();
    const feed = quietFeed(node);
    const sent: NumberedMessage[] = [];
    const unsubscribe = feed.subscribe((message) => sent.push(message));
    assert.equal(feed.hello().seq, 0, 'nothing sent yet');
    node.happen('peer-dead', 3);
    node.happen('peer-recovered', 3);
    const hello = feed.hello();
    node.happen('peer-dead', 4);
    assert.deepEqual(sent.map((message) => message.seq), [1, 2, 3]);
    assert.equal(hello.seq, 2);
    assert.ok(hello.type === 'hello');
    assert.deepEqual(hello.events.map((event) => event.event), ['peer-dead', 'peer-recovered']);
    unsubscribe();
    feed.close();
  });
});

describe('a desktop page whose hello overlaps the stream', { skip: skipUnlessCi(chromiumMissing()) }, () => {
  const node = new StandInNode();
  const feed = quietFeed(node);
  const helloReplies: Array<(hello: NumberedMessage) => void> = [];
  /** Deliveries to the page in the order the feed sent them; awaited before the hello's reply. */
  let delivered: Promise<unknown> = Promise.resolve();
  let bridge: BridgePage;
  let page: Page;
  let errors: string[];

  before(async () => {
    bridge = await openBridgePage(feed, (channel: string) => {
      if (channel !== 'conclave:hello') return { ok: false, error: 'not here' };
      return new Promise((resolve) => helloReplies.push(resolve));
    });
    ({ page, errors } = bridge);
    feed.subscribe((message) => {
      const deliver = (): Promise<void> => bridge.deliver(message);
      delivered = delivered.then(deliver, deliver);
    });
  });

  after(async () => {
    await bridge?.close();
    feed.close();
  });

  it('shows each event once, also one that arrived before the hello holding it', async () => {
    await page.goto(bridge.server.url);
    // The page has subscribed and asked: the request is with the node.
    await expect.poll(() => helloReplies.length, { timeout: 10_000 }).toBe(1);
    node.happen('peer-dead', 3); // sent before the node made the hello, which holds it too
    const hello = feed.hello();
    node.happen('peer-recovered', 3); // sent after the hello was made, before the page got it
    await delivered;
    helloReplies[0]!(hello);

    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 10_000 });
    const entries = page.locator('[data-testid="timeline"] li[data-event]');
    await expect(entries).toHaveCount(2);
    assert.deepEqual(await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-event'))), ['peer-recovered', 'peer-dead']);

    node.happen('peer-dead', 4); // and what follows goes straight on
    await delivered;
    await expect(entries).toHaveCount(3);
    assert.deepEqual(errors, []);
  });
});
