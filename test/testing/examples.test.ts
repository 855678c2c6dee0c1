/**
 * The examples under examples/ pass, as a user would run them: importing `conclave/testing` from
 * the built package (dist/, which `npm test` builds first). Their Vitest variants are not run:
 * Vitest is no dependency of this project (docs/testing.md says why).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = new URL('../../', import.meta.url).pathname;
const EXAMPLES = join(ROOT, 'examples');

describe('examples', () => {
  for (const example of readdirSync(EXAMPLES)) {
    const files = readdirSync(join(EXAMPLES, example)).filter((name) => name.endsWith('.test.ts'));
    it(`${example}: its node:test files pass`, async () => {
      assert.ok(existsSync(join(ROOT, 'dist/testing/index.js')), 'dist/ is not built: run npm run build');
      assert.ok(files.length > 0, `examples/${example} has no .test.ts file`);
      // Without NODE_TEST_CONTEXT, which would make the child's runner defer to this one.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      // TAP named: a child's default reporter is TAP on Node 20 and spec on Node 24.
      const args = ['--import', 'tsx', '--test', '--test-reporter=tap', ...files];
      const run = await promisify(execFile)(process.execPath, args, { cwd: join(EXAMPLES, example), env, timeout: 60_000 }).catch((error: { stdout: string; stderr: string }) => error);
      assert.match(run.stdout, /^# fail 0$/m, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /^# pass [1-9]/m, `${run.stdout}\n${run.stderr}`);
    });
  }
});
