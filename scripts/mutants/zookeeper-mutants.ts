import type { Mutant } from './mutant.ts';

const ZK_ELECTION = 'src/zookeeper/election/zk-election.ts';
const ZK_TESTS = ['test/zookeeper/zk-election.test.ts'];

/** Breaks of the ZooKeeper backend's leadership rules (its pure election core). */
export const ZOOKEEPER_MUTANTS: readonly Mutant[] = [
  {
    name: 'zk-lease-whole-session',
    rule: "a ZooKeeper leader's lease is two thirds of the session timeout, so it stops before its claim can expire",
    file: 'src/zookeeper/election/lease.ts',
    edits: [{ original: 'export const LEASE_SHARE = 2 / 3;', replacement: 'export const LEASE_SHARE = 1;' }],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-lease-from-reply',
    rule: "a ZooKeeper leader's lease runs from when its last successful write was sent, not from the reply",
    file: ZK_ELECTION,
    edits: [{ original: 'this.lastWriteMs = sentMs;', replacement: 'this.lastWriteMs = this.nowMs;' }],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-read-renews-lease',
    rule: "reads that come back do not renew a ZooKeeper leader's lease; only writes do",
    file: ZK_ELECTION,
    edits: [{ original: 'this.lastReadMs = sentMs;', replacement: 'this.lastReadMs = sentMs;\n    this.lastWriteMs = sentMs;' }],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-expiry-keeps-leading',
    rule: 'a leader whose session expires says demoted (session-expired), as a follower, in the same output',
    file: ZK_ELECTION,
    edits: [{ original: "this.loseContact('session-expired');", replacement: '' }],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-demoted-before-cleared',
    rule: "a demoted event is told once the node no longer leads (its status says follower)",
    file: ZK_ELECTION,
    edits: [
      { original: 'this.leading = null;', replacement: '' },
      {
        original: "this.emitEvent({ type: 'demoted', reason, token: leading.token, leaseEndedAtMs });",
        replacement: "this.emitEvent({ type: 'demoted', reason, token: leading.token, leaseEndedAtMs });\n    this.leading = null;",
      },
    ],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-claim-owner-ignored',
    rule: 'a leader that reads a claim held by another session demotes (claim-lost)',
    file: ZK_ELECTION,
    edits: [{ original: 'claim !== null && claim.owner === this.session.id && this.ownName !== null', replacement: 'claim !== null && this.ownName !== null' }],
    tests: ZK_TESTS,
  },
  {
    name: 'zk-claim-lost-no-demote',
    rule: 'a leader that no longer holds the claim stops leading and has no lease',
    file: ZK_ELECTION,
    edits: [{ original: "if (!this.stillHoldsClaim(this.claim)) return this.demote('claim-lost');", replacement: 'if (!this.stillHoldsClaim(this.claim)) return;' }],
    tests: ZK_TESTS,
  },
];
