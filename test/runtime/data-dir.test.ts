/**
 * Where a node keeps its state by default, on each platform: the platform, the environment and
 * the home directory are given, so every platform's answer is checked here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataRoot, defaultDataDir } from '../../src/runtime/data-dir.ts';

describe('the default data directory', () => {
  it('Windows: %LOCALAPPDATA%\\Conclave\\<cluster>-<id>, with backslashes and spaces kept', () => {
    const host = { platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\Ada Lovelace\\AppData\\Local' }, home: 'C:\\Users\\Ada Lovelace' } as const;
    assert.equal(defaultDataDir('lab', 3, host), 'C:\\Users\\Ada Lovelace\\AppData\\Local\\Conclave\\lab-3');
  });

  it('Windows without LOCALAPPDATA (a service without a profile): its usual place under the home directory', () => {
    assert.equal(dataRoot({ platform: 'win32', env: {}, home: 'C:\\Users\\lab' }), 'C:\\Users\\lab\\AppData\\Local\\Conclave');
  });

  it('macOS: ~/Library/Application Support/Conclave, whatever XDG says', () => {
    const host = { platform: 'darwin', env: { XDG_STATE_HOME: '/elsewhere' }, home: '/Users/ada' } as const;
    assert.equal(defaultDataDir('lab', 3, host), '/Users/ada/Library/Application Support/Conclave/lab-3');
  });

  it('Linux and the rest: $XDG_STATE_HOME/conclave, else ~/.local/state/conclave', () => {
    assert.equal(defaultDataDir('lab', 3, { platform: 'linux', env: { XDG_STATE_HOME: '/var/state' }, home: '/home/ada' }), '/var/state/conclave/lab-3');
    assert.equal(defaultDataDir('lab', 3, { platform: 'linux', env: { XDG_STATE_HOME: '' }, home: '/home/ada' }), '/home/ada/.local/state/conclave/lab-3');
    assert.equal(defaultDataDir('conclave', 1, { platform: 'freebsd', env: {}, home: '/home/ada' }), '/home/ada/.local/state/conclave/conclave-1');
  });
});
