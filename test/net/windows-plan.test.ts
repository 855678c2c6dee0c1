/**
 * The Windows socket plan, run for real on Linux hosts made of network namespaces: every node's
 * multicast socket bound to 0.0.0.0 and joined on eth0 (--bind-multicast wildcard, what Windows
 * gets by default). Three nodes elect and fail over; another cluster on another group but the
 * same port, on the same hosts, reaches the wildcard sockets (Linux delivers any group a host
 * joined to a socket bound to the port) and is dropped and counted: `foreign-cluster` with our
 * key, `bad-mac` with another. Every process is started and killed by its PID; the lab deletes
 * its namespaces also on failure.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertDurableTermsAndVotes, assertNoOverlap } from './checks.ts';
import { KEY, Lab } from './lab.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/conclave.js');
const FOREIGN_GROUP = '239.255.88.8';
/** Failover after kill -9: a timeout, an answer timeout, a vote round, and a loaded machine's slack. */
const FAILOVER_BOUND_MS = 1000 + 200 + 2 * 100 + 600;
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);

/** A one-node cluster "other" on FOREIGN_GROUP and the lab's port, inside host `ns`; bounded by its own kill. */
function startForeign(lab: Lab, ns: string, name: string, keyFile: string): ChildProcess {
  const args = [
    'netns', 'exec', ns, process.execPath, CLI, 'run', '--id', '1', '--cluster-size', '1', '--cluster', 'other',
    '--interface', 'eth0', '--group', FOREIGN_GROUP, '--unicast-port', '0', '--json',
    '--key-file', keyFile, '--data-dir', join(lab.dir, name),
  ];
  return spawn('ip', args, { stdio: 'ignore' });
}

function dropsOf(lab: Lab, id: number, reason: string): number {
  return Math.max(0, ...lab.node(id).current.filter((e) => e.event === 'dropped' && e.reason === reason).map((e) => ('total' in e ? e.total : 0)));
}

describe('the Windows socket plan (0.0.0.0 and a membership) on Linux namespaces', { skip: support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead' }, () => {
  it('three nodes elect and fail over; another group on the same port is dropped and counted by reason', async () => {
    const lab = Lab.create(3);
    const foreign: ChildProcess[] = [];
    try {
      lab.startAll(['--bind-multicast', 'wildcard']);
      await lab.waitFor('all agree on n3', () => lab.agreed() === 3, 10_000);
      for (const node of lab.nodes) {
        const started = node.current.find((e) => e.event === 'started');
        assert.ok(started !== undefined && 'multicastBind' in started, `n${node.id} said how it bound`);
        assert.match(String(started.multicastBind), /^wildcard \(--bind-multicast wildcard\)$/);
      }

      // Same key, other cluster, on n1; other key on n2. n3's host joined no other group.
      const otherKey = join(lab.dir, 'other-key');
      writeFileSync(otherKey, '1:another-secret-0123456789abcdef\n', { mode: 0o600 });
      foreign.push(startForeign(lab, lab.node(1).ns, 'other-same-key', join(lab.dir, 'key')));
      foreign.push(startForeign(lab, lab.node(2).ns, 'other-other-key', otherKey));
      await lab.waitFor('n1 drops the other cluster', () => dropsOf(lab, 1, 'foreign-cluster') > 0, 10_000);
      await lab.waitFor("n2 drops the other key's datagrams", () => dropsOf(lab, 2, 'bad-mac') > 0, 10_000);
      assert.equal(lab.agreed(), 3, 'the foreign traffic changed nothing');

      const killedAt = Date.now();
      await lab.signal(3, 'SIGKILL');
      await lab.waitFor('survivors agree on n2', () => lab.agreed([1, 2]) === 2, 5_000);
      // The first line of any kind that names n2: agreement is read from every line's `leader`,
      // and under load the `elected` line was read before the `leader` line that follows it.
      const failoverMs = Math.max(...[1, 2].map((id) => lab.node(id).current.find((e) => e.ts >= killedAt && e.leader === 2)?.ts ?? Infinity)) - killedAt;
      assert.ok(failoverMs <= FAILOVER_BOUND_MS, `failover took ${failoverMs} ms, more than ${FAILOVER_BOUND_MS}`);
      assert.equal(dropsOf(lab, 3, 'foreign-cluster') + dropsOf(lab, 3, 'bad-mac'), 0, 'n3 heard no other group');
      assertNoOverlap(lab);
      assertDurableTermsAndVotes(lab);
    } finally {
      for (const child of foreign) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
      lab.destroy();
    }
  });

  it("the Linux plan on the same hosts, for contrast: bound to the group, it never sees the other group's datagrams", async () => {
    const lab = Lab.create(2);
    let other: ChildProcess | null = null;
    try {
      lab.startAll(['--bind-multicast', 'group']);
      await lab.waitFor('both agree on n2', () => lab.agreed() === 2, 10_000);
      other = startForeign(lab, lab.node(1).ns, 'other-same-key', join(lab.dir, 'key'));
      // The other cluster elects itself within a timeout and sends ten lease rounds a second.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.equal(other.exitCode, null, 'the other cluster runs');
      assert.equal(dropsOf(lab, 1, 'foreign-cluster'), 0);
    } finally {
      if (other?.pid !== undefined && other.exitCode === null) other.kill('SIGKILL');
      lab.destroy();
    }
  });
});
