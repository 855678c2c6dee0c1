/**
 * The two elections must stay pure state machines: src/core (the LAN's) and
 * src/zookeeper/election (ZooKeeper's, with the recipe it ranks by): no I/O, no clocks, no
 * randomness of their own, and they import only each other's pure parts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;
const CORE = join(SRC, 'core');
const ZK_ELECTION = join(SRC, 'zookeeper/election');
/** Pure files outside the two folders that the ZooKeeper election may import. */
const PURE_EXTRAS = ['zookeeper/recipe.ts', 'contract/zookeeper-status.ts', 'errors/conclave-error.ts'].map((path) => join(SRC, path));

const FORBIDDEN: Array<[RegExp, string]> = [
  [/from\s+['"](node:|fs|net|dgram|os|child_process|crypto|electron|protobufjs)/, 'an I/O or platform import'],
  [/import\(/, 'a dynamic import'],
  [/\brequire\(/, 'require'],
  [/Date\.now|new Date\b|performance\.now|process\.hrtime/, 'a clock'],
  [/Math\.random|crypto\.getRandomValues/, 'an unseeded random source'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\(/, 'a timer'],
  [/\bprocess\.|\bglobalThis\b|\bconsole\./, 'global process state or output'],
  [/\b(async|await|Promise)\b/, 'asynchrony'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code without comments, so that a comment may name what the code must not use. */
function code(path: string): string {
  return readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

describe('election purity', () => {
  const files = [...sources(CORE), ...sources(ZK_ELECTION), ...PURE_EXTRAS];

  it('has sources to check', () => {
    assert.ok(files.length >= 15, `found ${files.length} files`);
  });

  for (const file of files) {
    it(`${relative(SRC, file)} uses no I/O, clock, timer or unseeded randomness`, () => {
      const text = code(file);
      for (const [pattern, what] of FORBIDDEN) {
        assert.doesNotMatch(text, pattern, `${relative(SRC, file)} uses ${what}`);
      }
      for (const match of text.matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
        const target = resolve(dirname(file), match[1]!);
        assert.ok(files.includes(target), `${relative(SRC, file)} imports ${relative(SRC, target)}, which is not checked as pure`);
      }
    });
  }

  it('the checker itself catches an impure line', () => {
    const impure = 'const t = Date.now(); import x from "node:fs"';
    assert.ok(FORBIDDEN.some(([pattern]) => pattern.test(impure)));
  });
});
