/**
 * `node --import tsx scripts/mutants/sim-catch.ts [--only NAME,…] [--seed S] [--runs R]`: for each
 * break of the election core's rules (./core-mutants.ts), the first seed of the simulator's random
 * runs, from S, that reports a violation with the break made, and which checks failed. The
 * mutation check runs only fast scripted tests; this measures what the simulator sees on its own
 * (docs/testing.md, "What the simulator catches"). One mutant at a time, one core: a sweep.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyMutant } from './apply.ts';
import { CORE_MUTANTS } from './core-mutants.ts';
import { Workspace } from './workspace.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs seeds from `first` until one fails, in the workspace's (mutated) sources; prints one JSON line. */
const SWEEP = (first: number, runs: number): string => `
import { runSimulation } from './src/sim/run.ts';
let caught = null;
for (let seed = ${first}; seed < ${first + runs} && caught === null; seed++) {
  const { violations } = runSimulation({ seed });
  if (violations.length > 0) caught = { seed, checks: [...new Set(violations.map((v) => v.check))], first: violations[0].message };
}
console.log(JSON.stringify(caught));`;

const { values } = parseArgs({ options: { only: { type: 'string' }, seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '300' } }, strict: true });
const only = values.only === undefined ? null : new Set(values.only.split(','));
const first = Number(values.seed);
const runs = Number(values.runs);
const mutants = CORE_MUTANTS.filter((mutant) => only === null || only.has(mutant.name));
if (mutants.length === 0) throw new Error(`no core mutant named ${values.only}`);

const workspace = new Workspace(ROOT);
try {
  for (const mutant of mutants) {
    const path = join(workspace.root, mutant.file);
    const original = readFileSync(path, 'utf8');
    const applied = applyMutant(mutant, original);
    if (!applied.ok) throw new Error(applied.problem);
    writeFileSync(path, applied.text);
    const startMs = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SWEEP(first, runs)], { cwd: workspace.root, encoding: 'utf8' });
    writeFileSync(path, original);
    const seconds = ((performance.now() - startMs) / 1000).toFixed(0);
    if (run.status !== 0) {
      console.log(`${mutant.name}: the sweep failed (${seconds} s): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const caught = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { seed: number; checks: string[]; first: string } | null;
    console.log(
      caught === null
        ? `${mutant.name}: not caught in seeds ${first}–${first + runs - 1} (${seconds} s)`
        : `${mutant.name}: caught at seed ${caught.seed} (${caught.checks.join(' ')}; ${seconds} s): ${caught.first}`,
    );
  }
} finally {
  workspace.remove();
}
