/**
 * The event lines' types: `on('event')` gives the union and a switch on `event` narrows it; an
 * emitter's misspelt field fails to compile (the @ts-expect-error lines are checked by
 * `npm run typecheck`); every kind has words on the command line and on the dashboard.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Elector } from '../../src/contract/elector.ts';
import { eventLine } from '../../src/contract/event-line.ts';
import { EVENT_KINDS, type ElectorEvents, type EventHeader, type EventKind, type NodeEvent } from '../../src/contract/events.ts';
import type { ElectionCause } from '../../src/core/index.ts';
import { humanLine } from '../../src/session/output.ts';
import { describeEvent } from '../../src/ui/lib/timeline.ts';
import { SAMPLE_FIELDS, sampleLines } from '../helpers/event-samples.ts';

/** True when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const unionKindsAreTheListedOnes: Equal<NodeEvent['event'], EventKind> = true;
/** No kind has a field named like a header field: its fields would overwrite the node's state. */
const noKindShadowsTheHeader: Equal<{ [K in EventKind]: keyof (typeof SAMPLE_FIELDS)[K][number] & keyof EventHeader }[EventKind], never> = true;

const STATE = { id: 1, role: 'follower', term: 2, leader: null, quorum: { have: 1, need: 2 } } as const;

/** Never called: what must not compile. */
export function misuses(node: Elector): void {
  // @ts-expect-error a renamed field (total → totl) fails to compile
  eventLine(STATE, 'dropped', { reason: 'empty', count: 1, totl: 1, from: null, source: null, detail: '' });
  // @ts-expect-error a kind that does not exist
  eventLine(STATE, 'peer-alive', { peer: 2 });
  node.on('event', (e) => {
    // @ts-expect-error before narrowing, only the header is known
    void e.cause;
    if (e.event === 'leader') {
      // @ts-expect-error a leader line has no token
      void e.token;
    }
  });
}

describe('event lines, typed', () => {
  it('the union and the run-time list agree, and no kind shadows the header', () => {
    assert.equal(unionKindsAreTheListedOnes, true);
    assert.equal(noKindShadowsTheHeader, true);
    assert.equal(new Set(EVENT_KINDS).size, EVENT_KINDS.length, 'no kind listed twice');
  });

  it("on('event') hands the union; a switch on `event` narrows it to the kind's fields", () => {
    // What every Elector is: an EventEmitter<ElectorEvents>.
    const node = new EventEmitter<ElectorEvents>();
    const causes: ElectionCause[] = [];
    const tokens: number[] = [];
    node.on('event', (e) => {
      switch (e.event) {
        case 'elected':
          causes.push(e.cause);
          if ('token' in e) tokens.push(e.token);
          return;
        default:
          return;
      }
    });
    for (const line of sampleLines()) node.emit('event', line);
    assert.deepEqual(causes, ['failover', 'cold-start']);
    assert.deepEqual(tokens, [4294967302]);
  });

  it('a line has the header first, in the order it always had, then its fields', () => {
    const line = eventLine(STATE, 'vote', { candidate: 4, forTerm: 8, preVote: false, granted: true, reason: null });
    assert.deepEqual(Object.keys(line), ['ts', 'event', 'id', 'role', 'term', 'leader', 'quorum', 'candidate', 'forTerm', 'preVote', 'granted', 'reason']);
  });

  it('every kind has a human line and a dashboard entry', () => {
    const lines = sampleLines();
    assert.deepEqual([...new Set(lines.map((line) => line.event))].sort(), [...EVENT_KINDS].sort());
    for (const line of lines) {
      assert.ok(humanLine(line).length > 40, line.event);
      assert.ok(describeEvent(line).text.length > 0, line.event);
    }
  });
});
