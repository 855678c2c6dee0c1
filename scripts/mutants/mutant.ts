/**
 * One deliberate break of one safety or security rule: the smallest change that removes or
 * weakens it, and the tests that must fail with it (docs/testing.md, "The mutation check").
 */
export interface Mutant {
  /** Short and unique: `--only` takes it, the report prints it. */
  name: string;
  /** The rule this break removes or weakens, in a user's words. */
  rule: string;
  /** From the repository's root. */
  file: string;
  /** Each edit's `original` must occur exactly once in `file`, so the list cannot rot silently. */
  edits: readonly Edit[];
  /** Test files that must fail with the break, from the repository's root: fast ones. */
  tests: readonly string[];
  /** Only the tests whose names match (node --test's --test-name-pattern), when a file is slow. */
  testNamePattern?: string;
  /** Set only for a survivor that is accepted: why, and the comment beside the rule that says so. */
  survives?: Survivor;
}

export interface Edit {
  original: string;
  replacement: string;
}

export interface Survivor {
  /** Why no test can or should fail: one sentence. */
  why: string;
  /** A snippet of the comment beside the rule, in `file`, that says the same (checked to exist). */
  comment: string;
}
