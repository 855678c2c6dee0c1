/**
 * The CLI as one CommonJS file for the single executable: esbuild follows the imports of
 * src/cli/main.ts (the lazily loaded ones become inline requires, which a code cache allows; a
 * real import() it does not).
 */
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/**
 * `import.meta` is empty in CommonJS: each module's URL becomes one in a `conclave/dist/cli/`
 * directory beside the executable (every user is two folders below the root, as in dist/), which
 * does not exist; sea-bundle-file.ts maps paths under it to the assets.
 */
const MODULE_URL_BANNER =
  "var CONCLAVE_MODULE_URL = require('node:url').pathToFileURL(require('node:path').join(require('node:path').dirname(process.execPath), 'conclave', 'dist', 'cli', 'main.js')).href;";

/** The dashboard's file reader: the embedded one instead of the disk's. */
const embeddedDashboard: Plugin = {
  name: 'embedded-dashboard',
  setup(bundle) {
    bundle.onResolve({ filter: /\/bundle-file\.ts$/ }, (args) =>
      args.importer.endsWith('static-files.ts') ? { path: `${HERE}sea-bundle-file.ts` } : undefined,
    );
  },
};

export async function bundleCli(outfile: string, version: string): Promise<void> {
  await build({
    entryPoints: [`${HERE}sea-entry.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node26',
    define: { 'import.meta.url': 'CONCLAVE_MODULE_URL', CONCLAVE_VERSION: JSON.stringify(version) },
    banner: { js: MODULE_URL_BANNER },
    plugins: [embeddedDashboard],
    logLevel: 'warning',
  });
}
