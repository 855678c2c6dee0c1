/**
 * Boot storms (src/sim/run.ts, `bootStorm`): 25 and 50 nodes all started within a second on one
 * or two shared cores. Once the last process listens, every node agrees on the highest ID within
 * the L1 bound and keeps it (L2), and no node sends more than the R1 bound over the next 10 s.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatFailure } from '../../src/sim/report.ts';
import { runSimulation } from '../../src/sim/run.ts';

/**
 * Seeds that failed before the protocol bounded its work under saturation (issue 22), and a few
 * more: 50-node seed 7 is the slowest of seeds 1–50 (one core, 194 µs an input, settled load
 * 76 %: queues hold 3 s of datagrams when the last process listens), 100-node seeds 9 and 10
 * failed L1 with 8 million datagrams dropped. 100-node seed 2 (two cores, settled load 80 %)
 * agreed 6.7 s after the last process listened, against a 6-s bound, while every node greeted
 * each burst of joins (the queues grew to 24,000 datagrams after the calm); seed 5 lost its
 * new coordinator's lease 1 s after agreeing, the same greetings filling a 64-datagram receive
 * queue that had to hold 99 acknowledgements a round; seed 16 lost it 3 s after agreeing once
 * nobody greeted, 100 processes started together beating in step (docs/protocol.md, "Under
 * load": a saturated node beats at its member rate and no faster; the first beat is spread).
 */
const STORMS = [
  { nodes: 25, seeds: [1, 2, 3] },
  { nodes: 50, seeds: [1, 2, 7, 43, 48] },
  { nodes: 100, seeds: [5, 9, 16] },
];

/**
 * Issue 22's failure, reproduced: 50 nodes on one core (156 µs an input; settled, the cluster
 * would keep 61 % of it busy) never agreed. Inputs waited, receive buffers overflowed (300,000
 * datagrams dropped), challenges were answered after the answer timeout, so lower nodes skipped
 * every higher ID and campaigned, and every candidate beat fast to 49 peers. Now only the
 * coordinator beats fast, waits follow measured round trips, a late answer or a higher
 * candidate's vote request defers, and the cluster agrees on n50.
 */
const REPRODUCES_ISSUE_22 = { nodes: 50, seed: 6 };

/**
 * Issue 22's goal at CI size: 100 nodes with capacity and a boot storm, as many seeds as fit in
 * about a minute (a 100-node storm costs 3 to 5 s of CPU here, 9 to 15 s before the simulator
 * decoded each datagram once and the peer table stopped passing over every peer on every input).
 * The long sweep starts at the same seed: npm run sim -- --runs 20000 --seed 30000000 --nodes 100 --storm
 */
const CI_SWEEP = { nodes: 100, firstSeed: 30_000_000, runs: 20 };
/**
 * Seeds of the long sweep that failed (10 of its first 625): L2, the new coordinator n100 demoted
 * 0.3 to 2.7 s after the cluster agreed, on machines a settled cluster keeps 80 % busy. The
 * simulator gave a process one input per turn on a core, so the coordinator read one
 * acknowledgement for every 99 inputs its followers read; Linux lets it keep the core for a slice
 * (src/sim/inbox.ts, schedulerSliceMs), and all ten pass. And two of the sweep from 30,000,900
 * (3 of its first 500 failed L2 on one core): 30000903's
 * receive queues of 64 held two thirds of a round's acknowledgements (queues are now drawn at
 * least 2·(N − 1): src/sim/capacity.ts, receiveQueueFloor); 30000967's new coordinator read its
 * followers' acknowledgements 700 ms late, its queue full of the storm's greetings and beats
 * (followers of a live coordinator now greet nobody but it).
 */
const STORM_L2_SEEDS = [30_000_049, 30_000_411, 30_000_903, 30_000_967];
/**
 * L2 on one core a settled cluster keeps 71 % busy (issue 22): the storm left 13,000 inputs
 * queued (0.7 s of CPU) when the last process listened, worked off 3 s later. n100 was elected
 * meanwhile and read its acknowledgements 700 ms late, the later rounds' dropped from its full
 * queue; its lease from round 1 ran out 1 ms after the cluster agreed, with every follower loyal,
 * and it was elected again 100 ms later. "Once the CPU and the network are calm": agreement in a
 * storm now counts once the cores could read every queued input within a heartbeat, on a lease
 * from a round sent since (src/sim/run.ts).
 */
