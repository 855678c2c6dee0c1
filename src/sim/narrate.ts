import type { CoreEvent, NodeId } from '../core/index.ts';
import { runSimulation } from './run.ts';

/** One run told as it happens: faults, elections, coordinators, step-downs. */
export function narrate(seed: number, nodes: number | undefined): void {
  console.log(`One simulated cluster, seed ${seed}: what happens, in simulated time.\n`);
  const result = runSimulation({
    seed,
    nodes,
    watch(atMs, node, item) {
      const line = typeof item === 'string' ? `-- ${item}` : tell(node, item);
      if (line !== null) console.log(`${(atMs / 1000).toFixed(3).padStart(8)}s  ${line}`);
    },
  });
  const { config, violations, convergenceMs, network } = result;
  console.log(
    `\n${result.nodes} nodes [${config.voters}], preemption ${config.preempt ? `on after ${config.dampingMs} ms` : 'off'}; ` +
      `${network.sent} datagrams sent, ${network.lost} lost, ${network.cut} cut by partitions, ${network.duplicated} duplicated.`,
  );
  console.log(
    `After the faults stopped, the cluster agreed on a coordinator in ${convergenceMs?.toFixed(0) ?? '(never)'} ms ` +
      `(bound ${result.boundMs} ms). Violations: ${violations.length === 0 ? 'none' : violations.map((v) => v.check).join(', ')}.\n`,
  );
}

function tell(node: NodeId, event: CoreEvent): string | null {
  switch (event.type) {
    case 'elected':
      return `n${node} is coordinator of term ${event.term} (${event.cause}; votes from ${event.votedBy.join(', ')})`;
    case 'demoted':
      return `n${node} stops leading term ${event.term} (${event.reason})`;
    case 'election-started':
      return event.preVote ? null : `n${node} asks for votes in term ${event.term} (${event.cause})`;
    case 'alarm':
      return `n${node} ${event.raised ? 'raises' : 'clears'} the ${event.alarm} alarm`;
    default:
      return null;
  }
}
