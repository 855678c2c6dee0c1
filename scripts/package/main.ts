/**
 * `npm run package`: the single executables in release/. Linux x64 by default (the one that is
 * run and tested here); `npm run package -- --all` adds Windows x64 and Intel macOS, made the same
 * way from their official Node binaries (each about 100 to 150 MB; see docs/install.md).
 *
 * An executable is the official Node binary with a blob put in: the CLI bundled into one script,
 * its code cache where the platform allows it, and the built dashboard (dist/ui) as assets.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { bundleCli } from './bundle.ts';
import { checkExecutable } from './check-executable.ts';
import { nodeBinary } from './node-binary.ts';
import { certificateTable } from './pe-signature.ts';
import { NODE_VERSION, TARGETS, type Target } from './targets.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const RELEASE = join(ROOT, 'release');
const UI = join(ROOT, 'dist/ui');

function fail(message: string): never {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

/** Every file of the built dashboard, by its asset key (`dist/ui/...`, as the code asks for it). */
function dashboardAssets(): Record<string, string> {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return Object.fromEntries(walk(UI).map((file) => [relative(ROOT, file).split(sep).join('/'), file]));
}

function buildOne(target: Target, builder: string, script: string, assets: Record<string, string>): string {
  const output = join(RELEASE, target.output);
  const config = join(RELEASE, '.build', `sea-${target.name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      main: script,
      executable: nodeBinary(target, NODE_VERSION, join(RELEASE, '.node')),
      output,
      disableExperimentalSEAWarning: true,
      useCodeCache: target.native,
      assets,
    }),
  );
  execFileSync(builder, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  checkExecutable(output, readFileSync(script, 'utf8'));
  if (target.authenticode && certificateTable(readFileSync(output)).size !== 0) throw new Error(`${output}: still carries the official binary's signature, which no longer matches it`);
  return output;
}

async function main(): Promise<void> {
  const all = process.argv.includes('--all');
  if (`${process.platform}-${process.arch}` !== 'linux-x64') fail(`builds on Linux x64 only (this is ${process.platform}-${process.arch}): the blob is made by the Linux binary of the same Node`);
  if (!existsSync(join(UI, 'index.html'))) fail('the dashboard is not built (dist/ui): run npm run build first');
  mkdirSync(join(RELEASE, '.build'), { recursive: true });
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const script = join(RELEASE, '.build', 'conclave.cjs');
  await bundleCli(script, version);
  // The blob is made by the Linux binary of the one Node version every target uses.
  const builder = nodeBinary(TARGETS['linux-x64'], NODE_VERSION, join(RELEASE, '.node'));
  const assets = dashboardAssets();
  const targets: Target[] = all ? Object.values(TARGETS) : [TARGETS['linux-x64']];
  for (const target of targets) {
    const output = buildOne(target, builder, script, assets);
    process.stdout.write(`package: ${relative(ROOT, output)} (${(statSync(output).size / 1e6).toFixed(0)} MB, Node ${NODE_VERSION}${target.native ? ', code cache' : ''})\n`);
  }
}

await main();
