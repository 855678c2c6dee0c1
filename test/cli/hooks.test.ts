/**
 * Hooks: run through the platform's shell, stopped with everything they started. The POSIX plan
 * runs here for real (paths with spaces, a grandchild that must die with its hook); the Windows
 * plan is checked as arguments (cmd.exe through Node's `shell: true`, `taskkill /T /F`), and its
 * stop is run here too, where taskkill is missing, down to the fallback that ends the shell.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HookRunner, type HookResult } from '../../src/session/hooks.ts';
import { hookSpawnOptions, stopTree, treeStop } from '../../src/session/hook-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'conclave hooks '));
after(() => rmSync(dir, { recursive: true, force: true }));

function runner(timeoutMs: number, platform: NodeJS.Platform = process.platform): { hooks: HookRunner; results: HookResult[] } {
  const results: HookResult[] = [];
  return { hooks: new HookRunner(timeoutMs, (result) => results.push(result), platform), results };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process its parent has not reaped yet is dead too.
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

describe('hooks on POSIX, for real', { skip: process.platform === 'win32' ? 'the POSIX plan' : false }, () => {
  it('a script whose path and argument have spaces runs, with the node\'s variables', async () => {
    const hooksDir = join(dir, 'my hooks');
    mkdirSync(hooksDir);
    const script = join(hooksDir, 'on elected.sh');
    writeFileSync(script, '#!/bin/sh\nprintf "%s|%s|%s" "$1" "$CONCLAVE_ID" "$CONCLAVE_TERM" > "$(dirname "$0")/elected out"\n');
    chmodSync(script, 0o755);
    const { hooks, results } = runner(5000);
    hooks.run({ hook: 'on-elected', command: `"${script}" "first arg"`, term: 7, env: { CONCLAVE_ID: '3', CONCLAVE_TERM: '7' } });
    await hooks.idle();
    assert.equal(results[0]?.exitCode, 0, JSON.stringify(results));
    assert.equal(readFileSync(join(hooksDir, 'elected out'), 'utf8'), 'first arg|3|7');
  });

  it('a hook past its timeout is killed with what it started (its process group)', async () => {
    const pidFile = join(dir, 'grandchild pid');
    const { hooks, results } = runner(300);
    hooks.run({ hook: 'on-elected', command: `sleep 30 & echo $! > "${pidFile}"; wait`, term: 1, env: {} });
    await hooks.idle();
    assert.deepEqual([results[0]?.timedOut, results[0]?.signal], [true, 'SIGKILL']);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 2000;
    while (alive(grandchild) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(alive(grandchild), false, 'the sleep the hook started is gone');
  });

  it('a demotion stops a running on-elected hook and runs on-demoted at once', async () => {
    const { hooks, results } = runner(10_000);
    hooks.run({ hook: 'on-elected', command: 'sleep 30', term: 2, env: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    hooks.run({ hook: 'on-demoted', command: 'true', term: 2, env: {} });
    await hooks.idle();
    assert.deepEqual(results.map((r) => [r.hook, r.superseded, r.signal, r.exitCode]), [['on-elected', true, 'SIGKILL', null], ['on-demoted', false, null, 0]]);
  });
});

describe('the Windows plan', () => {
  it('runs the command line through the shell (cmd.exe /d /s /c there), not detached, no console window', () => {
    assert.deepEqual(hookSpawnOptions('win32'), { shell: true, windowsHide: true });
    assert.deepEqual(hookSpawnOptions('linux'), { shell: true, detached: true });
    assert.deepEqual(hookSpawnOptions('darwin'), { shell: true, detached: true });
  });

  it('stops the tree with taskkill /pid <pid> /T /F; POSIX signals the process group', () => {
    assert.deepEqual(treeStop('win32', 4242), { how: 'command', file: 'taskkill', args: ['/pid', '4242', '/T', '/F'] });
    assert.deepEqual(treeStop('linux', 4242), { how: 'signal-group', pid: -4242, signal: 'SIGKILL' });
  });

  it('starts taskkill hidden; where it cannot start, ends the shell itself', () => {
    const calls: Array<{ file: string; args: readonly string[]; options: unknown }> = [];
    const killed: string[] = [];
    const hook = Object.assign(new EventEmitter(), { pid: 4242, kill: (signal: string) => killed.push(signal) }) as unknown as ChildProcess;
    const killer = new EventEmitter();
    const run = ((file: string, args: readonly string[], options: unknown) => {
      calls.push({ file, args, options });
      return killer;
    }) as unknown as typeof spawn;
    stopTree(hook, 'win32', run);
    assert.deepEqual(calls, [{ file: 'taskkill', args: ['/pid', '4242', '/T', '/F'], options: { stdio: 'ignore', windowsHide: true } }]);
    assert.deepEqual(killed, []);
    killer.emit('error', Object.assign(new Error('spawn taskkill ENOENT'), { code: 'ENOENT' }));
    assert.deepEqual(killed, ['SIGKILL']);
  });

  it('a runner told it is on Windows, here where taskkill is missing: a hook past its timeout still ends', { skip: existsSync('/usr/bin/taskkill') ? 'taskkill exists here' : false }, async () => {
    const { hooks, results } = runner(300, 'win32');
    hooks.run({ hook: 'on-elected', command: 'sleep 30', term: 1, env: {} });
    await hooks.idle();
    assert.deepEqual([results[0]?.timedOut, results[0]?.signal], [true, 'SIGKILL']);
  });
});
