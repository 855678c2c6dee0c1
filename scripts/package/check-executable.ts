/**
 * What can be checked of an executable without running it, also one for another platform: the
 * Node binary's SEA fuse is flipped (a stock binary carries it with `:0`, an executable with a
 * blob `:1`; Node looks for the blob only then), and the blob's main script is inside.
 */
import { readFileSync } from 'node:fs';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export function checkExecutable(path: string, script: string): void {
  const bytes = readFileSync(path);
  if (!bytes.includes(`${FUSE}:1`)) throw new Error(`${path}: the SEA fuse is not set: no blob was put in`);
  // A distinctive stretch of the script, from its middle (its start is the common banner).
  const sample = script.slice(script.length >> 1, (script.length >> 1) + 200);
  if (!bytes.includes(sample)) throw new Error(`${path}: the bundled main script is not in the executable`);
}
