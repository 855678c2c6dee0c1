/**
 * Both election cores are reached only through their facade (src/election/election-core.ts):
 * outside its own folder, no file of src/ imports the LAN node (core/node.ts) at all, and the
 * ZooKeeper election (zookeeper/election/zk-election.ts) for its types only. Their transitions
 * and test seams stay theirs; the core's own tests may import them from their files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** The module behind each facade, the folder allowed to use it freely, and whether others may take types from it. */
const HIDDEN = [
  { module: 'core/node.ts', home: 'core/', typesAllowed: false },
  { module: 'zookeeper/election/zk-election.ts', home: 'zookeeper/election/', typesAllowed: true },
] as const;

const IMPORT = /(import|export)(\s+type)?\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Imports of a hidden module from outside its folder, as "file imports module". */
export function reachesBehindFacade(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    for (const match of text.matchAll(IMPORT)) {
      const target = relative(SRC, normalize(join(SRC, dirname(file), match[3]!)));
      const hidden = HIDDEN.find((h) => h.module === target);
      if (hidden === undefined || file.startsWith(hidden.home)) continue;
      if (hidden.typesAllowed && match[2] !== undefined) continue;
      problems.push(`src/${file} imports ${hidden.typesAllowed ? 'a value from ' : ''}src/${target}`);
    }
  }
  return problems.sort();
}

describe('the cores behind their facades', () => {
  it('no file outside a core reaches behind its facade', () => {
    const files = new Map(sourceFiles(SRC).map((path) => [relative(SRC, path), readFileSync(path, 'utf8')] as const));
    assert.ok(files.size > 100, `found ${files.size} files`);
    assert.deepEqual(reachesBehindFacade(files), []);
  });

  it('the check itself sees a driver that takes the node, and one that takes the election', () => {
    const made = new Map([
      ['runtime/driver.ts', "import { ElectionNode } from '../core/node.ts';"],
      ['zookeeper/zk-driver.ts', "import { ZkElection } from './election/zk-election.ts';\nimport type { ZkOutput } from './election/zk-election.ts';"],
      ['core/lan-core.ts', "import { ElectionNode } from './node.ts';"],
    ]);
    assert.deepEqual(reachesBehindFacade(made), ['src/runtime/driver.ts imports src/core/node.ts', 'src/zookeeper/zk-driver.ts imports a value from src/zookeeper/election/zk-election.ts']);
  });
});
