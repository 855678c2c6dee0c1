/**
 * The words of an `alone` line: for each cause, what this node can tell and what usually fixes
 * it. A lab's machines are set up by one person who reads these on the machine that is alone.
 */
import type { ElectionConfig } from '../core/index.ts';
import { AloneCause } from '../contract/alone.ts';
import type { AloneEvidence, DescribeAlone } from './alone-watch.ts';
import { configDifference, type ConfigIdOf } from './config-difference.ts';

/** Where the node listens and what it is: what the words name. */
export interface AloneContext {
  interface: string;
  address: string;
  /** Why this interface (the started line's interfaceChoice): which adapters were skipped. */
  interfaceChoice: string;
  group: string;
  port: number;
  unicastPort: number;
  multicast: boolean;
  seeds: readonly string[];
  cluster: string;
  config: ElectionConfig;
  /** The hash the node's own config ID is made with, to try the guesses with. */
  configIdOf: ConfigIdOf;
}

/** Config differences are worked out once per peer config: the guesses cost a few thousand hashes. */
const MAX_CACHED_DIFFERENCES = 16;

export function aloneAdvice(context: AloneContext): DescribeAlone {
  const differences = new Map<string, string>();
  const difference = (evidence: AloneEvidence): string => {
    const { from, foreign } = evidence;
    if (foreign === null) return 'its voters or timers differ from ours';
    const key = `${foreign.configId}/${from}/${foreign.hears.join(',')}`;
    let words = differences.get(key);
    if (words === undefined) {
      words = configDifference(context.config, from, foreign, context.configIdOf);
      if (differences.size >= MAX_CACHED_DIFFERENCES) differences.clear();
      differences.set(key, words);
    }
    return words;
  };
  return (cause, evidence, silentForMs) => {
    switch (cause) {
      case AloneCause.NoDatagram:
        return noDatagram(context, silentForMs);
      case AloneCause.KeyMismatch:
        return keyMismatch(evidence!);
      case AloneCause.ConfigMismatch:
        return {
          diagnosis: `${sender(evidence!)} is of cluster "${context.cluster}" but runs another configuration: ${difference(evidence!)}`,
          fix: 'start every node with the same voters (--cluster-size or --voters, or one cluster file) and the same timer flags (--timeout-ms, --lease-ms, --heartbeat-ms, --member-beat-ms)',
        };
      case AloneCause.ForeignCluster:
        return {
          diagnosis: `${sender(evidence!)} sends for ${evidence!.detail}, not "${context.cluster}", on our group and port (${context.group}:${context.port})`,
          fix: `if it belongs to this cluster, start it with --cluster ${context.cluster}; if it is another cluster, give one of the two its own --group or --port`,
        };
    }
  };
}

function noDatagram(context: AloneContext, silentForMs: number): { diagnosis: string; fix: string } {
  const { port, unicastPort } = context;
  const seconds = Math.round(silentForMs / 1000);
  const where = context.multicast
    ? `group ${context.group} port ${port}${unicastPort === port ? '' : ` (unicast port ${unicastPort})`}`
    : `unicast port ${unicastPort} (no multicast; seeds ${context.seeds.join(', ') || 'none'})`;
  const ports = unicastPort === port || !context.multicast ? `UDP port ${context.multicast ? port : unicastPort}` : `UDP ports ${port} and ${unicastPort}`;
  return {
    diagnosis:
      `no datagram from any other node for ${seconds} s on ${context.interface} (${context.address}), ${where} (this interface: ${context.interfaceChoice}). ` +
      'Most likely a firewall drops inbound UDP, or the other nodes are on another interface (or none is running yet)',
    fix:
      `allow inbound ${ports} for Conclave (Windows: allow Node.js in Windows Defender Firewall for this network; macOS: allow incoming connections in the application firewall; Linux: open it in ufw, firewalld or nftables); ` +
      `if the other machines are reached through another adapter, start with --interface <name>; check that the others run with the same --group and --port`,
  };
}

function keyMismatch(evidence: AloneEvidence): { diagnosis: string; fix: string } {
  const from = evidence.sources.length === 0 ? 'a sender' : evidence.sources.join(', ');
  const keyId = /key (\d+)/.exec(evidence.detail)?.[1];
  let why: string;
  if (evidence.reason === 'unauthenticated') why = 'carry no MAC: that node runs without a key, and this one requires its key';
  else if (evidence.reason === 'unknown-key' && evidence.detail.includes('no key')) why = `are authenticated (key ID ${keyId}), and this node has no key`;
  else if (evidence.reason === 'unknown-key') why = `are signed with key ID ${keyId}, which this node's key file does not hold`;
  else why = `fail the MAC check with our key ID ${keyId}: the keys differ (or another cluster with its own key uses this group and port)`;
  return {
    diagnosis: `datagrams from ${from} ${why}`,
    fix: 'copy one key file to every node of the cluster (--key-file, the same file everywhere)',
  };
}

/** "n3 at 10.0.0.3:7707" (or as much of it as is known). */
function sender(evidence: AloneEvidence): string {
  const at = evidence.sources[0];
  const who = evidence.from === null ? 'a node' : `n${evidence.from}`;
  return at === undefined ? who : `${who} at ${at}`;
}
