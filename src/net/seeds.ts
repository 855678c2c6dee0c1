/** Seed addresses: `host[:port]` entries, and their resolution to IPv4 endpoints. */
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { Endpoint } from './peer-directory.ts';
import { OptionError } from '../contract/errors.ts';

export interface Seed {
  host: string;
  port: number;
}

/** Parses "host[:port],host[:port]"; a missing port is `defaultPort`. Throws OptionError naming the bad entry. */
export function parseSeeds(text: string, defaultPort: number): Seed[] {
  const seeds = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(entry);
      if (match === null) throw new OptionError('seeds', 'seed', ` "${entry}": use host:port or an IPv4 address:port`);
      const port = match[2] === undefined ? defaultPort : Number(match[2]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OptionError('seeds', 'seed', ` "${entry}": port must be 1 to 65535`);
      return { host: match[1]!, port };
    });
  if (seeds.length === 0) throw new OptionError('seeds', 'seeds', ': give at least one host:port');
  return seeds;
}

export function formatSeed(seed: Seed): string {
  return `${seed.host}:${seed.port}`;
}

export interface SeedResolution {
  resolved: Endpoint[];
  failed: Array<{ seed: Seed; error: string }>;
}

/** Looks every seed up (IPv4); a name that does not resolve is reported, not thrown. */
export async function resolveSeeds(seeds: readonly Seed[]): Promise<SeedResolution> {
  const resolution: SeedResolution = { resolved: [], failed: [] };
  await Promise.all(
    seeds.map(async (seed) => {
      if (isIPv4(seed.host)) return resolution.resolved.push({ address: seed.host, port: seed.port });
      try {
        const { address } = await lookup(seed.host, { family: 4 });
        resolution.resolved.push({ address, port: seed.port });
      } catch (error) {
        resolution.failed.push({ seed, error: (error as Error).message });
      }
    }),
  );
  return resolution;
}
