/**
 * The coordinator panel's content: who leads, since when, under which term (the fencing token)
 * and why (the votes it won and what started the election).
 */
import type { ElectionCause, NodeId } from '../../core/messages.ts';
import type { RuntimeStatus } from '../../contract/status.ts';
import { isNumber, nodeLabel } from './format.ts';

/** The cause of an election, as a sentence fragment: "elected after a failover after a timeout". */
export const CAUSE_IN_WORDS = {
  'cold-start': 'cold start',
  failover: 'failover after a timeout',
  resignation: 'resignation',
  preemption: 'preemption by a higher ID',
} as const satisfies Record<ElectionCause, string>;

export function causeInWords(cause: string): string {
  return (CAUSE_IN_WORDS as Record<string, string>)[cause] ?? cause;
}

export const CAMPAIGN_PHASE_IN_WORDS = { 'pre-vote': 'pre-vote', vote: 'vote' } as const;

/** Voter chips shown; the rest are counted ("+39 more"), or 100 peers would fill the panel. */
export const MAX_VOTERS_SHOWN = 12;

export interface ElectionSummary {
  term: number;
  cause: string;
  /** The voters shown, by ID. */
  voters: NodeId[];
  /** Voters not shown. */
  moreVoters: number;
  votesReceived: number;
  votesNeeded: number;
}

export interface CampaignSummary {
  phase: 'pre-vote' | 'vote';
  term: number;
  cause: string;
  granted: NodeId[];
  need: number;
  /** "pre-vote for term 8, granted 2 of 3" */
  text: string;
}

export interface CoordinatorView {
  leader: NodeId | null;
  /** "n5", or "none". */
  leaderLabel: string;
  /** This node is the coordinator. */
  isSelf: boolean;
  /** How long the coordinator has been known, now (not at the snapshot); null when unknown. */
  leaderForMs: number | null;
  /** This node's term: while a coordinator leads, the fencing token of its lease. */
  term: number;
  /** The election that made the present coordinator, when this node saw it won. */
  election: ElectionSummary | null;
  campaign: CampaignSummary | null;
}

/**
 * @param snapshotAgeMs how long ago the snapshot arrived; durations in it are relative to it, so
 *   they stay right whatever the browser's clock says (it may run on another machine).
 */
export function deriveCoordinator(status: RuntimeStatus, snapshotAgeMs: number): CoordinatorView {
  const { leader } = status;
  // Only a LAN node knows why its elections were held and who voted.
  const last = status.backend === 'lan' ? status.lastElection : null;
  // lastElection outlives its coordinator; it explains the present one only if it made it.
  let election: ElectionSummary | null = null;
  if (status.backend === 'lan' && leader !== null && last !== null && last.leader === leader) {
    const voters = [...last.votedBy].sort((a, b) => a - b);
    election = {
      term: last.term,
      cause: last.cause,
      voters: voters.slice(0, MAX_VOTERS_SHOWN),
      moreVoters: Math.max(0, voters.length - MAX_VOTERS_SHOWN),
      votesReceived: voters.length,
      votesNeeded: status.quorum.need,
    };
  }
  const campaign = status.backend === 'lan' ? status.campaign : null;
  return {
    leader,
    leaderLabel: nodeLabel(leader),
    isSelf: leader !== null && leader === status.id,
    leaderForMs: leader !== null && isNumber(status.leaderForMs) ? status.leaderForMs + Math.max(0, snapshotAgeMs) : null,
    term: status.term,
    election,
    campaign:
      campaign === null
        ? null
        : {
            phase: campaign.phase,
            term: campaign.term,
            cause: campaign.cause,
            granted: campaign.granted,
            need: campaign.need,
            text: `${CAMPAIGN_PHASE_IN_WORDS[campaign.phase]} for term ${campaign.term}, granted ${campaign.granted.length} of ${campaign.need}`,
          },
  };
}
