/**
 * A save is durable when it resolves: the new file's data is on the disk before it replaces the
 * old one (fsync, then rename), and the rename itself is on the disk before the save returns
 * (fsync of the directory). Without either, a power cut after a vote was sent can bring back the
 * old term and vote, or an empty file, and the node may vote twice in a term. Nothing but the
 * order of the calls shows it, so the calls are recorded, around the real file system.
 */
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StateFile, type SaveFs } from '../../src/runtime/state-file.ts';

const ID = { nodeId: 3, voters: [1, 2, 3] };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** node:fs's calls, each also written down as "<call> <name>" (the data directory is "."). */
class RecordingFs implements SaveFs {
  readonly calls: string[] = [];
  private readonly names = new Map<number, string>();
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  private name(path: nodeFs.PathLike): string {
    return String(path) === this.dir ? '.' : basename(String(path));
  }

  openSync = ((path: nodeFs.PathLike, flags: nodeFs.OpenMode, mode?: nodeFs.Mode | null) => {
    const fd = nodeFs.openSync(path, flags, mode);
    this.names.set(fd, this.name(path));
    this.calls.push(`open ${this.name(path)}`);
    return fd;
  }) as SaveFs['openSync'];

  writeFileSync = ((file: number, data: string) => {
    this.calls.push(`write ${this.names.get(file)}`);
    nodeFs.writeFileSync(file, data);
  }) as SaveFs['writeFileSync'];

  fsyncSync = (fd: number): void => {
    this.calls.push(`fsync ${this.names.get(fd)}`);
    nodeFs.fsyncSync(fd);
  };

  closeSync = (fd: number): void => {
    this.calls.push(`close ${this.names.get(fd)}`);
    nodeFs.closeSync(fd);
  };

  renameSync = (from: nodeFs.PathLike, to: nodeFs.PathLike): void => {
    this.calls.push(`rename ${this.name(from)} ${this.name(to)}`);
    nodeFs.renameSync(from, to);
  };

  rmSync = (path: nodeFs.PathLike, options?: nodeFs.RmOptions): void => {
    this.calls.push(`rm ${this.name(path)}`);
    nodeFs.rmSync(path, options);
  };
}

function assertDurableSave(calls: readonly string[]): void {
  const rename = calls.findIndex((call) => call.startsWith('rename ') && call.endsWith(' state.json'));
  assert.ok(rename >= 0, `the new state replaces state.json by a rename: ${calls.join(', ')}`);
  const temp = calls[rename]!.split(' ')[1]!;
  assert.notEqual(temp, 'state.json', 'written to a temporary file first');
  const lastWrite = calls.lastIndexOf(`write ${temp}`, rename);
  assert.ok(lastWrite >= 0, `the temporary file was written: ${calls.join(', ')}`);
  const fileSync = calls.indexOf(`fsync ${temp}`, lastWrite);
  assert.ok(fileSync > lastWrite && fileSync < rename, `the temporary file is fsynced after its last write and before the rename: ${calls.join(', ')}`);
  const dirSync = calls.indexOf('fsync .', rename);
  assert.ok(dirSync > rename, `the directory is fsynced after the rename: ${calls.join(', ')}`);
}

describe('state file: durable saves', () => {
  it('each save fsyncs the new file before renaming it over state.json, and the directory after, before it resolves', async () => {
    const fs = new RecordingFs(dir);
    const { store } = await StateFile.open(dir, ID, { fs });
    try {
      assertDurableSave(fs.calls); // opening saves the new boot ID
      for (const state of [{ term: 1, votedFor: 3 }, { term: 2, votedFor: null }, { term: 2, votedFor: 1 }]) {
        fs.calls.length = 0;
        await store.save(state);
        assertDurableSave(fs.calls);
      }
    } finally {
      await store.close();
    }
    const reopened = await StateFile.open(dir, ID);
    assert.deepEqual(reopened.state, { term: 2, votedFor: 1, votedForBoot: 0 }, 'the recorder changed nothing of what was saved');
    await reopened.store.close();
  });

  it('on Windows, where a directory cannot be fsynced (EPERM), the renamed file is flushed instead; the directory is never opened', async () => {
    const fs = new RecordingFs(dir);
    const { store } = await StateFile.open(dir, ID, { fs, platform: 'win32' });
    try {
      fs.calls.length = 0;
      await store.save({ term: 4, votedFor: 2 });
      const rename = fs.calls.findIndex((call) => call.startsWith('rename ') && call.endsWith(' state.json'));
      assert.deepEqual(fs.calls.slice(rename + 1), ['open state.json', 'fsync state.json', 'close state.json']);
      assert.ok(!fs.calls.includes('open .'), fs.calls.join(', '));
    } finally {
      await store.close();
    }
    assert.deepEqual((await StateFile.open(dir, ID).then(async (r) => (await r.store.close(), r))).state, { term: 4, votedFor: 2, votedForBoot: 0 });
  });
});
