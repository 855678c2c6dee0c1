/**
 * The simulator's capacity model (src/sim/capacity.ts): each limit drops and reports as designed,
 * and the send-rate bound R1 catches a core that floods.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body, Message, Ready } from '../../src/core/index.ts';
import { lanCoreOf } from '../../src/core/lan-core.ts';
import { ElectionNode } from '../../src/core/node.ts';
import { SimBacklog } from '../../src/sim/backlog.ts';
import { drawCapacity, receiveQueueFloor, type CapacityPlan } from '../../src/sim/capacity.ts';
import { SimCluster } from '../../src/sim/cluster.ts';
import { SimCpu } from '../../src/sim/cpu.ts';
import { SimInbox, schedulerSliceMs } from '../../src/sim/inbox.ts';
import { SimMachine } from '../../src/sim/machine.ts';
import { SimRandom } from '../../src/sim/prng.ts';
import { formatFailure } from '../../src/sim/report.ts';
import { runSimulation } from '../../src/sim/run.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { firstCaught } from '../helpers/first-caught.ts';

const ROOMY: CapacityPlan = {
  receiveQueueDatagramsMax: 1024,
  backlogPacketsMax: 1000,
  backlogPacketsPerMs: 300,
  cores: 4,
  inputCpuUs: 20,
  bootCpuMs: 50,
};

describe('capacity model', () => {
  it("a drawn machine's receive queue holds a settled cluster's round of acknowledgements twice over (seed 55 of 100 nodes)", () => {
    const drawn = (voters: number) => Array.from({ length: 40 }, (_, i) => drawCapacity(new SimRandom(i + 1), 1000, voters).receiveQueueDatagramsMax);
    assert.ok(drawn(5).includes(64), 'small clusters still meet the smallest queue');
    assert.equal(receiveQueueFloor(100), 198);
    assert.ok(drawn(100).every((queue) => queue >= 198), `queues drawn for 100 voters: ${[...new Set(drawn(100))]}`);
    assert.ok(drawn(100).includes(198), 'the smallest draw is raised to the floor, not dropped');
  });

  it('a full backlog drops packets, refuses senders, and drains with time', () => {
    const backlog = new SimBacklog(3, 1);
    assert.equal([0, 0, 0, 0].map(() => backlog.admit(0)).filter(Boolean).length, 3);
    assert.equal(backlog.refuses(0), true);
    assert.equal(backlog.delayMs(0), 3);
    assert.equal(backlog.refuses(1), false, 'one packet drained in a millisecond');
    assert.equal(backlog.admit(1), true);
    assert.equal(backlog.admit(1), false);
  });

  it('shared cores delay work; a host takes one input at a time', () => {
    const cpu = new SimCpu(2);
    assert.equal(cpu.claim(0, 1), 1);
    assert.equal(cpu.claim(0, 1), 1);
    assert.equal(cpu.claim(0, 1), 2, 'the third waits for a core');
    assert.equal(cpu.waitMs(0), 1);
    assert.equal(cpu.busyMs, 3);
  });

  it('a full receive buffer drops datagrams and counts them; a stalled process reads nothing', () => {
    const scheduler = new Scheduler();
    const machine = new SimMachine(scheduler, new SimRandom(1), 0);
    machine.start();
    let overflows = 0;
    const seen: number[] = [];
    const inbox = new SimInbox({ scheduler, machine, cpu: new SimCpu(1), random: new SimRandom(2), inputCpuUs: 1000, datagramsMax: 2, sliceMs: 1.5, onOverflow: () => overflows++ });
    machine.stall(10);
    for (let i = 0; i < 5; i++) inbox.datagram(() => seen.push(scheduler.nowMs));
    assert.equal(inbox.overflows, 3);
    assert.equal(overflows, 3);
    scheduler.runUntil(100);
    assert.equal(seen.length, 2);
    assert.ok(seen[0]! >= 10.5, `read after the stall, at ${seen[0]}`);
    assert.ok(seen[1]! >= seen[0]! + 0.5, 'one input at a time');
  });

  it("a process with much to read keeps a core for a slice, as Linux's scheduler lets it, not for one input", () => {
    // One process with 1000 inputs queued beside 99 that always have one each (every input they
    // read brings the next), on two cores at about 100 µs an input, for 100 ms. One input a turn
    // gave the busy process one input in 100: a coordinator reading its acknowledgements behind
    // 99 followers that each had one (seed 30000249).
    const readIn100Ms = (sliceMs: number): number => {
      const scheduler = new Scheduler();
      const cpu = new SimCpu(2);
      const inboxOf = (seed: number) => {
        const machine = new SimMachine(scheduler, new SimRandom(seed), 0);
        machine.start();
        return new SimInbox({ scheduler, machine, cpu, random: new SimRandom(seed), inputCpuUs: 100, datagramsMax: 1000, sliceMs, onOverflow: () => {} });
      };
      const busy = inboxOf(1);
      let read = 0;
      for (let i = 0; i < 1000; i++) busy.datagram(() => read++);
      for (let i = 0; i < 99; i++) {
        const light = inboxOf(i + 2);
        const next = (): void => {
          if (scheduler.nowMs < 100) light.datagram(next);
        };
        light.datagram(next);
      }
      scheduler.runUntil(100);
      return read;
    };
    assert.equal(schedulerSliceMs(1), 0.75);
    assert.equal(schedulerSliceMs(2), 1.5);
    assert.equal(schedulerSliceMs(4), 2.25);
    const perInput = readIn100Ms(0);
    const perSlice = readIn100Ms(schedulerSliceMs(2));
    console.log(`the busy process read ${perSlice} inputs in 100 ms (one input a turn: ${perInput})`);
    assert.ok(perInput < 30, `one input a turn: ${perInput}`);
    assert.ok(perSlice > 150, `a slice a turn: ${perSlice}`);
  });

  it('a cluster on a starved machine reports send failures and backlog drops, in its stats and its trace', () => {
    const starved: CapacityPlan = { receiveQueueDatagramsMax: 4, backlogPacketsMax: 8, backlogPacketsPerMs: 0.05, cores: 1, inputCpuUs: 200, bootCpuMs: 50 };
    const sim = new SimCluster({ voters: [1, 2, 3, 4, 5, 6, 7, 8, 9], seed: 7, capacity: starved });
    sim.boot();
    sim.runFor(10_000);
    const stats = sim.capacityStats();
    assert.ok(stats.sendErrors > 0, `ENOBUFS: ${JSON.stringify(stats)}`);
    assert.ok(stats.worstSender !== null && stats.worstSender.sendErrors > 0);
    assert.equal(stats.sendErrors, [...sim.network.sendErrors.values()].reduce((a, b) => a + b, 0));
    assert.ok(stats.backlogDrops > 0, JSON.stringify(stats));
    assert.match(sim.trace.format(), /ENOBUFS/);
    assert.deepEqual(sim.safety.violations, []);
  });

  it('a roomy machine drops nothing, and the same seed replays exactly', () => {
    const run = () => {
      const sim = new SimCluster({ voters: [1, 2, 3, 4, 5], seed: 3, capacity: ROOMY });
      sim.boot();
      sim.runFor(5000);
      return { stats: sim.capacityStats(), network: { ...sim.network.stats }, leader: sim.agreedLeader() };
    };
    const a = run();
    assert.equal(a.stats.sendErrors + a.stats.receiveBufferDrops + a.stats.backlogDrops, 0);
    assert.equal(a.leader, 5);
    assert.deepEqual(run(), a);
  });

  it('--capacity off replays the unlimited machine', () => {
    const result = runSimulation({ seed: 11, capacity: 'off' });
    assert.equal(result.capacityPlan, null);
    assert.equal(result.capacity.cpuBusyMs, 0);
    assert.deepEqual(result.violations, []);
  });
});

/**
 * A follower that answers every lease round with three membership heartbeats: about 41
 * datagrams a second against a settled 11, a storm no other check sees.
 */
