/**
 * The public API changes only on purpose: the report of every export (api/conclave.api.md) is
 * made again from the code and must equal the one checked in. A deliberate change regenerates it
 * with `npm run api-report` and shows up in review as a diff of that file (CHANGELOG.md says
 * which changes are breaking).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apiReport, REPORT_PATH } from '../../scripts/api-report/report.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The lines only one side has, marked as a diff marks them: enough to see what changed. */
function lineDifference(checkedIn: string, current: string, max = 40): string {
  const before = checkedIn.split('\n');
  const after = current.split('\n');
  const kept = new Set(before);
  const had = new Set(after);
  const lines = [...before.filter((l) => !had.has(l)).map((l) => `- ${l}`), ...after.filter((l) => !kept.has(l)).map((l) => `+ ${l}`)];
  return lines.length <= max ? lines.join('\n') : `${lines.slice(0, max).join('\n')}\n… ${lines.length - max} more`;
}

describe('the API report', () => {
  it(`${REPORT_PATH} says what the package exports`, () => {
    const current = apiReport(ROOT);
    const checkedIn = readFileSync(join(ROOT, REPORT_PATH), 'utf8');
    if (current === checkedIn) return;
    const difference = lineDifference(checkedIn, current) || '(the same lines in another order)';
    assert.fail(`The public API differs from ${REPORT_PATH}. If the change is meant, run \`npm run api-report\`, commit the report and add a line to CHANGELOG.md:\n${difference}`);
  });
});
