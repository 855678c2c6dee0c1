// Builds everything that runs: src/ to dist/ (the CLI and the library), the Svelte dashboard to
// dist/ui, and the Electron shell to dist/electron (it imports dist/, so it comes last).
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit', cwd: root });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
// tsc does not copy the generated protobuf module.
cpSync(join(root, 'src/wire/generated'), join(root, 'dist/wire/generated'), { recursive: true });
run(bin('vite'), ['build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn']);
run(bin('tsc'), ['-p', 'electron/tsconfig.json']);
// A sandboxed preload is a classic script; .cjs keeps Node from taking it for a module.
const preload = join(root, 'dist/electron/preload');
writeFileSync(`${preload}.cjs`, readFileSync(`${preload}.js`, 'utf8').replace('preload.js.map', 'preload.cjs.map'));
renameSync(`${preload}.js.map`, `${preload}.cjs.map`);
rmSync(`${preload}.js`);
console.log('built dist/ (library and CLI), dist/ui (dashboard), dist/electron (desktop shell)');