class Flooder extends ElectionNode {
  #membership: Message | null = null;

  override ready(): Ready {
    const ready = super.ready();
    for (const { message } of ready.messages) if (message.type === 'heartbeat' && message.round === 0) this.#membership = message;
    return ready;
  }

  override step(message: Message, nowMs: number): void {
    super.step(message, nowMs);
    if (message.type !== 'heartbeat' || message.round === 0 || this.#membership === null) return;
    const { from: _from, bootId: _bootId, term: _term, to: _to, ...body } = this.#membership;
    for (let i = 0; i < 3; i++) this.broadcast({ ...body } as Body);
  }
}

describe('send-rate bound (R1)', () => {
  it('catches a core that floods, naming the node, the window and what it sent', () => {
    const caught = firstCaught((seed) => runSimulation({ seed, createCore: (o) => lanCoreOf(new Flooder(o)) }), /^R1$/, 30);
    assert.ok(caught !== null, 'no seed of 30 caught it');
    const hit = caught.violations.find((v) => v.check === 'R1')!;
    assert.match(hit.message, /^after settling, n\d+ sent \d+ datagrams in [\d.]+ s from [\d.]+ s \([\d.]+ × the settled \d+\/s; bound 3 ×\): \d+ heartbeat/);
    assert.match(formatFailure(caught, undefined, false), /R1 at .*\n {2}replay: npm run sim -- --seed \d+ --runs 1 --trace/);
    console.log(`flooder caught at seed ${caught.seed}: ${hit.message}`);
  });

  it('passes the real core on the seeds the flooder fails', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const result = runSimulation({ seed });
      assert.deepEqual(result.violations.filter((v) => v.check === 'R1'), [], `seed ${seed}`);
    }
  });
});
