/**
 * The words both election cores share (the LAN core in ../core, the ZooKeeper one in
 * ../zookeeper/election): who a node is, what role it plays, why an election happens. Below both,
 * so that neither has to import the other to speak of a leader.
 */

/** A node ID: an integer in 1..4294967295. 0 is never an ID (the wire uses it for "none"). */
export type NodeId = number;

export const Role = { Follower: 'follower', Candidate: 'candidate', Leader: 'leader' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ElectionCause = {
  ColdStart: 'cold-start',
  Failover: 'failover',
  Resignation: 'resignation',
  Preemption: 'preemption',
} as const;
export type ElectionCause = (typeof ElectionCause)[keyof typeof ElectionCause];
