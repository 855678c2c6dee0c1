/**
 * Seeds that once found a protocol bug, replayed as they were found (without the storage faults,
 * the capacity model and the network layouts added later, so that the network and process faults
 * and their timing are the same). Each must stay clean, as found and on the machine its seed now draws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSimulation } from '../../src/sim/run.ts';

const SEEDS = [
  {
    seed: 1852527660,
    what:
      'a voter still skipping a candidate from an earlier challenge campaigned right after voting for it; ' +
      'its vote request for the next term deposed the new coordinator, and a second passed without one',
  },
  {
    seed: 1852527664,
    what:
      'the second-highest ID kept campaigning against the highest right after voting for it; ' +
      'the cluster agreed 4020 ms after calm, past the 4000 ms bound',
  },
];

/**
 * Seeds that found a protocol bug after the capacity model and the acts after agreement came,
 * before the simulated peer directories: replayed as found (`directory: 'off'`) and as drawn now.
 */
const ACT_SEEDS = [
  {
    seed: 189,
    what: 'a coordinator asked to resign with dampingMs 0 campaigned at once against the successor it named and deposed it; a timeout lost (handover bound)',
  },
  { seed: 344, what: 'the same race with preemption on: the resigner and its successor split the vote of one term (resign-retake bound)' },
  { seed: 13004415, what: "a stopping coordinator's last round arrived after its Leave and revived it; the new coordinator handed over to it (L2)" },
];

