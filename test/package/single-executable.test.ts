/**
 * The Linux single executable (`npm run package`): copied alone into an empty directory, a lab
 * of five machines (network namespaces with host names of their own, one cluster file, the same
 * flags on every host) runs it with no Node on PATH and no node_modules anywhere near, and elects;
 * its dashboard is served from the files inside it. The first run downloads the official
 * Node binary from npm (57 MB, kept in release/.node/). The Windows and macOS executables
 * (`npm run package -- --all`, 250 MB more to download and write) are checked by that command
 * itself, with the same check as below.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { networkTestMode, rerunInUserNamespace } from '../net/privileges.ts';
import { checkExecutable } from '../../scripts/package/check-executable.ts';
import { nodeBinary } from '../../scripts/package/node-binary.ts';
import { NODE_VERSION, TARGETS } from '../../scripts/package/targets.ts';
import { DASHBOARD_PORT, fetchInNamespace, labFromOneFile } from './lab-of-named-hosts.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') {
  // The re-run has a network namespace of its own, with no way to the registry: download here.
  before(() => void nodeBinary(TARGETS['linux-x64'], NODE_VERSION, join(ROOT, 'release/.node')));
  rerunInUserNamespace(import.meta.url);
}
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';
const linux = TARGETS['linux-x64'];

describe('the Linux single executable', { skip }, () => {
  let dir: string;
  let executable: string;
  /** Runs the executable with an environment that holds nothing but an empty PATH. */
  let program: string[];

  before(() => {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/package/main.ts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
    dir = mkdtempSync(join(tmpdir(), 'conclave-sea-'));
    const emptyPath = join(dir, 'bin');
    mkdirSync(emptyPath);
    executable = join(dir, 'conclave');
    copyFileSync(join(ROOT, 'release', linux.output), executable);
    execFileSync('chmod', ['755', executable]);
    program = ['/usr/bin/env', '-i', `PATH=${emptyPath}`, executable];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('carries its blob (the official binary does not), and runs where no node is found', () => {
    checkExecutable(executable, readFileSync(join(ROOT, 'release/.build/conclave.cjs'), 'utf8'));
    const official = join(ROOT, 'release/.node', `${linux.nodePackage}-${NODE_VERSION}`, 'node');
    assert.throws(() => checkExecutable(official, 'anything'), /the SEA fuse is not set/);
    const [env, clear, path] = program;
    assert.notEqual(spawnSync(env!, [clear!, path!, '/bin/sh', '-c', 'command -v node']).status, 0, 'a node is on the test PATH');
    assert.equal(execFileSync(program[0]!, [...program.slice(1), '--version'], { cwd: dir, encoding: 'utf8' }).trim(), VERSION);
  });

  it('five named hosts running it from one cluster file with nothing but an empty PATH elect the highest ID; its dashboard serves the page and its scripts from inside it', async () => {
    const lab = await labFromOneFile([executable], 'empty PATH');
    try {
      const page = fetchInNamespace(lab, lab.node(5).ns, DASHBOARD_PORT, '/');
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>Conclave<\/title>/);
      const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
      assert.ok(script !== undefined, `the page names no script: ${page.body.slice(0, 400)}`);
      const asset = fetchInNamespace(lab, lab.node(5).ns, DASHBOARD_PORT, script);
      assert.equal(asset.status, 200);
      assert.match(asset.type, /^text\/javascript/);
      assert.equal(fetchInNamespace(lab, lab.node(5).ns, DASHBOARD_PORT, '/no-such-file.js').status, 404);
    } finally {
      lab.destroy();
    }
  });
});
