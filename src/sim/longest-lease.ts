import { ConfigError, resolveConfig, type ElectionConfigInput } from '../core/index.ts';
import { streamOf } from './prng.ts';

/** Its own stream, so that every other draw of a seed stays as it was. */
const LONGEST_LEASE_STREAM = 0x6c656173;
/** Share of random runs whose lease is the longest the configuration accepts. */
export const LONGEST_LEASE_SHARE = 0.1;

/**
 * In LONGEST_LEASE_SHARE of the seeds, the longest whole-millisecond lease that `resolveConfig`
 * accepts for `input`, as an operator who sets it as long as allowed gets; otherwise null (the
 * default, 90 % of the timeout). The limit is the timeout shortened by the drift bound (S4, S2):
 * the configuration's check, not this draw, keeps such runs safe, so a check that let a lease of
 * a whole timeout through is caught by the sweep.
 */
export function drawLongestLease(seed: number, input: ElectionConfigInput): number | null {
  if (!streamOf(seed, LONGEST_LEASE_STREAM).chance(LONGEST_LEASE_SHARE)) return null;
  const { timeoutMs } = resolveConfig(input);
  for (let leaseMs = timeoutMs; leaseMs > 0; leaseMs--) {
    try {
      resolveConfig({ ...input, leaseMs });
      return leaseMs;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return null;
}
