/**
 * The npm package as a user gets it: `npm pack`, installed with only Node (no dev dependencies, no
 * build step) into a prefix of its own. Then a lab of five machines (network namespaces with host
 * names of their own, one cluster file, the same flags on every host) runs the installed
 * `conclave` and elects, and serves the dashboard; and the installed `conclave-lab` runs a lab.
 * Dependencies come from npm's cache, which the checkout's `npm ci` filled (the registry otherwise).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { networkTestMode, rerunInUserNamespace } from '../net/privileges.ts';
import { DASHBOARD_PORT, fetchInNamespace, labFromOneFile } from './lab-of-named-hosts.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';
const LAB_PORT = 7790;

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the npm package, installed without dev dependencies', { skip }, () => {
  let dir: string;
  let installed: string;
  let bin: string;
  let files: string[];

  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist/cli/main.js')) && existsSync(join(ROOT, 'dist/ui/index.html')), 'dist/ is not built: run npm run build');
    dir = mkdtempSync(join(tmpdir(), 'conclave-npm-package-'));
    // `npm pack` runs `prepare` (gen and build) first; dist/ is built already, and other tests
    // may be reading it now, so the tarball is packed from it as it is.
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed!.files.map((f) => f.path);
    const prefix = join(dir, 'prefix');
    npm(['install', '--global', '--prefix', prefix, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed!.filename)], dir);
    installed = join(prefix, 'lib/node_modules/conclave');
    bin = join(prefix, 'bin');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the built CLI, lab and dashboard, and neither sources nor tests', () => {
    for (const file of ['bin/conclave.js', 'bin/conclave-lab.js', 'dist/cli/main.js', 'dist/lab/cli.js', 'dist/ui/index.html', 'dist/ui/lab.html', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'CHANGELOG.md', 'LICENSE']) {
      assert.ok(files.includes(file), `the tarball lacks ${file}`);
    }
    assert.deepEqual(files.filter((f) => /^(src|test|scripts|electron|bench|api)\//.test(f)), []);
    // Source maps point into src/, which is not shipped.
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
  });

  it('installs only the runtime dependencies, and its command runs', () => {
    const direct = readdirSync(join(installed, 'node_modules')).filter((name) => !name.startsWith('.'));
    for (const dependency of Object.keys(PACKAGE.dependencies)) assert.ok(direct.includes(dependency), `${dependency} is not installed`);
    for (const dev of ['typescript', 'vite', 'electron', 'tsx', 'svelte', 'esbuild']) assert.ok(!direct.includes(dev), `${dev} (a dev dependency) was installed`);
    assert.equal(execFileSync(process.execPath, [join(bin, 'conclave'), '--version'], { encoding: 'utf8' }).trim(), PACKAGE.version);
  });

  it('conclave/testing from the installed package: a failover in deterministic mode, and real nodes on loopback', () => {
    // A user's script beside the installed package resolves `conclave/testing` through its exports.
    const script = `import { createTestCluster } from 'conclave/testing';
      const cluster = await createTestCluster({ nodes: 3, deterministic: true, seed: 1 });
      const first = await cluster.settled();
      await cluster.kill(first);
      process.stdout.write(String((await cluster.leader()) !== first));
      await cluster.close();
      const real = await createTestCluster({ nodes: 3 });
      try { process.stdout.write(' ' + typeof (await real.settled())); } finally { await real.close(); }`;
    assert.equal(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(installed, '../..'), encoding: 'utf8', timeout: 30_000 }), 'true number');
  });

  it('five named hosts running the installed conclave from one cluster file elect the highest ID; its dashboard serves the page', async () => {
    const lab = await labFromOneFile([process.execPath, join(bin, 'conclave')]);
    try {
      const page = fetchInNamespace(lab, lab.node(5).ns, DASHBOARD_PORT, '/');
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>Conclave<\/title>/);
    } finally {
      lab.destroy();
    }
  });

  it('the installed conclave-lab runs a lab of three nodes and serves its page', async () => {
    // In a host of its own (loopback mode: every node on that namespace's loopback).
    const lab = NetnsLab.create(1);
    const ns = lab.node(1).ns;
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(bin, 'conclave-lab'), '--mode', 'loopback', '--nodes', '3', '--port', String(LAB_PORT), '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await lab.waitFor('the lab page', () => /lab page on http/.test(out) || child.exitCode !== null, 15_000);
      assert.match(out, /demo: 3 nodes, loopback mode/);
      const page = fetchInNamespace(lab, ns, LAB_PORT, '/');
      assert.equal(page.status, 200);
      // The lab's stream says when its nodes agree on a leader.
      const agreed = `const c = new AbortController(); setTimeout(() => c.abort(), 15000);
        fetch('http://127.0.0.1:${LAB_PORT}/api/lab/stream', { signal: c.signal }).then(async (r) => {
          let text = ''; for await (const chunk of r.body) { text += Buffer.from(chunk).toString(); if (text.includes('"kind":"agreed"')) { process.stdout.write('agreed'); process.exit(0); } }
        }).catch(() => process.exit(1));`;
      assert.equal(lab.exec(ns, [process.execPath, '-e', agreed]), 'agreed');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      lab.destroy();
    }
  });
});