/** Seeds that found a bug of the simulator itself, or one of the core found by a sweep since; replayed with every fault. */
const SIMULATOR_SEEDS = [
  {
    seed: 47017295,
    what: "D2 (checker): n4's disk was slow; n5's vote request and then n4's twin's heartbeat of term 1 waited behind the save, and n4's core granted the vote before it read the heartbeat; the checker counted the heartbeat as heard when it arrived (it now counts what the core has taken)",
  },
  {
    seed: 47009960,
    what: "L1 (checker): a quiet run; n927 began its 141 ms of start-up CPU at the calm, n847 was elected while it loaded, and n927 took over after the 3-s damping, against the cold-start bound (a late highest is now judged by when it began to listen, not to start)",
  },
  {
    seed: 45013875,
    what: "L2 (net): unicast only; restarted n3 first heard coordinator n8 (no seed) by its vote request and Coordinator, which carry no port, so its vote and acknowledgements had nowhere to go, and it counted n8 dead a timeout later (without multicast a datagram's source port is now where to answer)",
  },
  {
    seed: 46018370,
    what: "L1 (checker): a cold start with n9 kept down after it ran; n8 could lead only once it heard n2's regular beat, n7 won, and it handed over to n8 only once n9's silence limit ran out, 5741 ms after the calm against a cold-start bound of 4009 ms (such a start now has its own bound)",
  },
  {
    seed: 40019804,
    what: "A1 (checker): multicast n3 → n2 filtered one way while the newcomer n1 had not started; n2 and n3 were the only quorum and nobody led 4019 ms, while the directory waits 10 s before it repairs a one-way path (a group filter now disturbs the world that long)",
  },
  {
    seed: 39001199,
    what: "L1 (checker): a quiet run whose highest, n3, started 0.2 ms into n2's cold-start campaign; n2 won, and n3 preempted after its 3-s damping, beyond the cold-start bound (such a start now has the preemption bound)",
  },
  {
    seed: 36008232,
    what: "L1 (core): n797's damping ran out 0.6 ms before n875's, and coordinator n548 handed over to n797; n875 then led a term later, behind n797's lease, 45 ms past the preemption bound (a coordinator now waits for the highest)",
  },
  { seed: 29009389, what: "S1: n3' (empty disk) led term 1 after n3 (then down); a voter repeated its vote to n3' (votes now bound to the boot; with impostors kept on their twin's side of a partition, the run has no twins' gap)" },
  { seed: 33001297, what: "unicast-only impostor (drawn since the peers' twins notices): n1 and n1' each cast n1's vote of term 2 while an impostor crossed a partition" },
  { seed: 33001378, what: 'the same, n3 and n3\' in term 2' },
  { seed: 35018350, what: "the simulator's network: an impostor started after a partition reached the other side (the cut was kept per host, not per ID) and voted there for n4 while n5's lease ran" },
  { seed: 29009458, what: "S1: n3 heard its impostor n3' lead term 1, restarted from a disk that never saw term 1, and led term 1 too (a twin's term is now spent)" },
  { seed: 31003375, what: "D2: n804 read its impostor's multicast vote to a peer (no unicast address known yet), ignored it as addressed to another, and led the term the impostor spoke in" },
  { seed: 29005415, what: "D1: an impostor copied from n6's state repeated n6's vote, which D1 took for a new one (it now starts from the disk's vote)" },
  { seed: 31018715, what: "L1 (checker): unicast only, n3's first probe of the seeds went out before they listened; found 1.3 s after the calm, once n2 led, it preempted after its damping, beyond the cold-start bound (which now allows a preemption beyond one group)" },
  { seed: 3001595, what: 'a torn save begun before calm failed after it, and nobody restarted the node' },
  { seed: 3003422, what: 'the same, on a 5-node cluster with sparse IDs' },
  { seed: 1756, what: "L1's newcomer bound expected a greeting from a coordinator whose replies came back late (the newcomer's start had used the only core); it rightly waited for its regular beat" },
  { seed: 26001351, what: "L1's newcomer bound expected a greeting on an unlimited machine from a coordinator whose round trips the slow links before the calm had made late; the newcomer followed its next regular round" },
  { seed: 26004113, what: 'the same, 99 ms' },
  { seed: 26012212, what: "the newcomer bound on one core kept 72 % busy: the newcomer's first datagrams drained for 523 ms (now a rejoin's bound there)" },
  { seed: 26008978, what: 'the same, 98 ms' },
  { seed: 26010076, what: 'the same, 99 ms (n3 joined a settled cluster of n9)' },
  { seed: 26012565, what: 'the same, 100 ms' },
  { seed: 26015887, what: 'the same, 97 ms, on a cluster of sparse IDs' },
  { seed: 2501, what: "N1 judged the name a coordinator of term 6 got from its round 1 (its quorum never acknowledged it) by its term-3 lease, 8.3 s earlier" },
  { seed: 9002439, what: 'L2 blamed the calm for a handover to a node kept down, heard 104 ms before the calm (preemption trusts evidence two heartbeats old)' },
  {
    seed: 26012163,
    what: 'L2: a restarted coordinator knew a follower only as a seed; the follower answered with acknowledgements (no port), so it got one probe a second and counted the coordinator dead (peer-directory.ts heard: the source port now serves)',
  },
  {
    seed: 29004013,
    what: "N1 (core): n2, stalled twice, measured n3's queued rounds against its first stall's burst and named n3 456 ms past the bound",
  },
  {
    seed: 1849008495,
    what: "S3 took a candidate's resend for term 4, sent in the same Ready as its vote for another's term 5, for a claim not on the disk (the disk held term 5)",
  },
];

