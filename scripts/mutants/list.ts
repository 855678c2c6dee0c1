/**
 * The mutation check's list: every break that `npm run test:mutants` tries. To add one, put it in
 * the file of its area (docs/testing.md, "The mutation check", says how).
 */
import { CHECK_MUTANTS } from './check-mutants.ts';
import { CORE_MUTANTS } from './core-mutants.ts';
import type { Mutant } from './mutant.ts';
import { RUNTIME_MUTANTS } from './runtime-mutants.ts';
import { PAGE_MUTANTS } from './page-mutants.ts';
import { WIRE_MUTANTS } from './wire-mutants.ts';
import { ZOOKEEPER_MUTANTS } from './zookeeper-mutants.ts';

export const MUTANTS: readonly Mutant[] = [...CORE_MUTANTS, ...WIRE_MUTANTS, ...RUNTIME_MUTANTS, ...PAGE_MUTANTS, ...ZOOKEEPER_MUTANTS, ...CHECK_MUTANTS];
