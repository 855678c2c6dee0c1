/**
 * Why a leader's lease is renewed by writes, not reads: a three-server ZooKeeper ensemble in
 * network namespaces, the coordinator's session held through one follower F, and F then cut off
 * from the rest of the ensemble while it still answers its clients' reads (for syncLimit ticks).
 * The ensemble expires the coordinator's session and the next node takes the claim; the old
 * coordinator must have stopped first, because its renewal writes could not get through F.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { assertNoOverlap } from '../net/checks.ts';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { networkTestMode } from '../net/privileges.ts';
import { writeZooConfig, zooKeeperCommand, zooKeeperMissing } from './zk-server.ts';
import { isEvent } from '../helpers/event-kind.ts';

const CLI = join(new URL('../../', import.meta.url).pathname, 'bin/conclave.js');
const SESSION_MS = 1000;
const TICK_MS = 200;
/** A follower cut off from its leader goes on serving reads for syncLimit ticks: 2 s here. */
const SYNC_LIMIT = 10;
const ZK_HOSTS = [4, 5, 6];
const support = networkTestMode();
/** Not re-run in a user namespace: its ZooKeeper servers need network namespaces of this machine's root. */
const skip =
  skipUnlessCi(zooKeeperMissing()) ||
  (support.mode === 'run' ? false : support.mode === 'skip' ? support.why : skipUnlessCi('needs root: its ZooKeeper servers run in network namespaces, and it does not re-run in a user namespace'));

/** Hosts 1..3 run Conclave nodes, hosts 4..6 the ZooKeeper servers; `clientServers` says whom each node uses. */
function createLab(clientServers: () => Map<number, number[]>): NetnsLab {
  let lab: NetnsLab | null = null;
  lab = NetnsLab.create(6, 6, {
    command: ({ id }) => {
      const ip = (host: number) => lab!.node(host).ip;
      if (ZK_HOSTS.includes(id)) return zooKeeperCommand(join(lab!.dir, `zk${id}`, 'zoo.cfg'));
      const backend = `zookeeper://${clientServers().get(id)!.map((host) => `${ip(host)}:2181`).join(',')}/conclave/partition?mode=bully`;
      return [process.execPath, CLI, 'run', '--id', String(id), '--backend', backend, '--timeout-ms', String(SESSION_MS), '--cluster', 'lab', '--json'];
    },
  });
  const servers = ZK_HOSTS.map((h) => `server.${h}=${lab!.node(h).ip}:2888:3888`);
  for (const host of ZK_HOSTS) {
    const ensemble = { myid: host, servers };
    writeZooConfig(join(lab.dir, `zk${host}`), { tickMs: TICK_MS, address: lab.node(host).ip, clientPort: 2181, syncLimit: SYNC_LIMIT, ensemble });
  }
  return lab;
}

/** 'leader', 'follower' or '' (not serving), asked inside the server's own namespace. */
function zkMode(lab: NetnsLab, host: number): string {
  try {
    const answer = lab.exec(lab.node(host).ns, ['bash', '-c', `exec 3<>/dev/tcp/${lab.node(host).ip}/2181; echo srvr >&3; timeout 2 cat <&3`]);
    return /Mode: (\w+)/.exec(answer)?.[1] ?? '';
  } catch {
    return '';
  }
}

describe('ZooKeeper backend: a follower cut off from its ensemble', { skip }, () => {
  it('the coordinator whose session runs through that follower stops before the ensemble lets another claim', async () => {
    const servers = new Map<number, number[]>();
    const lab = createLab(() => servers);
    try {
      for (const host of ZK_HOSTS) lab.start(host);
      await lab.waitFor('the ensemble serves', () => ZK_HOSTS.every((host) => zkMode(lab, host) !== ''), 60_000);
      const leader = ZK_HOSTS.find((host) => zkMode(lab, host) === 'leader')!;
      const [follower, other] = ZK_HOSTS.filter((host) => host !== leader) as [number, number];
      // n3 (who will coordinate) goes through the follower only; n1 and n2 through the others.
      servers.set(3, [follower]).set(1, [leader, other]).set(2, [leader, other]);
      for (const id of [1, 2, 3]) lab.start(id);
      await lab.waitFor('n1..n3 agree on n3', () => lab.agreed([1, 2, 3]) === 3, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const cutAt = Date.now();
      // The follower and n3 on one side; the rest of the ensemble, n1 and n2 on the other.
      lab.partition([[3, follower], [1, 2, leader, other]]);
      await lab.waitFor('n2 takes over', () => lab.node(2).events.some((e) => e.ts >= cutAt && e.event === 'elected'), 15_000);
      const elected = lab.node(2).events.find((e) => e.ts >= cutAt && e.event === 'elected')!;
      await lab.waitFor('n3 has stopped', () => lab.node(3).events.some((e) => e.ts >= cutAt && e.event === 'demoted'), 5000);
      const demoted = lab.node(3).events.filter(isEvent('demoted')).find((e) => e.ts >= cutAt);
      assert.ok(demoted !== undefined && 'leaseEndedAt' in demoted);
      console.log(
        `measured: n3's lease ended ${Math.round(demoted.leaseEndedAt - cutAt)} ms after the cut (${demoted.reason}, said at ${demoted.ts - cutAt} ms); ` +
          `n2 elected ${elected.ts - cutAt} ms after it`,
      );
      assert.ok(demoted.leaseEndedAt < elected.ts, 'the old coordinator had stopped before the new one was elected');
      assertNoOverlap(lab);
    } finally {
      lab.destroy();
    }
  });
});
