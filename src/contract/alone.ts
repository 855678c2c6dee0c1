/**
 * What a LAN node says when it hears no peer, or drops some sender's datagrams: the most likely
 * cause and its fix, in its `alone` line (at most once a minute per cause) and in its status.
 */
import type { NodeId } from '../core/index.ts';

/** Why a node hears nobody, or cannot take what a sender sends. */
export const AloneCause = {
  /** No datagram from any other node: a firewall, the wrong interface, or nobody else running. */
  NoDatagram: 'no-datagram',
  /** Datagrams whose MAC does not check out with our key (or with no key, or an unknown key ID). */
  KeyMismatch: 'key-mismatch',
  /** Datagrams of our cluster with another config ID: other voters or other safety timers. */
  ConfigMismatch: 'config-mismatch',
  /** Datagrams of another cluster name on our group and port. */
  ForeignCluster: 'foreign-cluster',
} as const;
export type AloneCause = (typeof AloneCause)[keyof typeof AloneCause];

export interface AloneDiagnosis {
  cause: AloneCause;
  /** What is wrong, as far as this node can tell, in words (it says what it cannot know). */
  diagnosis: string;
  /** What usually fixes it. */
  fix: string;
  /** Where the datagrams behind it came from ("ip:port"), the latest first; empty for no-datagram. */
  sources: string[];
  /** The node ID the latest of them claimed, where it decoded (config-mismatch, foreign-cluster). */
  from: NodeId | null;
}

/** The `alone` line: a diagnosis, and how things stood when it was made. */
export interface AloneFields extends AloneDiagnosis {
  /** Datagrams dropped for this cause since its last line (0 for no-datagram). */
  dropped: number;
  /** Peers heard (their datagrams accepted) within the last silence window. */
  peersHeard: number;
  /** How long no peer was heard, in ms (since start, or since the last one); 0 while one is heard. */
  silentForMs: number;
}
