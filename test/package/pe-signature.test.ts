/**
 * Removing the Authenticode signature from Windows' node.exe before its blob goes in, on made-up
 * PE32+ files (the real one is 100 MB, downloaded only by `npm run package -- --all`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { certificateTable, removeSignature } from '../../scripts/package/pe-signature.ts';

const PE_AT = 0x80;
const ENTRY_AT = PE_AT + 4 + 20 + 112 + 4 * 8;
const dir = mkdtempSync(join(tmpdir(), 'conclave-pe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A PE32+ header of `bodyBytes`, then `signatureBytes` named by its certificate table. */
function peFile(bodyBytes: number, signatureBytes: number, magic = 0x20b): Buffer {
  const bytes = Buffer.alloc(bodyBytes + signatureBytes, 0x11);
  bytes.writeUInt32LE(PE_AT, 0x3c);
  bytes.write('PE\0\0', PE_AT, 'latin1');
  bytes.writeUInt16LE(magic, PE_AT + 24);
  bytes.writeUInt32LE(signatureBytes === 0 ? 0 : bodyBytes, ENTRY_AT);
  bytes.writeUInt32LE(signatureBytes, ENTRY_AT + 4);
  return bytes;
}

describe("Windows' signature before the blob", () => {
  it('is cut off and its table entry zeroed; the rest of the file is left as it was', () => {
    const path = join(dir, 'signed.exe');
    const signed = peFile(4096, 512);
    writeFileSync(path, signed);
    removeSignature(path);
    const unsigned = readFileSync(path);
    assert.equal(unsigned.length, 4096);
    assert.deepEqual(certificateTable(unsigned), { entryAt: ENTRY_AT, offset: 0, size: 0 });
    assert.deepEqual(unsigned.subarray(0, ENTRY_AT), signed.subarray(0, ENTRY_AT));
    assert.deepEqual(unsigned.subarray(ENTRY_AT + 8), signed.subarray(ENTRY_AT + 8, 4096));
  });

  it('leaves an unsigned file alone, and refuses what it cannot read safely', () => {
    const path = join(dir, 'unsigned.exe');
    writeFileSync(path, peFile(4096, 0));
    removeSignature(path);
    assert.equal(readFileSync(path).length, 4096);
    writeFileSync(path, peFile(4096, 512, 0x10b));
    assert.throws(() => removeSignature(path), /not a PE32\+/);
    const trailing = Buffer.concat([peFile(4096, 512), Buffer.alloc(16)]);
    writeFileSync(path, trailing);
    assert.throws(() => removeSignature(path), /not at the end of the file/);
    writeFileSync(path, Buffer.alloc(4096));
    assert.throws(() => removeSignature(path), /not a PE file/);
  });
});
