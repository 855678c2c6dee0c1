/**
 * The official Node binary of a platform, from npm's node-<platform> package (the registry npm
 * already talks to; no other download host). Kept in release/.node/ so that a second build
 * downloads nothing; Windows' without its signature (pe-signature.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeSignature } from './pe-signature.ts';
import type { Target } from './targets.ts';

export function nodeBinary(target: Target, version: string, cacheDir: string): string {
  const dir = join(cacheDir, `${target.nodePackage}-${version}`);
  const binary = join(dir, target.binaryInTarball.split('/').at(-1)!);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', `${target.nodePackage}@${version}`], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, target.binaryInTarball]);
  // Renamed last: a build stopped midway leaves no binary that looks whole.
  const extracted = join(dir, target.binaryInTarball);
  if (target.authenticode) removeSignature(extracted);
  renameSync(extracted, binary);
  chmodSync(binary, 0o755);
  rmSync(join(dir, tarball));
  rmSync(join(dir, 'package'), { recursive: true, force: true });
  return binary;
}
