/**
 * The house reads from the bottom up: every import in `src/` goes to a lower floor of LAYERS (or
 * stays in its own folder), and no files import each other in a circle. Type-only imports count:
 * a type taken from above ties the layers as much as a value does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Floors from the bottom: a folder (or top-level file) of `src/` imports only from floors below its own. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors'], // the base of every error a user can catch, and their codes (docs/errors.md)
  ['core'], // the pure election state machine
  ['wire'], // the datagram codec
  ['contract', 'metrics'], // what both backends offer (Elector, events, status, ports); their instruments
  ['net', 'zookeeper'], // UDP transport and peer directory; the ZooKeeper backend
  ['runtime'], // the LAN backend: the core driven over net
  ['sim', 'dashboard', 'check'], // the simulator (the same driver, a simulated world); the dashboard's server; the log check
  ['session', 'testing'], // one running node as the CLI and the desktop app start it: picks the backend; conclave/testing's clusters
  ['desktop'],
  ['lab'],
  ['watch'], // the passive observer: the lab's verdict from a real LAN's heartbeats
  ['cli'],
  ['ui'], // the pages, built by Vite
  ['index.ts', 'desktop.ts'], // the library's entry points
];

/** File cycles still to be taken apart: none. */
const KNOWN_CYCLES: readonly string[] = [];

type Graph = Map<string, Set<string>>;

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|[\s;])import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|mts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every file of `src/` (relative to it) and the files of `src/` it imports. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    const targets = new Set<string>();
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      const target = relative(SRC, normalize(join(dirname(file), specifier)));
      if (!target.startsWith('..') && /\.(ts|mts|svelte)$/.test(target)) targets.add(target);
    }
    graph.set(from, targets);
  }
  return graph;
}

const roomOf = (file: string): string => file.split('/')[0]!;

/** Imports that go up a floor or sideways between rooms, and rooms no floor names. */
export function layerViolations(graph: Graph, layers: readonly (readonly string[])[]): string[] {
  const floor = new Map(layers.flatMap((rooms, index) => rooms.map((room) => [room, index] as const)));
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const fromRoom = roomOf(from);
    if (!floor.has(fromRoom)) problems.push(`src/${fromRoom} is on no floor of LAYERS`);
    for (const target of targets) {
      const toRoom = roomOf(target);
      if (toRoom === fromRoom || !floor.has(fromRoom) || !floor.has(toRoom)) continue;
      if (floor.get(toRoom)! >= floor.get(fromRoom)!) problems.push(`src/${from} imports src/${target}: ${toRoom} is not below ${fromRoom}`);
    }
  }
  return [...new Set(problems)].sort();
}

/** The strongly connected components of more than one file (Tarjan), each as its sorted files. */
export function fileCycles(graph: Graph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) cycles.push(component.sort().join(' '));
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles.sort();
}

describe('layers', () => {
  const graph = importGraph();

  it('reads the imports at all', () => {
    assert.ok(graph.size > 100, `only ${graph.size} files`);
    assert.ok(graph.get('runtime/conclave-node.ts')?.has('contract/elector.ts'), 'the LAN node implements the contract');
  });

  it('every import in src/ goes to a lower floor, and every folder is on one', () => {
    assert.deepEqual(layerViolations(graph, LAYERS), []);
  });

  it('no files import each other in a circle, but for the known ones', () => {
    assert.deepEqual(fileCycles(graph), [...KNOWN_CYCLES].sort());
  });

  it('the two backends are siblings: neither imports the other', () => {
    const crossing = [...graph].flatMap(([from, targets]) =>
      [...targets].filter((target) => new Set([roomOf(from), roomOf(target)]).size === 2 && ['runtime', 'zookeeper'].includes(roomOf(from)) && ['runtime', 'zookeeper'].includes(roomOf(target))).map((target) => `${from} -> ${target}`),
    );
    assert.deepEqual(crossing, []);
  });

  it('the checks catch an import that runs up, and a circle', () => {
    const wrong: Graph = new Map([
      ['core/a.ts', new Set(['runtime/b.ts'])],
      ['runtime/b.ts', new Set(['core/a.ts'])],
      ['extra/c.ts', new Set()],
    ]);
    assert.deepEqual(layerViolations(wrong, [['core'], ['runtime']]), ['src/core/a.ts imports src/runtime/b.ts: runtime is not below core', 'src/extra is on no floor of LAYERS']);
    assert.deepEqual(fileCycles(wrong), ['core/a.ts runtime/b.ts']);
  });
});
