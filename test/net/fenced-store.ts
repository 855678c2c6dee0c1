/**
 * A store shared by the workers of test/net/leader-worker.ts (a directory on the common file
 * system): it keeps each job's result once, and refuses any write whose fencing token is below
 * the highest it has seen. A mkdir-based lock makes each commit atomic across processes. Every
 * commit attempt is also recorded, in order, before and whatever the store decides, so that the
 * tests judge the workers by what they tried (assertFencedHistory), not by the store's rules.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, rename, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoreContents {
  highestToken: number;
  results: Record<string, { token: number; by: number }>;
  rejected: Array<{ job: number; token: number; by: number; highest: number }>;
}

/** One commit attempt, in the order they reached the store. */
export interface Attempt {
  job: number;
  token: number;
  by: number;
  accepted: boolean;
}

export class StaleTokenError extends Error {}

export class FencedStore {
  private readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  async read(): Promise<StoreContents> {
    try {
      return JSON.parse(await readFile(join(this.dir, 'store.json'), 'utf8')) as StoreContents;
    } catch {
      return { highestToken: 0, results: {}, rejected: [] };
    }
  }

  /** Every commit attempt so far, in order. */
  async attempts(): Promise<Attempt[]> {
    const text = await readFile(join(this.dir, 'attempts.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Attempt);
  }

  /** The lowest job number without a result, at most `total`; null when all are done. */
  async nextJob(total: number): Promise<number | null> {
    const { results } = await this.read();
    for (let job = 1; job <= total; job++) if (results[job] === undefined) return job;
    return null;
  }

  /**
   * A new leader's first act: from now on nothing below `token` is accepted, so that a job its
   * predecessor still had in flight is either committed before this or refused, never both
   * committed by the predecessor and redone here. Throws StaleTokenError if a newer token came first.
   */
  async fence(token: number): Promise<void> {
    await this.locked(async () => {
      const contents = await this.read();
      if (token < contents.highestToken) throw new StaleTokenError(`token ${token} < ${contents.highestToken}`);
      contents.highestToken = token;
      await this.write(contents);
    });
  }

  /** Records `job`'s result under fencing token `token`; throws StaleTokenError if a newer token wrote. */
  async commit(job: number, token: number, by: number): Promise<void> {
    await this.locked(async () => {
      const contents = await this.read();
      const accepted = token >= contents.highestToken;
      await appendFile(join(this.dir, 'attempts.jsonl'), `${JSON.stringify({ job, token, by, accepted } satisfies Attempt)}\n`);
      if (!accepted) {
        contents.rejected.push({ job, token, by, highest: contents.highestToken });
        await this.write(contents);
        throw new StaleTokenError(`token ${token} < ${contents.highestToken}`);
      }
      contents.highestToken = token;
      contents.results[job] ??= { token, by }; // done once: a retry after a crash changes nothing
      await this.write(contents);
    });
  }

  private async write(contents: StoreContents): Promise<void> {
    const temp = join(this.dir, `store.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(contents));
    await rename(temp, join(this.dir, 'store.json'));
  }

  private async locked(work: () => Promise<void>): Promise<void> {
    const lock = join(this.dir, 'lock');
    for (;;) {
      try {
        await mkdir(lock);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    try {
      await work();
    } finally {
      await rmdir(lock);
    }
  }
}

/**
 * What the workers tried, judged on the record of attempts: every job committed exactly once,
 * the accepted tokens never going down, every attempt below a token already accepted refused,
 * and among the refused ones `late` (the frozen leader's write after it woke); the successor did
 * that job, with a higher token.
 */
export function assertFencedHistory(attempts: readonly Attempt[], jobs: number, late: { by: number; token: number; job: number }): void {
  const accepted = attempts.filter((a) => a.accepted);
  const twice = accepted.filter((a) => accepted.filter((b) => b.job === a.job).length > 1);
  assert.deepEqual(twice, [], 'no job committed twice');
  assert.deepEqual(accepted.map((a) => a.job).sort((a, b) => a - b), Array.from({ length: jobs }, (_, i) => i + 1), 'every job committed');
  accepted.forEach((a, i) => assert.ok(i === 0 || a.token >= accepted[i - 1]!.token, `token ${a.token} accepted after ${accepted[i - 1]?.token}`));
  let highest = 0;
  for (const attempt of attempts) {
    if (attempt.token < highest) assert.equal(attempt.accepted, false, `token ${attempt.token} accepted after ${highest}: ${JSON.stringify(attempt)}`);
    if (attempt.accepted) highest = attempt.token;
  }
  assert.ok(attempts.some((a) => a.by === late.by && a.token === late.token && a.job === late.job && !a.accepted), `the frozen leader's late write was refused: ${JSON.stringify(late)}`);
  const done = accepted.find((a) => a.job === late.job)!;
  assert.ok(done.by !== late.by && done.token > late.token, `job ${late.job} was done by n${done.by} with token ${done.token}`);
}
