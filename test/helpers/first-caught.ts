/**
 * The first of seeds 1 to `maxSeeds` whose run reports a violation of a check that `expect`
 * matches, or null: how the simulator tests look for the seed that catches a broken core.
 */
export function firstCaught<R extends { violations: ReadonlyArray<{ check: string }> }>(run: (seed: number) => R, expect: RegExp, maxSeeds: number): R | null {
  for (let seed = 1; seed <= maxSeeds; seed++) {
    const result = run(seed);
    if (result.violations.some((v) => expect.test(v.check))) return result;
  }
  return null;
}