/** Random runs of larger clusters than sweeps draw (`--nodes`), found by a short run of 30 at 100 nodes. */
const LARGE_SEEDS = [
  {
    seed: 41,
    nodes: 100,
    what: "L1 (core), found with a build whose late beats kept their phase (since reverted): a handover; every follower's reaction to the resignation filled the backlog, the successor n99's pre-vote request was refused (ENOBUFS) and never came back through its queue, and n99 resent nothing for 790 ms while 18 of 99 voters had answered: 869 ms against the handover bound of 852 ms (resends now wait for the request's loopback at most twice a reply's wait; core/saturation.test.ts shows the rule)",
  },
  {
    seed: 1,
    nodes: 100,
    what: "L1 (core): unicast only; the coordinator crashed 16 s after the calm and n992 was elected, but reached only the 57 followers it had heard within the silence limit: the rest were probed at 8 a second, on member beats 2 s apart, and the mesh had holes (never agreed within the crash-failover bound of 1704 ms; without a group a node now sends to every voter whose endpoint it knows: 1121 ms)",
  },
  {
    seed: 11,
    nodes: 100,
    what: "L1 (checker): unicast only, two cores kept 80 % busy; n100 resigned and took back over 1276 ms later, against a resign-retake bound of 1203 ms: saturated, it left the news that it could lead to its regular beat, a member beat away (the bound now allows it on a machine with a capacity model)",
  },
  {
    seed: 5,
    nodes: 100,
    what: "L2 (core): one group, member beats of 100 ms; 100 processes restarted together on two cores ran their late timers together and beat in step from then on, 80 beats within the same 35 ms of every 100 into a backlog of 1,000 (68,447 packets dropped), and followers named nobody 1.2 s after the cluster agreed (a late regular beat now draws its next interval from [¾, 1): 27,769 dropped, agreed 90 ms after the calm)",
  },
  {
    seed: 2,
    nodes: 100,
    what: "L2 (core): unicast only, two cores kept 65 % busy; six nodes back from a partition were greeted by every follower with a beat copied to 99 peers, the backlog refused the coordinator's rounds and it lost its lease 839 ms after the cluster agreed (a greeting now goes beyond the group to the greeted alone, and a follower of a live coordinator greets nobody but it)",
  },
  {
    seed: 44,
    nodes: 100,
    what: 'L1 (checker): a cold start on two cores and a backlog a settled cluster keeps 80 % busy (member beats of 100 ms), 83,873 packets dropped: agreed 2319 ms after the last process listened, against the cold-start bound of 2105 ms (a cold start that meets a drop is now judged as a boot storm)',
  },
  {
    seed: 55,
    nodes: 100,
    what: "L2 (core): one group, four cores; every follower greeted a node back from a partition with a multicast, 9,800 packets into a backlog of 1,000, and the coordinator lost its lease 833 ms after the cluster agreed (a follower of a live coordinator now greets nobody but it)",
  },
  {
    seed: 59,
    nodes: 100,
    what: "L2 (simulator): unicast only, receive queues of 64 datagrams for 99 acknowledgements a round; a follower whose only acknowledgement was dropped fell out of the coordinator's copies and named nobody 718 ms after the cluster agreed (queues are now drawn at least 2·(N − 1))",
  },
  {
    seed: 60,
    nodes: 100,
    what: 'L1 (checker): two subnets, 100 processes booting on two cores for 6 s after the faults, then found across the subnets at 8 probes a second: agreed 13.3 s after the calm, against a general bound of 12.0 s (beyond one group it now adds the time to find the peers)',
  },
];

/**
 * Two processes of one ID that had not heard each other, each leading one term or holding a lease
 * at once: the gap no node can close (src/sim/twins.ts), reported, not a violation. Each must
 * still reach it, so that the report is tested, and break no rule a node can keep.
 */
const TWIN_GAP_SEEDS: Array<{ seed: number; what: string; gaps?: number }> = [
  { seed: 29019089, what: "n964' (empty disk) took a lease of term 2 while n964 stalled unheard, its lease of term 1 still running" },
  {
    seed: 35014815,
    what: "unicast only: n3' and n3 each led term 1 unheard by each other (the gap); n3''s resignation of term 1 also released n1's promise to n3, and n2's lease of term 2 overlapped n3's: no longer, since a resignation is cited with its process's boot",
    // Five before the boot was cited: the leases that overlapped n3's, besides the term both led.
    gaps: 1,
  },
  {
    seed: 54004154,
    what: "n355' (empty disk) voted for n716 in term 1 and stopped; n355 restarted, never having heard it, and won term 1 with n34 while n716 was cut off: two coordinators of one term whose quorums meet only in n355's two processes (S1 took it for a violation)",
    gaps: 1,
  },
]

