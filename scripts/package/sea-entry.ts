/**
 * The single executable's main script, bundled into one CommonJS file (Node runs nothing else
 * as an executable's main): `conclave` as bin/conclave.js is, with the version built in, since
 * there is no package.json beside the executable to read it from.
 */
declare const CONCLAVE_VERSION: string;

if (process.argv[2] === '--version') process.stdout.write(`${CONCLAVE_VERSION}\n`);
// Not awaited: esbuild's CommonJS output has no top-level await; main.ts reports its own failures.
else void import('../../src/cli/main.ts');
