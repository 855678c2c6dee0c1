// Generates the static protobuf module and its typings from proto/ (never edit the output by hand).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/wire/generated');
const js = join(outDir, 'conclave.js');
const dts = join(outDir, 'conclave.d.ts');
const bin = (name) => join(root, 'node_modules/.bin', name);

mkdirSync(outDir, { recursive: true });
execFileSync(bin('pbjs'), [
  '-t', 'static-module', '-w', 'es6', '--es6',
  '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl', '--no-service',
  '-o', js, join(root, 'proto/conclave.proto'),
], { stdio: 'inherit' });
// protobufjs is CommonJS without an exports map: ESM needs the file extension.
writeFileSync(js, readFileSync(js, 'utf8').replace('"protobufjs/minimal"', '"protobufjs/minimal.js"'));
execFileSync(bin('pbts'), ['-o', dts, js], { stdio: 'inherit' });
console.log(`generated ${js.slice(root.length + 1)} and ${dts.slice(root.length + 1)}`);