describe('simulator regressions', () => {
  for (const { seed, nodes, what } of LARGE_SEEDS) {
    it(`seed ${seed} of ${nodes} nodes: ${what}`, () => {
      assert.deepEqual(runSimulation({ seed, nodes }).violations, [], `replay: npm run sim -- --seed ${seed} --nodes ${nodes} --runs 1 --trace`);
    });
  }

  for (const { seed, what, gaps } of TWIN_GAP_SEEDS) {
    it(`seed ${seed}, twins' gap: ${what}`, () => {
      const result = runSimulation({ seed });
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --trace`);
      assert.ok((result.impostor?.gaps ?? 0) > 0, 'the twins no longer conflict: the seed tests nothing (pick another)');
      if (gaps !== undefined) assert.equal(result.impostor?.gaps, gaps, `conflicts of the twins: ${result.impostor?.firstGap}`);
    });
  }

  for (const { seed, what } of SIMULATOR_SEEDS) {
    it(`seed ${seed}: ${what}`, () => {
      const result = runSimulation({ seed });
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --trace`);
    });
  }

  for (const { seed, what } of ACT_SEEDS) {
    it(`seed ${seed}: ${what}`, () => {
      const found = runSimulation({ seed, directory: 'off' });
      assert.deepEqual(found.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --directory off --trace`);
      assert.deepEqual(runSimulation({ seed }).violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --trace`);
    });
  }

  for (const { seed, what } of SEEDS) {
    it(`seed ${seed}, on the machine its seed draws: no violation`, () => {
      const result = runSimulation({ seed, diskFaults: false });
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --trace`);
    });

    it(`seed ${seed}: ${what}`, () => {
      const events: string[] = [];
      const result = runSimulation({
        seed,
        diskFaults: false,
        capacity: 'off',
        directory: 'off',
        watch: (atMs, node, item) => {
          if (typeof item !== 'string' && item.type === 'demoted' && item.reason === 'higher-term') events.push(`${atMs.toFixed(1)} n${node} demoted by a higher term`);
        },
      });
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --capacity off --directory off --trace`);
      assert.ok(result.convergenceMs !== null && result.convergenceMs < result.boundMs);
      // The bugs these seeds found deposed coordinators again and again, a timeout each. One
      // deposition can still happen by a race no rule removes (docs/protocol.md, term gate rule 1:
      // a candidate whose pre-vote passed just before another won); protocol version 2's timing
      // meets it once in seed 1852527664, and the highest ID wins again a round trip later.
      assert.ok(events.length <= 1, `no coordinator is deposed again and again:\n${events.join('\n')}`);
    });
  }
});

/**
 * Seeds of a stalled follower reading its coordinator's queued rounds (issue 22, gap 7), replayed
 * as drawn now, strict: lease rounds carry the coordinator's clock, and a late one keeps a promise
 * but names the coordinator only a timeout from its sending (src/core/transit.ts).
 */
const STALE_ROUND_SEEDS = [
  {
    seed: 15006591,
    what: "a follower on a saturated core read a candidate's queued rounds of the term before; L1 took the stale name for agreement and L2 then blamed the calm",
  },
  { seed: 20000028, what: 'a follower woken from a 2.2-s stall revived its lapsed promise from a queued round and named a resigned coordinator 1840 ms past its lease (N1)' },
  { seed: 21007412, what: 'a node that booted on a busy machine read its first ten rounds at once, with no quick delivery to measure them against, and named their coordinator 1431 ms past its lease (N1)' },
  { seed: 22002798, what: "a restarted node voted for a new coordinator while its queue drained, then named it for less than a round from that coordinator's first rounds (capped at a timeout past the stall's start), and again a round later (L2)" },
  { seed: 22001714, what: 'the same rule on another seed of that sweep (L2)' },
  { seed: 22002203, what: 'and a third (L2)' },
  { seed: 24004936, what: 'a follower woken from a 2.2-s stall read a round just under a timeout late, named its coordinator for 0.4 ms, lost the name to a tick, and named it again from the fresher rounds behind it (L2)' },
  { seed: 20000217, what: 'a round read within 200 ms of a stall (the answer timeout) was not stale: a rule that took it for stale let the name lapse for one round (L2)' },
];

describe('stale lease rounds', () => {
  for (const { seed, what } of STALE_ROUND_SEEDS) {
    it(`seed ${seed}: ${what}`, () => {
      const result = runSimulation({ seed, strict: true });
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --runs 1 --strict --trace`);
    });
  }
});
