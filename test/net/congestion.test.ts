/**
 * A node whose sends the kernel drops for lack of queue room says so: Linux returns success to
 * such a send and only counts it (SndbufErrors), so the node reads the counter and reports
 * ENOBUFS (a `send-failed` line, its status, its metrics) and holds its optional sends back.
 * Three real `conclave run` processes on test hosts made of network namespaces; the coordinator's
 * link gets a tiny queue (tc's token bucket), as a saturated uplink would have.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEvent } from '../helpers/event-kind.ts';
import { Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

describe('send congestion', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('a node whose link queue overflows reports ENOBUFS from the kernel count, once a second at most', async () => {
    const lab = Lab.create(3);
    try {
      lab.startAll();
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 15_000);
      // 2 kbit/s with room for one datagram: the coordinator's 10 rounds a second cannot all fit.
      lab.exec(lab.node(3).ns, ['tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'tbf', 'rate', '2kbit', 'burst', '200', 'limit', '200']);
      lab.note('n3: a link queue of one datagram');
      const failed = () => lab.node(3).current.filter(isEvent('send-failed'));
      await lab.waitFor('n3 says its sends fail', () => failed().some((e) => e.code === 'ENOBUFS'), 10_000);
      const first = failed().find((e) => e.code === 'ENOBUFS')!;
      assert.equal(first.target, null, 'counted by the kernel, not reported by a send');
      assert.equal(first.congestion, true);
      assert.ok(first.count >= 1 && first.total >= first.count, JSON.stringify(first));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const lines = failed().filter((e) => e.code === 'ENOBUFS');
      for (let i = 1; i < lines.length; i++) {
        // At most one line per code per second (the timer may fire a few ms early on a loaded host).
        assert.ok(lines[i]!.ts - lines[i - 1]!.ts >= 900, `two send-failed lines ${lines[i]!.ts - lines[i - 1]!.ts} ms apart`);
      }
      assert.ok(lines.at(-1)!.total > first.total, 'the count goes on rising while the queue overflows');
      assert.equal(lab.node(1).current.filter(isEvent('send-failed')).length, 0, 'a node whose link has room reports nothing');
    } finally {
      lab.destroy();
    }
  });
});
