/**
 * How many runs a fast-check property makes: its own count, or `FC_RUNS` from the environment. A
 * developer may lower it for a quick try and is told so; in CI a lower count would pass having
 * checked less than the property claims, so it fails the run instead, naming the variable. A
 * higher count is always welcome.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inCi } from './prerequisite.ts';

export function fcRuns(property: string, defaultRuns: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env.FC_RUNS?.trim();
  if (text === undefined || text === '') return defaultRuns;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) {
    it(`FC_RUNS for ${property}`, () => assert.fail(`FC_RUNS must be a whole number of runs, got ${JSON.stringify(text)}`));
    return defaultRuns;
  }
  if (runs >= defaultRuns) return runs;
  const weakened = `FC_RUNS=${runs} weakens ${property} to ${runs} of its ${defaultRuns} runs`;
  if (inCi()) {
    it(`FC_RUNS for ${property}`, () => assert.fail(`${weakened}; CI is set, so it fails instead of checking less`));
    return defaultRuns;
  }
  console.log(weakened);
  return runs;
}
