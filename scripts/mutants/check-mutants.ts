import type { Mutant } from './mutant.ts';

const CHECK_TEST = ['test/check/verdict.test.ts'];

/** Breaks of `conclave check`'s rules (src/check): each would let a violation in a user's logs pass. */
export const CHECK_MUTANTS: readonly Mutant[] = [
  {
    name: 'check-allowance-wider',
    rule: 'an overlap longer than the clock allowance is a violation',
    file: 'src/check/safety.ts',
    edits: [{ original: 'withinAllowance: to - from <= maxClockOffsetMs', replacement: 'withinAllowance: to - from <= 10 * maxClockOffsetMs' }],
    tests: CHECK_TEST,
  },
  {
    name: 'check-stall-lease-end-ignored',
    rule: 'a coordinator frozen past its lease led until the lease ended, as its stalled line says, not until it noticed',
    file: 'src/check/leases.ts',
    edits: [{ original: 'if (open !== null) open.endedAt = line.leaseEndedAt;', replacement: 'if (open !== null) open.endedAt = null;' }],
    tests: CHECK_TEST,
  },
  {
    name: 'check-pre-votes-counted',
    rule: 'only granted votes, not pre-votes, bind a node to one candidate per term',
    file: 'src/check/safety.ts',
    edits: [{ original: "if (line.event !== 'vote' || !line.granted || line.preVote) continue;", replacement: "if (line.event !== 'vote' || !line.granted) continue;" }],
    tests: CHECK_TEST,
  },
  {
    name: 'check-restart-term-unchecked',
    rule: 'a restart that reads a lower term from disk than its previous run reached is a term gone back',
    file: 'src/check/safety.ts',
    edits: [{ original: 'if (highest !== null && startTerm < highest.term)', replacement: 'if (highest !== null && startTerm < 0)' }],
    tests: CHECK_TEST,
  },
];
