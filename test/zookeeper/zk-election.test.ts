/**
 * The ZooKeeper election as a pure state machine, input by input: no server, no timers, every
 * reply written out. What the simulator finds by chance, these pin down.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionState } from '../../src/contract/zookeeper-status.ts';
import { ZkFailure, type ZkReply, type ZkRequest } from '../../src/zookeeper/election/requests.ts';
import { ZkElection, type ZkOutbound, type ZkOutput } from '../../src/zookeeper/election/zk-election.ts';

const T = 3000;
const SESSION = '00000000000000aa';

/** An election with a scripted ensemble: `answer` says what each request gets back. */
class Script {
  readonly election = new ZkElection({ id: 7, path: '/e', mode: 'fair', requestedTimeoutMs: T, dampingMs: 0, preempt: true, candidateData: new Uint8Array([1]) });
  readonly outputs: ZkOutput[] = [];
  pending: ZkOutbound[] = [];
  nowMs = 1000;

  take(output: ZkOutput): ZkOutput {
    this.outputs.push(output);
    this.pending.push(...output.requests);
    return output;
  }

  connect(): void {
    this.take(this.election.start(this.nowMs));
    this.take(this.election.sessionChanged(SessionState.Connected, SESSION, T, this.nowMs));
  }

  /** Answers the oldest request; returns it. */
  answer(reply: (request: ZkRequest) => ZkReply<unknown>): ZkRequest {
    const next = this.pending.shift();
    assert.ok(next !== undefined, 'no request is waiting');
    this.take(this.election.replied(next.id, reply(next.request), this.nowMs));
    return next.request;
  }

  /** Answers as a one-candidate ensemble where this node registers and claims (token 42). */
  healthy(request: ZkRequest, claimed: boolean): ZkReply<unknown> {
    switch (request.op) {
      case 'create':
        return { ok: true, value: request.sequential ? '/e/id-7-0000000000' : '/e/leader' };
      case 'children':
        return { ok: true, value: claimed ? ['id-7-0000000000', 'leader'] : ['id-7-0000000000'] };
      case 'get-data':
        return { ok: true, value: claimed ? { data: new TextEncoder().encode('{"id":7,"znode":"id-7-0000000000"}'), stat: { czxid: 42, owner: SESSION } } : null };
      default:
        return { ok: true, value: null };
    }
  }

  events(): string[] {
    return this.outputs.flatMap((o) => o.events.map((told) => told.event.type));
  }
}

/** Registers and claims: the node leads with token 42. */
function leader(): Script {
  const script = new Script();
  script.connect();
  let claimed = false;
  while (script.pending.length > 0) {
    const request = script.answer((r) => script.healthy(r, claimed));
    if (request.op === 'create' && !request.sequential) claimed = true;
  }
  assert.ok(script.election.hasLease(script.nowMs));
  assert.equal(script.election.term, 42);
  return script;
}

