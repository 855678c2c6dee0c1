import type { NodeId } from '../messages.ts';

/**
 * The successor a coordinator named when it resigned `term`. It chose the highest peer whose
 * acknowledgements were fresh (heard within two heartbeats), which is better evidence of who is
 * alive than a follower's view of the other followers (a slow beat every `memberBeatMs`).
 */
export interface NamedSuccessor {
  term: number;
  id: NodeId;
}
