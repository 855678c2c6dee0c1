/**
 * The package's entry points as package.json "exports" lists them, each with the source file its
 * built module comes from (./dist/x.js is built from src/x.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EntryPoint {
  /** How a user imports it: "conclave", "conclave/testing". */
  specifier: string;
  /** The source file, relative to the package root. */
  source: string;
}

type ExportTarget = string | { default?: string; import?: string };

export function entryPoints(root: string): EntryPoint[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, ExportTarget> };
  return Object.entries(pkg.exports).map(([subpath, target]) => {
    const built = typeof target === 'string' ? target : (target.import ?? target.default);
    if (built === undefined || !/^\.\/dist\/.+\.js$/.test(built)) throw new Error(`exports["${subpath}"]: expected ./dist/….js, got ${String(built)}`);
    return {
      specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      source: built.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'),
    };
  });
}
