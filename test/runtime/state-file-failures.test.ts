/** The state file when the disk says no: a failed save leaves nothing behind; a bad directory is named. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DataDirError, StateFile } from '../../src/runtime/state-file.ts';

const ID = { nodeId: 3, voters: [1, 2, 3] };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-state-fail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state file failures', () => {
  it('a save that fails removes its temporary file', async () => {
    const { store } = await StateFile.open(dir, ID);
    try {
      // The rename onto state.json fails: it is now a directory that is not empty.
      rmSync(join(dir, 'state.json'));
      mkdirSync(join(dir, 'state.json', 'in-the-way'), { recursive: true });
      await assert.rejects(store.save({ term: 4, votedFor: 1 }), /EISDIR|ENOTEMPTY|EEXIST/);
      assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
    } finally {
      await store.close();
    }
  });

  it('a data directory that cannot be created is a DataDirError naming the path and the cause', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(StateFile.open(join(file, 'x'), ID), (error: unknown) => {
      assert.ok(error instanceof DataDirError, String(error));
      assert.equal(error.code, 'ERR_DATA_DIR');
      assert.equal(error.systemCode, 'ENOTDIR');
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOTDIR', 'the system error it wraps');
      assert.equal(error.message, `${join(file, 'x')}: cannot be used as a data directory: a part of the path is a file, not a directory (ENOTDIR)`);
      return true;
    });
  });

  it('a lock taken and released leaves the directory as it was, but for state.json', async () => {
    const { store } = await StateFile.open(dir, ID);
    assert.deepEqual(readdirSync(dir).sort(), ['lock', 'state.json']);
    await store.close();
    assert.deepEqual(readdirSync(dir), ['state.json']);
  });
});
