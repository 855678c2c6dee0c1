/**
 * CI runs the tests twice: all of them on Node 20, and again on Node 24 (Electron's Node) those
 * that use Node's own modules at run time: `npm run test:node-dependent`. A new folder of tests
 * must land on one side on purpose, or a runtime test would silently run on one Node only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Folders whose tests run once, and why no Node 24 pass is needed. */
const RUN_ONCE: Record<string, string> = {
  architecture: 'reads the sources, runs nothing of them',
  bench: "the benchmarks' own arithmetic",
  check: 'the log check, a pure module over lines (its command runs in test/cli, on both)',
  core: 'the pure election core (test/core/purity.test.ts: no node: import)',
  helpers: 'no tests, only what tests import',
  mutants: 'the mutation check, about the tests rather than the runtime',
  sim: 'the simulator over the pure cores',
};
/** Files run once in a folder otherwise run on both: the build's tests, not the runtime's. */
const RUN_ONCE_FILES = ['package/desktop-installers', 'package/pe-signature', 'package/single-executable'];

describe('tests on Node 24', () => {
  it('every folder of tests is in test:node-dependent or run once for a stated reason', () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['test:node-dependent'] ?? '';
    const covered = new Set([...script.matchAll(/test\/([\w-]+)\/(\*|[\w-]+)\.test\.ts/g)].map(([, folder]) => folder!));
    const folders = readdirSync(join(ROOT, 'test')).filter((name) => statSync(join(ROOT, 'test', name)).isDirectory());
    const neither = folders.filter((folder) => !covered.has(folder) && RUN_ONCE[folder] === undefined);
    assert.deepEqual(neither, [], `add these to test:node-dependent in package.json, or to RUN_ONCE here with the reason: ${neither.join(', ')}`);
    const both = folders.filter((folder) => covered.has(folder) && RUN_ONCE[folder] !== undefined);
    assert.deepEqual(both, [], 'a folder is either run again on Node 24 or run once');
  });

  it('a folder run on both has each of its files there, but for the build tests named here', () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['test:node-dependent'] ?? '';
    for (const [, folder, file] of script.matchAll(/test\/([\w-]+)\/([\w-]+)\.test\.ts/g)) {
      const others = readdirSync(join(ROOT, 'test', folder!))
        .filter((name) => name.endsWith('.test.ts'))
        .map((name) => `${folder}/${name.replace(/\.test\.ts$/, '')}`)
        .filter((name) => name !== `${folder}/${file}` && !RUN_ONCE_FILES.includes(name) && !script.includes(`test/${name}.test.ts`));
      assert.deepEqual(others, [], `test files of test/${folder} in neither list`);
    }
  });
});
