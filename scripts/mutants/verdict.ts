import type { Mutant } from './mutant.ts';
import type { TestRun } from './run-tests.ts';

export const Verdict = {
  Killed: 'killed',
  /** The tests ran past their time: a break that hangs them is caught as well as one that fails them. */
  TimedOut: 'timed out',
  /** Survived, and the list explains why (beside the rule too). */
  Explained: 'survived, explained',
  Survived: 'SURVIVED',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export function verdictOf(mutant: Mutant, run: TestRun): Verdict {
  if (run.timedOut) return Verdict.TimedOut;
  if (!run.passed) return Verdict.Killed;
  return mutant.survives === undefined ? Verdict.Survived : Verdict.Explained;
}

/** One line per mutant: verdict, time, name, the rule it broke, and for a survivor why. */
export function verdictLine(mutant: Mutant, verdict: Verdict, run: TestRun): string {
  const seconds = `${(run.ms / 1000).toFixed(1)} s`.padStart(7);
  const lines = [`${verdict.padEnd(19)} ${seconds}  ${mutant.name}: ${mutant.rule}`];
  // The first failing test names say what caught it: a test of the rule, not a crash on import.
  if (verdict === Verdict.Killed) lines.push(`    caught by: ${run.failed.slice(0, 2).join('; ') || 'a failing exit, no test named'}`);
  if (verdict === Verdict.Survived) lines.push(`    no test failed: ${mutant.tests.join(' ')}; add a test that fails with ${mutant.file} changed so, or explain it (survives)`);
  if (verdict === Verdict.Explained) lines.push(`    ${mutant.survives!.why}`);
  if (verdict !== Verdict.Explained && mutant.survives !== undefined) lines.push('    listed as a survivor but caught: drop its `survives` and the comment beside the rule');
  return lines.join('\n');
}
