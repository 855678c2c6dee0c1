import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** The simulator's only source of randomness: everything derives from one seed. */
export class SimRandom {
  private readonly rng: JumpableRandomGenerator;

  constructor(seed: number | JumpableRandomGenerator) {
    this.rng = typeof seed === 'number' ? xoroshiro128plus(seed) : seed;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /**
   * An independent stream (2^64 draws apart), so that adding a draw in one component does not
   * shift the numbers every other component sees.
   */
  fork(): SimRandom {
    const child = this.rng.clone() as JumpableRandomGenerator;
    this.rng.jump();
    return new SimRandom(child);
  }
}

/**
 * A stream of its own for one kind of draw, so that adding it leaves every other draw of a seed
 * as it was. The seed is mixed first: xoroshiro's first draws from nearby seeds are nearly equal.
 */
export function streamOf(seed: number, stream: number): SimRandom {
  return new SimRandom(mix32(seed ^ stream));
}

/** In `share` of the seeds, one of `items`, drawn from a stream of its own; otherwise null. */
export function drawSometimes<T>(seed: number, stream: number, share: number, items: readonly T[]): T | null {
  const random = streamOf(seed, stream);
  return random.chance(share) ? random.pick(items) : null;
}

/** MurmurHash3's finalizer: nearby seeds become unrelated ones. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
