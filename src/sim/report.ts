import type { RunResult } from './run.ts';

/** The one-line command that replays a run exactly. */
export function replayCommand(seed: number, nodes: number | undefined): string {
  return `npm run sim -- --seed ${seed} --runs 1${nodes === undefined ? '' : ` --nodes ${nodes}`} --trace`;
}

/** How a failing run is reported: what broke, how to replay it, and (optionally) the trace. */
export function formatFailure(result: RunResult, nodesFlag: number | undefined, withTrace: boolean): string {
  const { seed, nodes, config } = result;
  const lines = [
    `VIOLATION seed ${seed}: ${nodes} nodes [${config.voters}], preempt ${config.preempt}, damping ${config.dampingMs} ms, member beat ${config.memberBeatMs} ms`,
    ...result.violations.map((v) => `  ${v.check} at ${(v.atMs / 1000).toFixed(4)}s: ${v.message}`),
    `  replay: ${replayCommand(seed, nodesFlag)}`,
  ];
  if (withTrace && result.trace !== null) lines.push('  trace up to the first violation:', result.trace);
  return lines.join('\n');
}
