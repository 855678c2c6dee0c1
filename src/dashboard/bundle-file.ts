/**
 * Reads one file of the built dashboard bundle from the disk. The single executable
 * (scripts/package) swaps this module for one that reads the copy embedded in the executable,
 * where there is no dist/ui beside it.
 */
import { readFile } from 'node:fs/promises';

export function readBundleFile(path: string): Promise<Buffer> {
  return readFile(path);
}
