/** The state file: atomic, checked, locked; never reset silently. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StateFile, StateFileError, nextBootId } from '../../src/runtime/state-file.ts';

const ID = { nodeId: 3, voters: [1, 2, 3] };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conclave-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof StateFileError && pattern.test(error.message));
}

describe('state file', () => {
  it('starts empty, saves, and reads back what it saved', async () => {
    const first = await StateFile.open(dir, ID);
    assert.equal(first.state, null);
    await first.store.save({ term: 7, votedFor: 2, votedForBoot: 123 << 10 });
    await first.store.close();
    const second = await StateFile.open(dir, ID);
    assert.deepEqual(second.state, { term: 7, votedFor: 2, votedForBoot: 123 << 10 });
    assert.deepEqual(second.store.boots, [first.bootId, second.bootId], 'each boot is recorded before anything is sent');
    assert.ok(second.bootId > first.bootId, 'boot IDs grow');
    await second.store.close();
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).boots, [first.bootId, second.bootId]);
  });

  it('saves atomically: the file is replaced whole, never rewritten in place, and no temp file stays', async () => {
    const { store } = await StateFile.open(dir, ID);
    await store.save({ term: 1, votedFor: 1 });
    const path = join(dir, 'state.json');
    const before = readFileSync(path, 'utf8');
    // A reader that opened the file before the saves, as another process may have: it must read
    // the state it opened to the end, not a truncated file or a mix of old and new.
    const reader = openSync(path, 'r');
    try {
      for (let term = 2; term <= 20; term++) await store.save({ term, votedFor: 2 });
      assert.equal(readFileSync(reader, 'utf8'), before);
    } finally {
      closeSync(reader);
    }
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).term, 20);
    assert.deepEqual(readdirSync(dir).filter((name) => name !== 'lock'), ['state.json']);
    await store.close();
  });

  it('chooses boot IDs that grow even when the clock goes back', () => {
    const now = Date.UTC(2026, 10, 22);
    const first = nextBootId([], now);
    assert.ok(first >= now * 1024 && Number.isSafeInteger(first));
    assert.ok(nextBootId([first], now - 3_600_000) > first);
    assert.ok(Number.isSafeInteger(nextBootId([], Date.UTC(2248, 0, 1))));
  });

  it('reads a file written before votes were bound to a boot, with its vote spent, and refuses a bad boot', async () => {
    const { store } = await StateFile.open(dir, ID);
    await store.save({ term: 6, votedFor: 2, votedForBoot: 5 << 10 });
    await store.close();
    const path = join(dir, 'state.json');
    const { checksum: _sum, votedForBoot: _boot, ...legacy } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const withSum = (body: object) => `${JSON.stringify({ ...body, checksum: createHash('sha256').update(JSON.stringify(body)).digest('hex') }, null, 2)}\n`;
    writeFileSync(path, withSum(legacy));
    const reopened = await StateFile.open(dir, ID);
    assert.deepEqual(reopened.state, { term: 6, votedFor: 2, votedForBoot: 0 });
    await reopened.store.close();
    writeFileSync(path, withSum({ ...legacy, votedForBoot: -1 }));
    await rejects(StateFile.open(dir, ID), /is corrupt \(votedForBoot -1\)/);
    // Terms a twin spoke in above ours are kept; one not above the term is corrupt.
    writeFileSync(path, withSum({ ...legacy, spentThroughTerm: 9 }));
    const spent = await StateFile.open(dir, ID);
    assert.deepEqual(spent.state, { term: 6, votedFor: 2, votedForBoot: 0, spentThroughTerm: 9 });
    await spent.store.save({ term: 6, votedFor: 2, votedForBoot: 0, spentThroughTerm: 9 });
    await spent.store.close();
    assert.equal((await StateFile.open(dir, ID).then(async (r) => (await r.store.close(), r))).state?.spentThroughTerm, 9, 'saved and read back');
    writeFileSync(path, withSum({ ...legacy, spentThroughTerm: 6 }));
    await rejects(StateFile.open(dir, ID), /is corrupt \(spentThroughTerm 6\)/);
  });

  it('refuses a corrupt file with its name instead of resetting the term', async () => {
    const { store } = await StateFile.open(dir, ID);
    await store.save({ term: 9, votedFor: 3 });
    await store.close();
    const path = join(dir, 'state.json');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.slice(0, 30));
    await rejects(StateFile.open(dir, ID), new RegExp(`${path}: is corrupt \\(not JSON`));
    writeFileSync(path, good.replace('"term": 9', '"term": 1'));
    await rejects(StateFile.open(dir, ID), /checksum mismatch/);
    writeFileSync(path, good);
    await rejects(StateFile.open(dir, { nodeId: 4, voters: [1, 2, 3, 4] }), /belongs to node 3, not 4/);
    await rejects(StateFile.open(dir, { nodeId: 3, voters: [1, 2, 3, 4, 5] }), /written for voters \[1,2,3\].*--accept-new-voters/);
    const accepted = await StateFile.open(dir, { nodeId: 3, voters: [1, 2, 3, 4, 5] }, { acceptNewVoters: true });
    assert.deepEqual(accepted.state, { term: 9, votedFor: 3, votedForBoot: 0 }, 'a vote saved without its boot is spent');
    await accepted.store.close();
  });

  it('keeps a second opener out while the first holds the lock', async () => {
    const { store } = await StateFile.open(dir, ID);
    await rejects(StateFile.open(dir, ID), new RegExp(`in use by another conclave process \\(PID ${process.pid}\\)`));
    await store.close();
    const again = await StateFile.open(dir, ID);
    await again.store.close();
  });

  it('takes over a lock whose holder is gone, or whose PID now belongs to another process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: Number(dead.stdout), started: 1, machineBoot: null }));
    const afterDead = await StateFile.open(dir, ID);
    await afterDead.store.close();
    // Our own PID, but a process that started at another time: a previous life of this PID.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.pid, started: 1, machineBoot: null }));
    const afterReuse = await StateFile.open(dir, ID);
    await afterReuse.store.close();
    // Garbage in the lock file is no holder either.
    writeFileSync(join(dir, 'lock'), '');
    const afterGarbage = await StateFile.open(dir, ID);
    await afterGarbage.store.close();
  });

  it('keeps the last 32 boot IDs', async () => {
    for (let boot = 1; boot <= 40; boot++) await (await StateFile.open(dir, ID)).store.close();
    const { store, bootId } = await StateFile.open(dir, ID);
    assert.equal(store.boots.length, 32);
    assert.equal(store.boots.at(-1), bootId);
    await store.close();
  });
});
