/** src/core must stay a pure state machine: no I/O, no clocks, no randomness of its own. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const CORE = new URL('../../src/core/', import.meta.url).pathname;

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

describe('src/core purity', () => {
  const files = sources(CORE);

  it('has sources to check', () => {
    assert.ok(files.length >= 10, `found ${files.length} files`);
  });

  for (const file of files) {
    it(`${relative(CORE, file)} uses no I/O, clock, timer or unseeded randomness`, () => {
      const text = code(file);
      for (const [pattern, what] of FORBIDDEN) {
        assert.doesNotMatch(text, pattern, `${relative(CORE, file)} uses ${what}`);
      }
    });
  }

  it('the checker itself catches an impure line', () => {
    const impure = 'const t = Date.now(); import x from "node:fs"';
    assert.ok(FORBIDDEN.some(([pattern]) => pattern.test(impure)));
  });
});
