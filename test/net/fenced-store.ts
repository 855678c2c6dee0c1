/**
 * A store shared by the workers of test/net/leader-worker.ts (a directory on the common file
 * system): it keeps each job's result once, and refuses any write whose fencing token is below
 * the highest it has seen. A mkdir-based lock makes each commit atomic across processes.
 */
import { mkdir, readFile, rename, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoreContents {
  highestToken: number;
  results: Record<string, { token: number; by: number }>;
  rejected: Array<{ job: number; token: number; by: number; highest: number }>;
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

  /** The lowest job number without a result, at most `total`; null when all are done. */
  async nextJob(total: number): Promise<number | null> {
    const { results } = await this.read();
    for (let job = 1; job <= total; job++) if (results[job] === undefined) return job;
    return null;
  }

  /** Records `job`'s result under fencing token `token`; throws StaleTokenError if a newer token wrote. */
  async commit(job: number, token: number, by: number): Promise<void> {
    await this.locked(async () => {
      const contents = await this.read();
      if (token < contents.highestToken) {
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
