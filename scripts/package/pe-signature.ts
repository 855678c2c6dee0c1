/**
 * The Authenticode signature of a Windows executable (PE32+), which Node's official node.exe
 * carries. Putting a blob in changes the file, so the signature no longer matches it, and its
 * table would point at the wrong bytes; Node's docs remove it first (`signtool remove /s`). This
 * does the same without Windows: the certificate table's entry is zeroed and its data (the file's
 * last bytes) cut off. Whoever distributes the executable signs it again (docs/install.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PE32_PLUS = 0x20b;
/** The certificate table is the fifth data directory; PE32+ data directories start at 112. */
const CERTIFICATE_ENTRY = 112 + 4 * 8;

/** Where the certificate table's entry is, and what it says (offset and size 0: unsigned). */
export function certificateTable(bytes: Buffer): { entryAt: number; offset: number; size: number } {
  const pe = bytes.readUInt32LE(0x3c);
  if (bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('not a PE file');
  const optional = pe + 4 + 20;
  if (bytes.readUInt16LE(optional) !== PE32_PLUS) throw new Error('not a PE32+ (64-bit) file');
  const entryAt = optional + CERTIFICATE_ENTRY;
  return { entryAt, offset: bytes.readUInt32LE(entryAt), size: bytes.readUInt32LE(entryAt + 4) };
}

export function removeSignature(path: string): void {
  const bytes = readFileSync(path);
  const table = certificateTable(bytes);
  if (table.size === 0) return;
  if (table.offset + table.size !== bytes.length) throw new Error(`${path}: the signature is not at the end of the file`);
  bytes.writeUInt32LE(0, table.entryAt);
  bytes.writeUInt32LE(0, table.entryAt + 4);
  writeFileSync(path, bytes.subarray(0, table.offset));
}
