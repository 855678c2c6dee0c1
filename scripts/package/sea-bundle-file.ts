/**
 * The single executable's stand-in for src/dashboard/bundle-file.ts: the dashboard's files are
 * the executable's assets (keys `dist/ui/...`), read from its memory. The bundle places the
 * modules' `import.meta.url` in a `conclave/` directory beside the executable that does not
 * exist, so that every path the code derives from it (dist/ui/...) is the asset's key under it.
 */
import { getAsset } from 'node:sea';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const CONCLAVE_MODULE_URL: string;
const ROOT = fileURLToPath(new URL('../../', CONCLAVE_MODULE_URL));

export async function readBundleFile(path: string): Promise<Buffer> {
  // A key that is not there throws, as a missing file does: the server answers 404.
  return Buffer.from(getAsset(relative(ROOT, path).split(sep).join('/')));
}
