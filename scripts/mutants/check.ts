/**
 * `npm run test:mutants`: breaks each safety and security rule of the list, one at a time, in a
 * copy of the project, and runs the tests that must catch it. Exits 1 if a break survives that the
 * list does not explain, if a snippet of the list is no longer in its file, or if the covering
 * tests fail without any break; 2 on a bad flag. docs/testing.md, "The mutation check".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyMutant } from './apply.ts';
import { MUTANTS } from './list.ts';
import type { Mutant } from './mutant.ts';
import { runPool } from './pool.ts';
import { endAllRuns, runTests, type TestRun } from './run-tests.ts';
import { Verdict, verdictLine, verdictOf } from './verdict.ts';
import { Workspace } from './workspace.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** A mutant's tests may take this many times their unbroken run, plus the slack, before it counts as a hang. */
const TIMEOUT_FACTOR = 5;
const TIMEOUT_SLACK_MS = 15_000;

const USAGE = `usage: npm run test:mutants -- [--only NAME[,NAME…]] [--jobs N] [--list]
  --only   run only these mutants (names as --list prints them)
  --jobs   parallel workers (default: the CPU count, ${availableParallelism()} here)
  --list   print the mutants and exit`;

function badFlag(message: string): never {
  console.error(`test:mutants: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseFlags(): { only: Set<string> | null; jobs: number; list: boolean } {
  let values;
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, jobs: { type: 'string' }, list: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    badFlag((error as Error).message);
  }
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) badFlag(`--jobs: a whole number of workers from 1, got ${values.jobs}`);
  const only = values.only === undefined ? null : new Set(values.only.split(',').filter((name) => name !== ''));
  for (const name of only ?? []) {
    if (!MUTANTS.some((mutant) => mutant.name === name)) badFlag(`--only: no mutant is named ${name} (see --list)`);
  }
  return { only, jobs, list: values.list === true };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The tests a mutant runs, as one key: mutants that share them share one unbroken run. */
function selectionKey(mutant: Mutant): string {
  return JSON.stringify([mutant.tests, mutant.testNamePattern ?? null]);
}

/** Every mutant's edits against today's sources; any that cannot be made stop the check here. */
function mutatedTexts(mutants: readonly Mutant[]): Map<Mutant, string> {
  const texts = new Map<Mutant, string>();
  const problems: string[] = [];
  for (const mutant of mutants) {
    const applied = applyMutant(mutant, readFileSync(join(ROOT, mutant.file), 'utf8'));
    if (applied.ok) texts.set(mutant, applied.text);
    else problems.push(applied.problem);
  }
  if (problems.length > 0) {
    console.error(`test:mutants: the list no longer matches the code; update scripts/mutants/list.ts:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  return texts;
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const names = new Set<string>();
  for (const { name } of MUTANTS) {
    if (names.has(name)) throw new Error(`scripts/mutants/list.ts: two mutants are named ${name}`);
    names.add(name);
  }
  const mutants = MUTANTS.filter((mutant) => flags.only === null || flags.only.has(mutant.name));
  if (flags.list) {
    for (const mutant of mutants) console.log(`${mutant.name}  ${mutant.file}  ${mutant.tests.join(' ')}\n    ${mutant.rule}`);
    return;
  }
  const texts = mutatedTexts(mutants);
  const selections = new Map(mutants.map((mutant) => [selectionKey(mutant), mutant] as const));
  const startMs = performance.now();
  const workspaces = Array.from({ length: Math.min(flags.jobs, mutants.length) }, () => new Workspace(ROOT));
  const cleanUp = (): void => {
    endAllRuns();
    for (const workspace of workspaces) workspace.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    console.log(`test:mutants: ${plural(mutants.length, 'mutant')}, ${plural(selections.size, 'test selection')}, ${plural(workspaces.length, 'worker')}`);
    // Unbroken first: a test that fails anyway would count every mutant as caught.
    const baselineMs = new Map<string, number>();
    const failures: string[] = [];
    await runPool(workspaces, [...selections], async (workspace, [key, mutant]) => {
      const run = await runTests(workspace.root, mutant.tests, mutant.testNamePattern, 10 * 60_000);
      baselineMs.set(key, run.ms);
      if (!run.passed) failures.push(`${mutant.tests.join(' ')}${mutant.testNamePattern ? ` (tests named /${mutant.testNamePattern}/)` : ''} fail without any mutant:\n${run.output.slice(-3000)}`);
    });
    if (failures.length > 0) {
      console.error(`test:mutants: the covering tests must pass before anything is broken:\n${failures.join('\n')}`);
      process.exitCode = 1;
      return;
    }
    const verdicts: Verdict[] = [];
    await runPool(workspaces, mutants, async (workspace, mutant) => {
      const path = join(workspace.root, mutant.file);
      const original = readFileSync(path, 'utf8');
      writeFileSync(path, texts.get(mutant)!);
      let run: TestRun;
      try {
        const timeoutMs = TIMEOUT_FACTOR * baselineMs.get(selectionKey(mutant))! + TIMEOUT_SLACK_MS;
        run = await runTests(workspace.root, mutant.tests, mutant.testNamePattern, timeoutMs);
      } finally {
        writeFileSync(path, original);
      }
      const verdict = verdictOf(mutant, run);
      verdicts.push(verdict);
      console.log(verdictLine(mutant, verdict, run));
    });
    const count = (verdict: Verdict): number => verdicts.filter((v) => v === verdict).length;
    const seconds = ((performance.now() - startMs) / 1000).toFixed(0);
    console.log(
      `test:mutants: ${count(Verdict.Killed) + count(Verdict.TimedOut)} caught, ${count(Verdict.Explained)} survived as explained, ` +
        `${count(Verdict.Survived)} survived unexplained; ${seconds} s on ${plural(workspaces.length, 'worker')}`,
    );
    if (count(Verdict.Survived) > 0) process.exitCode = 1;
  } finally {
    cleanUp();
  }
}

await main();
