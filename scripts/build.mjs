// Builds everything that runs: src/ to dist/ (the CLI and the library), the Svelte dashboard to
// dist/ui, and the Electron shell to dist/electron (it imports dist/, so it comes last).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
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
// The command (bin/conclave.js) runs a bundle of dist/cli: every node of a room that starts at
// once loads it, and one file of our own code instead of about 85 cuts a process's start-up CPU
// by about a fifth (0.139 → 0.110 s on Node 20, docs/install.md). Packages stay outside, and each
// lazily loaded part (metrics, dashboard, ZooKeeper, watch, init, check) stays a chunk of its own.
// The chunks sit two folders below the root, as dist/cli does, so paths made from import.meta.url
// (package.json, dist/ui, dist/electron) mean the same. The library (dist/index.js) is not bundled.
await build({
  entryPoints: [join(root, 'dist/cli/main.js')],
  outdir: join(root, 'dist/cli-bundle'),
  bundle: true,
  splitting: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
run(bin('vite'), ['build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn']);
run(bin('tsc'), ['-p', 'electron/tsconfig.json']);
// A sandboxed preload is a classic script; .cjs keeps Node from taking it for a module.
const preload = join(root, 'dist/electron/preload');
writeFileSync(`${preload}.cjs`, readFileSync(`${preload}.js`, 'utf8').replace('preload.js.map', 'preload.cjs.map'));
renameSync(`${preload}.js.map`, `${preload}.cjs.map`);
rmSync(`${preload}.js`);
console.log('built dist/ (library and CLI), dist/cli-bundle (the command), dist/ui (dashboard), dist/electron (desktop shell)');
