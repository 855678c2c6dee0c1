/** Writes the API report (./report.ts) to api/conclave.api.md: `npm run api-report`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiReport, REPORT_PATH } from './report.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const path = join(ROOT, REPORT_PATH);
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, apiReport(ROOT));
console.log(`wrote ${REPORT_PATH}`);
