/**
 * The mutation check's list against today's sources (docs/testing.md, "The mutation check"): a
 * snippet that moved fails here too, in the ordinary test run, naming its break.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyMutant } from '../../scripts/mutants/apply.ts';
import { MUTANTS } from '../../scripts/mutants/list.ts';
import type { Mutant } from '../../scripts/mutants/mutant.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

const sample: Mutant = {
  name: 'sample',
  rule: 'a rule',
  file: 'sample.ts',
  edits: [{ original: 'a >= b', replacement: 'a > b' }],
  tests: [],
};

describe('mutation check: the list', () => {
  it('every break applies to today\'s sources: each snippet occurs exactly once in its file', () => {
    const problems = MUTANTS.map((mutant) => applyMutant(mutant, readFileSync(ROOT + mutant.file, 'utf8'))).flatMap((applied) => (applied.ok ? [] : [applied.problem]));
    assert.deepEqual(problems, []);
  });

  it('names are unique, and every covering test file exists', () => {
    assert.equal(new Set(MUTANTS.map((mutant) => mutant.name)).size, MUTANTS.length);
    for (const mutant of MUTANTS) {
      assert.ok(mutant.tests.length > 0, `${mutant.name} has covering tests`);
      for (const file of mutant.tests) assert.doesNotThrow(() => readFileSync(ROOT + file), `${mutant.name}: ${file}`);
    }
  });

  it('refuses a snippet that is missing or occurs twice, a change that changes nothing, and a survivor whose comment is gone', () => {
    assert.deepEqual(applyMutant(sample, 'if (a >= b) x();'), { ok: true, text: 'if (a > b) x();' });
    const problem = (mutant: Mutant, source: string): string => {
      const applied = applyMutant(mutant, source);
      assert.equal(applied.ok, false);
      return applied.ok ? '' : applied.problem;
    };
    assert.match(problem(sample, 'if (a > b) x();'), /^sample: "a >= b" not found in sample\.ts/);
    assert.match(problem(sample, 'a >= b; a >= b;'), /found 2 times/);
    assert.match(problem({ ...sample, edits: [{ original: 'a >= b', replacement: 'a >= b' }] }, 'a >= b'), /change nothing/);
    const survivor = { ...sample, survives: { why: 'equivalent', comment: '// b is never a' } };
    assert.match(problem(survivor, 'a >= b'), /comment that explains its survival/);
    assert.equal(applyMutant(survivor, 'a >= b // b is never a').ok, true);
  });
});
