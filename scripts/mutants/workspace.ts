import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the covering tests read: sources, tests and the files they resolve imports by. */
const COPIED = ['src', 'test', 'proto', 'package.json', 'tsconfig.json'] as const;

/**
 * A private copy of the project for one worker, so that a mutant is never written into the real
 * tree: a failure, a timeout or Ctrl-C at any moment leaves the working tree as it was.
 * node_modules is linked, not copied (read-only to the tests).
 */
export class Workspace {
  readonly root: string;

  constructor(projectRoot: string) {
    this.root = mkdtempSync(join(tmpdir(), 'conclave-mutants-'));
    for (const entry of COPIED) cpSync(join(projectRoot, entry), join(this.root, entry), { recursive: true });
    symlinkSync(join(projectRoot, 'node_modules'), join(this.root, 'node_modules'), 'dir');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
