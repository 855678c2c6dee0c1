import { describeCapacity } from './capacity.ts';
import { describeLayout } from './layout.ts';
import type { RunResult } from './run.ts';
import type { ZkRunResult } from './zookeeper/run.ts';

export type Backend = 'lan' | 'zookeeper';

/** The one-line command that replays a run exactly. */
export function replayCommand(seed: number, nodes: number | undefined, backend: Backend = 'lan', extraFlags = ''): string {
  return `npm run sim -- ${backend === 'zookeeper' ? '--backend zookeeper ' : ''}--seed ${seed} --runs 1${nodes === undefined ? '' : ` --nodes ${nodes}`}${extraFlags} --trace`;
}

/** A failing run of the ZooKeeper backend: what broke, how to replay it, and (optionally) the trace. */
export function formatZkFailure(result: ZkRunResult, nodesFlag: number | undefined, withTrace: boolean): string {
  const { seed, nodes, config } = result;
  const lines = [
    `VIOLATION seed ${seed}: ${nodes} nodes, ZooKeeper ${config.mode}, preempt ${config.preempt}, damping ${config.dampingMs} ms, session timeout ${config.sessionTimeoutMs} ms`,
    ...result.violations.map((v) => `  ${v.check} at ${(v.atMs / 1000).toFixed(4)}s: ${v.message}`),
    `  replay: ${replayCommand(seed, nodesFlag, 'zookeeper')}`,
  ];
  if (withTrace && result.trace !== null) lines.push('  the story up to the first violation:', result.trace);
  return lines.join('\n');
}

/** How a failing run is reported: what broke, how to replay it, and (optionally) the trace. */
export function formatFailure(result: RunResult, nodesFlag: number | undefined, withTrace: boolean, extraFlags = ''): string {
  const { seed, nodes, config, capacity } = result;
  const lines = [
    `VIOLATION seed ${seed}: ${nodes} nodes [${config.voters}], preempt ${config.preempt}, damping ${config.dampingMs} ms, member beat ${config.memberBeatMs} ms${result.scenario === 'boot-storm' ? ', boot storm' : ''}`,
    `  network: ${describeLayout(result.layout)}; ${result.network.filtered} multicast packets filtered, ${result.network.unreachable} unicast datagrams to a stale port; at most ${result.copiesPer10sMax} unicast copies a node in a 10-s window once settled`,
    `  machine: ${describeCapacity(result.capacityPlan)}${result.settledLoad === null ? '' : ` (settled, the cluster keeps ${(result.settledLoad * 100).toFixed(0)} % of it busy)`}; ${capacity.sendErrors} send failures (ENOBUFS), ${capacity.receiveBufferDrops} receive-buffer drops, ${capacity.backlogDrops} backlog drops`,
    ...result.violations.map((v) => `  ${v.check} at ${(v.atMs / 1000).toFixed(4)}s: ${v.message}`),
    `  replay: ${replayCommand(seed, nodesFlag, 'lan', extraFlags)}`,
  ];
  if (withTrace && result.trace !== null) lines.push('  trace up to the first violation:', result.trace);
  return lines.join('\n');
}