describe('ZooKeeper election core', () => {
  it('leads from its claim, and its lease runs two thirds of the session timeout from the write that confirmed it', () => {
    const script = leader();
    const leaseUntilMs = script.election.inspect().leading!.leaseUntilMs;
    assert.equal(leaseUntilMs, 1000 + (2 * T) / 3);
    assert.ok(script.election.hasLease(leaseUntilMs - 1));
    assert.equal(script.election.hasLease(leaseUntilMs), false);
  });

  it('a write renews the lease from when it was sent, not from its late reply (the ensemble counts from before the reply)', () => {
    const script = leader();
    script.nowMs += T / 6;
    script.take(script.election.tick(script.nowMs));
    let writeSentMs: number | null = null;
    while (script.pending.length > 0) {
      if (writeSentMs === null && script.pending.some((p) => p.request.op === 'set-data')) writeSentMs = script.nowMs;
      script.nowMs += 400; // every reply comes 400 ms after its request
      script.answer((r) => script.healthy(r, true));
    }
    assert.ok(writeSentMs !== null, 'the leader renews by a write');
    assert.equal(script.election.inspect().leading!.leaseUntilMs, writeSentMs + (2 * T) / 3);
  });

  it('reads that come back do not renew the lease; writes that fail end it on time', () => {
    const script = leader();
    const leaseUntilMs = script.election.inspect().leading!.leaseUntilMs;
    // A refresh round whose reads succeed (a cut-off server still answers them) and whose write is refused.
    script.nowMs += T / 6;
    script.take(script.election.tick(script.nowMs));
    let refused = false;
    while (script.pending.length > 0) {
      script.answer((r) => {
        if (r.op !== 'set-data') return script.healthy(r, true);
        refused = true;
        return { ok: false, failure: ZkFailure.Other, message: 'not read-only' };
      });
    }
    assert.ok(refused, 'the leader renews by a write');
    assert.equal(script.election.inspect().leading!.leaseUntilMs, leaseUntilMs);
    script.nowMs = leaseUntilMs;
    script.take(script.election.tick(script.nowMs));
    assert.equal(script.election.hasLease(script.nowMs), false);
    assert.deepEqual(
      script.outputs.flatMap((o) => o.events.map((told) => told.event)).filter((e) => e.type === 'demoted'),
      [{ type: 'demoted', reason: 'zookeeper-unreachable', token: 42, leaseEndedAtMs: leaseUntilMs }],
    );
  });

  it('stops leading at once when the connection is lost', () => {
    const script = leader();
    const output = script.take(script.election.sessionChanged(SessionState.Suspended, SESSION, T, script.nowMs));
    assert.equal(script.election.hasLease(script.nowMs), false);
    // Each event tells the node's state as it was then: the lines read leader, then follower.
    assert.deepEqual(
      output.events.map((told) => [told.event.type, told.state.role]),
      [['session', 'leader'], ['demoted', 'follower'], ['leader', 'follower']],
    );
  });

  it('a leader whose session expires says demoted, as a follower, in the output that tells of the expiry', () => {
    const script = leader();
    const output = script.take(script.election.sessionChanged(SessionState.Expired, SESSION, T, script.nowMs));
    assert.equal(script.election.hasLease(script.nowMs), false, 'no lease from the instant the expiry is known');
    const told = output.events.map((t) => [t.event.type, t.state.role]);
    const demoted = output.events.find((t) => t.event.type === 'demoted');
    assert.ok(demoted !== undefined, `a demoted line at once, not at the lease's end: ${JSON.stringify(told)}`);
    assert.deepEqual(demoted.event, { type: 'demoted', reason: 'session-expired', token: 42, leaseEndedAtMs: script.nowMs });
    assert.equal(demoted.state.role, 'follower', 'the demoted line reads follower');
    const after = output.events.slice(output.events.indexOf(demoted));
    assert.deepEqual(after.filter((t) => t.state.role !== 'follower'), [], `no line after it reads otherwise: ${JSON.stringify(told)}`);
    assert.equal(script.election.state().role, 'follower');
    assert.ok(output.commands.includes('new-session'), 'and it asks for a new session');
  });

  it('a leader that reads a claim held by another session says demoted (claim-lost) and has no lease', () => {
    const script = leader();
    const OTHER = '00000000000000bb';
    script.nowMs += T / 6; // the next refresh reads the claim again
    script.take(script.election.tick(script.nowMs));
    let claimRead = false;
    while (script.pending.length > 0) {
      script.answer((r) => {
        if (r.op !== 'get-data') return script.healthy(r, true);
        claimRead = true;
        // The claim was deleted (by hand, or with a session the ensemble expired) and node 9 took it.
        return { ok: true, value: { data: new TextEncoder().encode('{"id":9,"znode":"id-9-0000000001"}'), stat: { czxid: 50, owner: OTHER } } };
      });
    }
    assert.ok(claimRead, 'the refresh read the claim');
    assert.equal(script.election.hasLease(script.nowMs), false, 'the lease is gone at once, though its last write succeeded');
    const demoted = script.outputs.flatMap((o) => o.events).filter((t) => t.event.type === 'demoted');
    assert.deepEqual(demoted.map((t) => t.event), [{ type: 'demoted', reason: 'claim-lost', token: 42, leaseEndedAtMs: script.nowMs }]);
    // Still first in line (fair mode), it waits for the claim as a candidate: not a leader.
    assert.notEqual(demoted[0]!.state.role, 'leader', 'the demoted line does not read leader');
    assert.notEqual(script.election.state().role, 'leader');
    assert.equal(script.election.state().leader, 9, 'the claim\'s holder is the leader it knows');
    assert.equal(script.election.term, 50, 'and its token the term');
  });

  it('removes a znode whose create it gave up on, when the reply comes after all', () => {
    const script = new Script();
    script.connect();
    script.answer((r) => script.healthy(r, false)); // ensure-path
    assert.equal(script.pending[0]!.request.op, 'create');
    script.take(script.election.pause(script.nowMs)); // the round that sent the create gives way
    const lateCreate = script.pending.shift()!;
    script.pending = [];
    const output = script.take(script.election.replied(lateCreate.id, { ok: true, value: '/e/id-7-0000000000' }, script.nowMs));
    assert.deepEqual(output.requests.map((r) => r.request), [{ op: 'remove', path: '/e/id-7-0000000000' }]);
  });

  it('a stop that meets an expired session closes at once (simulator seed 669)', () => {
    const script = leader();
    script.take(script.election.stop(script.nowMs));
    assert.ok(script.pending.length > 0, 'the stop releases the claim first');
    const output = script.take(script.election.sessionChanged(SessionState.Expired, SESSION, T, script.nowMs));
    assert.deepEqual(output.commands, ['close']);
    assert.equal(script.election.wakeAtMs(), null);
  });
});
