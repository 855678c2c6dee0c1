/**
 * The ZooKeeper election's one test seam: the simulator's tests (test/sim/zookeeper.test.ts)
 * build deliberately broken elections through it, which its checkers must catch. Each hook runs
 * after the rule it is named for, and may undo that rule only through the seam it is handed.
 * Real nodes pass none; the package does not export it.
 */
import type { SessionState } from '../../contract/zookeeper-status.ts';

/** What a leader leads by: its claim's token (the fencing token), and since when. */
export interface ZkLead {
  token: number;
  sinceMs: number;
}

/** What a hook may do to the election: no more than a broken election needs. */
export interface ZkSeam {
  nowMs(): number;
  leading(): ZkLead | null;
  /** Leads by `lead`, whatever the claim says. */
  lead(lead: ZkLead): void;
  /** Counts a write sent at `sentMs` as succeeded: the lease runs from it. */
  confirmWrite(sentMs: number): void;
}

export interface ZkElectionHooks {
  /** A read sent at `sentMs` came back; the rule renews no lease by it (./lease.ts). */
  readConfirmed?(seam: ZkSeam, sentMs: number): void;
  /** The session expired and took the claim with it; `held`: what this node led by, or its own claim, just before. */
  expired?(seam: ZkSeam, held: ZkLead | null): void;
  /** The session changed to `state`, and the rule has handled it. */
  sessionChanged?(seam: ZkSeam, state: SessionState): void;
  /** Whether the claim just read still makes this node the leader, as the rule decided. */
  stillHoldsClaim?(holds: boolean): boolean;
}
