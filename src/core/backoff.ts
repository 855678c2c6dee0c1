import type { ElectionConfig } from './config.ts';

/**
 * How long a node waits before campaigning again after `failures` campaigns in a row failed
 * without anyone outranking it (docs/protocol.md, "Rates"): Ethernet's exponential back-off on a
 * heartbeat slot, randomised as Raft's timeouts are, and capped at a timeout so that a node still
 * tries again within two timeouts once the world has changed in a way it cannot see. The first
 * failure waits what it always did, `heartbeatMs·(1 + U)`; the first campaign waits nothing.
 */
export function campaignBackoffMs(config: ElectionConfig, failures: number, random: () => number): number {
  const slotMs = Math.min(config.heartbeatMs * 2 ** Math.max(0, failures - 1), config.timeoutMs);
  return slotMs * (1 + random());
}
