/**
 * Cluster keys as a key file gives them: a secret short enough to guess offline from one captured
 * datagram is refused before the node starts. Who may read the file: the mode on POSIX systems;
 * on Windows, where the mode means nothing, one warning that it was not checked.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KeyError, parseKeys, readKeyFile } from '../../src/net/keys.ts';

describe('cluster keys', () => {
  it('refuses a secret of fewer than 16 characters, naming the key; takes one of 16', () => {
    assert.throws(() => parseKeys('2:0123456789abcde', 'k.key'), (error) => error instanceof KeyError && /^k\.key: key 2 is 15 characters; use at least 16/.test(error.message));
    assert.throws(() => parseKeys('01234567', 'k.key'), /key 1 is 8 characters/);
    const ring = parseKeys('2:0123456789abcdef', 'k.key');
    assert.equal(ring.sendKeyId, 2);
    assert.equal(ring.keys.get(2)?.length, 16);
  });
});

describe('who may read a key file', () => {
  const withKeyFile = (mode: number, check: (path: string) => void): void => {
    const dir = mkdtempSync(join(tmpdir(), 'conclave keys '));
    try {
      const path = join(dir, 'lab key.key');
      writeFileSync(path, '1:0123456789abcdef0123\n');
      chmodSync(path, mode);
      check(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('POSIX: a file others may read is named with its mode; mode 600 is quiet (a path with spaces, for real)', () => {
    withKeyFile(0o644, (path) => assert.equal(readKeyFile(path, 'linux').warning, `${path} can be read by other users (mode 644); chmod 600 it`));
    withKeyFile(0o640, (path) => assert.match(readKeyFile(path, 'darwin').warning!, /mode 640\); chmod 600 it$/));
    withKeyFile(0o600, (path) => {
      const { ring, warning } = readKeyFile(path, 'linux');
      assert.equal(warning, null);
      assert.equal(ring.sendKeyId, 1);
    });
  });

  it('Windows: the mode bits are not read (Node makes them up there); one warning says the readers were not checked', () => {
    // 0o600 here, 0o666 as Node reports every writable file on Windows: the same answer either way.
    for (const mode of [0o600, 0o666]) {
      withKeyFile(mode, (path) => {
        const { ring, warning } = readKeyFile(path, 'win32');
        assert.equal(ring.sendKeyId, 1);
        assert.match(warning!, /^.*lab key\.key: who may read a key file is not checked on Windows \(its permissions are an ACL, not mode bits\); keep it in a folder only you/);
        assert.doesNotMatch(warning!, /chmod/);
      });
    }
  });
});