const STORM_BACKLOG = { nodes: 100, seed: 30_000_958 };
const ROOT = new URL('../../', import.meta.url).pathname;

/** 100-node seed 2: two cores, 124 µs an input, a settled cluster keeps 80 % of them busy. */
const GREETING_STORM = { nodes: 100, seed: 2 };
const QUEUE_SAMPLE_MS = 10;

describe('boot storms', () => {
  it('some storms lose datagrams on every link while the processes start, and agree once the last listens', () => {
    const lossy: number[] = [];
    for (let seed = 1; seed <= 12 && lossy.length < 2; seed++) {
      let lossNoted = false;
      const result = runSimulation({
        seed,
        nodes: 25,
        bootStorm: true,
        watch: (_atMs, _node, item) => {
          if (typeof item === 'string' && item.includes('% loss on every link')) lossNoted = true;
        },
      });
      if (!lossNoted) continue;
      lossy.push(seed);
      assert.deepEqual(result.violations, [], `replay: npm run sim -- --seed ${seed} --nodes 25 --storm --runs 1 --trace`);
      assert.ok(result.network.lost > 0, `seed ${seed}: loss was drawn but nothing was lost`);
    }
    assert.equal(lossy.length, 2, 'two of the first 12 storms of 25 nodes draw loss');
  });

  it(`${GREETING_STORM.nodes} nodes, seed ${GREETING_STORM.seed}: once the last process listens, the queues drain instead of growing`, () => {
    let queuedMax = 0;
    let calmAtMs = Infinity;
    const result = runSimulation({
      ...GREETING_STORM,
      bootStorm: true,
      inspect: (sim) => {
        sim.watch((atMs, _node, item) => {
          if (typeof item === 'string' && item.startsWith('calm')) calmAtMs = atMs;
        });
        const sample = (): void => {
          if (sim.nowMs >= calmAtMs) {
            let queued = 0;
            for (const host of sim.hosts) queued += host.inbox?.queued ?? 0;
            queuedMax = Math.max(queuedMax, queued);
          }
          sim.scheduler.at(sim.nowMs + QUEUE_SAMPLE_MS, sample);
        };
        sim.scheduler.at(0, sample);
      },
    });
    assert.deepEqual(result.violations, [], formatFailure(result, GREETING_STORM.nodes, false, ' --storm'));
    // With every node greeting each burst of joins: 24,400 datagrams queued 2.5 s after the calm,
    // agreement after 6.7 s. Now about 9,400 at most, and 2.6 s.
    assert.ok(queuedMax < 15_000, `${queuedMax} datagrams queued at once after the calm`);
    assert.ok(result.convergenceMs !== null && result.convergenceMs < 3000, `agreed after ${result.convergenceMs} ms`);
    console.log(`100 nodes seed 2: at most ${queuedMax} datagrams queued after the calm; agreed after ${result.convergenceMs?.toFixed(0)} ms`);
  });

  it(`${REPRODUCES_ISSUE_22.nodes} nodes, seed ${REPRODUCES_ISSUE_22.seed}: a saturated core still agrees on the highest ID once every process listens`, () => {
    const result = runSimulation({ ...REPRODUCES_ISSUE_22, bootStorm: true });
    assert.deepEqual(result.violations, [], formatFailure(result, REPRODUCES_ISSUE_22.nodes, false, ' --storm'));
    assert.ok(result.capacity.receiveBufferDrops < 10_000, `${result.capacity.receiveBufferDrops} datagrams dropped by full buffers`);
  });

  it(`${CI_SWEEP.runs} seeds of ${CI_SWEEP.nodes} nodes from seed ${CI_SWEEP.firstSeed}: no violations`, () => {
    const failuresFile = join(mkdtempSync(join(tmpdir(), 'conclave-storm-')), 'failures.txt');
    const { runs, firstSeed, nodes } = CI_SWEEP;
    const args = ['--runs', String(runs), '--seed', String(firstSeed), '--nodes', String(nodes), '--storm', '--failures', failuresFile];
    const { status, stdout, stderr } = spawnSync(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
    console.log(stdout.trim().split('\n').slice(-12).join('\n'));
    // Each failing seed's line is its replay command, then what broke.
    const failed = existsSync(failuresFile) ? readFileSync(failuresFile, 'utf8').trim().split('\n').filter((l) => l !== '') : [];
    assert.deepEqual(failed, [], `${stdout.slice(-5000)}\n${stderr}`);
    assert.equal(status, 0, stderr);
    assert.match(stdout.trim().split('\n').at(-1)!, new RegExp(`^${runs} runs, 0 violations$`));
  });

  for (const { nodes, seeds } of STORMS) {
    for (const seed of seeds) {
      it(`${nodes} nodes, seed ${seed}: the highest ID is agreed within the bound, and traffic stays bounded`, () => {
        const result = runSimulation({ seed, nodes, bootStorm: true });
        assert.equal(result.scenario, 'boot-storm');
        assert.ok(result.capacityPlan !== null && result.capacityPlan.cores <= 2, 'a storm runs on few cores');
        assert.deepEqual(result.violations, [], formatFailure(result, nodes, true, ' --storm'));
        assert.ok(result.convergenceMs !== null && result.convergenceMs <= result.boundMs);
        console.log(
          `${nodes} nodes seed ${seed}: agreed ${result.convergenceMs} ms after the last process listened; ` +
            `${result.capacity.sendErrors} ENOBUFS, ${result.capacity.receiveBufferDrops} receive-buffer drops; ` +
            `busiest window before settling ${result.sendPeak?.multiple.toFixed(1)} × the settled rate`,
        );
      });
    }
  }
  for (const seed of STORM_L2_SEEDS) {
    it(`100 nodes, seed ${seed}: the new coordinator keeps its lease once agreed, on a machine a settled cluster keeps 80 % busy`, () => {
      const result = runSimulation({ seed, nodes: 100, bootStorm: true });
      assert.deepEqual(result.violations, [], formatFailure(result, 100, false, ' --storm'));
    });
  }
  it(`${STORM_BACKLOG.nodes} nodes, seed ${STORM_BACKLOG.seed}: agreement counts once the cores could read every queued input within a heartbeat, on a lease from a round sent since`, () => {
    const samples: Array<{ atMs: number; workMs: number }> = [];
    let calmAtMs = Infinity;
    let heartbeatMs = 0;
    const result = runSimulation({
      ...STORM_BACKLOG,
      bootStorm: true,
      inspect: (sim) => {
        heartbeatMs = sim.config.heartbeatMs;
        sim.watch((atMs, _node, item) => {
          if (typeof item === 'string' && item.startsWith('calm')) calmAtMs = atMs;
        });
        const sample = (): void => {
          if (sim.nowMs >= calmAtMs) samples.push({ atMs: sim.nowMs, workMs: sim.queuedWorkMs() });
          sim.scheduler.at(sim.nowMs + QUEUE_SAMPLE_MS, sample);
        };
        sim.scheduler.at(0, sample);
      },
    });
    assert.deepEqual(result.violations, [], formatFailure(result, STORM_BACKLOG.nodes, false, ' --storm'));
    const busyMs = Math.max(...samples.map((s) => s.workMs));
    assert.ok(busyMs > 5 * heartbeatMs, `the storm left ${busyMs.toFixed(0)} ms of queued work: the seed no longer tests the rule`);
    const agreedAtMs = calmAtMs + result.convergenceMs!;
    const lastBusy = samples.filter((s) => s.workMs > heartbeatMs).at(-1)!;
    assert.ok(lastBusy.atMs < agreedAtMs, `agreed at ${agreedAtMs} ms, while ${lastBusy.workMs.toFixed(0)} ms of work was queued at ${lastBusy.atMs} ms`);
    assert.ok(result.convergenceMs! <= result.boundMs);
    console.log(`100 nodes seed ${STORM_BACKLOG.seed}: ${busyMs.toFixed(0)} ms of queued work after the calm, worked off within a heartbeat by ${(lastBusy.atMs - calmAtMs).toFixed(0)} ms; agreed after ${result.convergenceMs?.toFixed(0)} ms`);
  });
});
