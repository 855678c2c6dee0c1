/**
 * The desktop installers' configuration (electron-builder.json; `npm run package:desktop`, which
 * needs the internet for electron-builder and for the target's Electron). Checked here as far as
 * it can be without Electron's binary: the configuration names files that the build makes, and a
 * directory build with the very electron-builder version the script runs, against a stand-in
 * Electron (a script where Electron's binary would be), packs the right entry point, preload and
 * dashboard bundle, with the runtime dependencies only. electron-builder (95 MB) is installed into
 * a temporary directory from npm, not into the project.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const CONFIG = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as {
  executableName: string;
  extraMetadata: { main: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};
const BUILDER = /npx --yes (electron-builder@\d+\.\d+\.\d+) --config electron-builder\.json/.exec(PACKAGE.scripts['package:desktop'] ?? '')?.[1];
/** What the Electron main process loads: the entry, its preload (main.ts names it) and the page. */
const APP_FILES = [CONFIG.extraMetadata.main, 'dist/electron/preload.cjs', 'dist/ui/index.html'];

describe('the desktop installers', () => {
  it('are AppImage and deb, NSIS and dmg, built by a pinned electron-builder from files the build makes', () => {
    assert.deepEqual([CONFIG.linux.target, CONFIG.win.target, CONFIG.mac.target], [['AppImage', 'deb'], ['nsis'], ['dmg']]);
    assert.ok(BUILDER !== undefined, `npm run package:desktop runs no pinned electron-builder: ${PACKAGE.scripts['package:desktop']}`);
    assert.equal(CONFIG.extraMetadata.main, 'dist/electron/main.js');
    assert.match(readFileSync(join(ROOT, 'electron/main.ts'), 'utf8'), /new URL\('\.\/preload\.cjs', import\.meta\.url\)/);
    for (const file of APP_FILES) assert.ok(existsSync(join(ROOT, file)), `${file} is not built: run npm run build`);
  });

  describe('a directory build against a stand-in Electron', () => {
    let dir: string;
    let files: string[];
    let asar: { extractFile(archive: string, file: string): Buffer };
    let archive: string;
    let appDir: string;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'conclave-desktop-'));
      const tools = join(dir, 'tools');
      mkdirSync(tools);
      writeFileSync(join(tools, 'package.json'), '{"private":true}');
      execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', BUILDER!], { cwd: tools, stdio: ['ignore', 'ignore', 'pipe'], timeout: 240_000 });
      // Where Electron's unpacked release would be: its binary's name, and what the build copies.
      const standIn = join(dir, 'electron-dist');
      mkdirSync(join(standIn, 'resources'), { recursive: true });
      writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
      chmodSync(join(standIn, 'electron'), 0o755);
      for (const file of ['LICENSE', 'LICENSES.chromium.html', 'version']) writeFileSync(join(standIn, file), '');
      const electronVersion = PACKAGE.devDependencies.electron!.replace(/^\D+/, '');
      execFileSync(
        join(tools, 'node_modules/.bin/electron-builder'),
        ['--dir', '--linux', '--config', 'electron-builder.json', `-c.electronDist=${standIn}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${join(dir, 'out')}`],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 240_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
      );
      appDir = join(dir, 'out/linux-unpacked');
      archive = join(appDir, 'resources/app.asar');
      const tool = createRequire(join(tools, 'package.json'))('@electron/asar') as { listPackage(archive: string): string[]; extractFile(archive: string, file: string): Buffer };
      asar = tool;
      files = tool.listPackage(archive).map((path) => path.replace(/^[\\/]/, ''));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('packs the entry point, the preload and the dashboard bundle, and names the app', () => {
      assert.ok(existsSync(join(appDir, CONFIG.executableName)), `no ${CONFIG.executableName} executable in the app directory`);
      for (const file of [...APP_FILES, 'dist/desktop.js', 'dist/dashboard/static-files.js']) assert.ok(files.includes(file), `app.asar lacks ${file}`);
      assert.ok(files.some((f) => /^dist\/ui\/assets\/index-.*\.js$/.test(f)), 'app.asar lacks the dashboard script');
      const packed = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; name: string; exports: Record<string, unknown> };
      assert.equal(packed.main, CONFIG.extraMetadata.main);
      // main.ts imports the runtime as `conclave/desktop`: the package's own name and exports.
      assert.equal(packed.name, 'conclave');
      assert.ok('./desktop' in packed.exports);
    });

    it('holds the runtime dependencies and no development tool, source map or source', () => {
      const modules = new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]!));
      for (const dependency of Object.keys(PACKAGE.dependencies)) assert.ok(modules.has(dependency), `app.asar lacks ${dependency}`);
      for (const dev of Object.keys(PACKAGE.devDependencies)) assert.ok(!modules.has(dev.split('/')[0]!), `app.asar holds ${dev}, a development dependency`);
      assert.deepEqual(files.filter((f) => f.startsWith('dist/') && (f.endsWith('.map') || f.endsWith('.d.ts'))), []);
      assert.deepEqual(files.filter((f) => /^(src|test|scripts|electron)\//.test(f)), []);
    });
  });
});
