import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeId, PersistentState } from '../core/index.ts';
import type { StateStore } from './ports.ts';

const FORMAT = 1;
const STATE_FILE = 'state.json';
const LOCK_FILE = 'lock';

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

interface StoredState extends PersistentState {
  format: number;
  nodeId: NodeId;
  voters: NodeId[];
  checksum: string;
}

/**
 * Term, vote and voter set under a data directory: written atomically (temp file, fsync, rename,
 * fsync of the directory), read back with a checksum, and locked against a second process.
 * A missing file is a first start; a corrupt one is an error, never a silent reset.
 */
export class StateFile implements StateStore {
  readonly dir: string;
  readonly path: string;
  private readonly identity: { nodeId: NodeId; voters: NodeId[] };
  private lockPath: string | null = null;

  private constructor(dir: string, identity: { nodeId: NodeId; voters: readonly NodeId[] }) {
    this.dir = dir;
    this.path = join(dir, STATE_FILE);
    this.identity = { nodeId: identity.nodeId, voters: [...identity.voters] };
  }

  /** Creates the directory if needed, takes its lock, and reads the state (null: first start). */
  static async open(
    dir: string,
    identity: { nodeId: NodeId; voters: readonly NodeId[] },
    options: { acceptNewVoters?: boolean } = {},
  ): Promise<{ store: StateFile; state: PersistentState | null }> {
    const store = new StateFile(dir, identity);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await store.lock();
    try {
      return { store, state: await store.read(options.acceptNewVoters ?? false) };
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async save(state: PersistentState): Promise<void> {
    const body = { format: FORMAT, ...this.identity, term: state.term, votedFor: state.votedFor };
    const stored: StoredState = { ...body, checksum: checksum(body) };
    const temp = `${this.path}.${process.pid}.tmp`;
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(stored, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, this.path);
    await syncDirectory(this.dir);
  }

  async close(): Promise<void> {
    if (this.lockPath === null) return;
    const path = this.lockPath;
    this.lockPath = null;
    await unlink(path).catch(() => {});
  }

  private async read(acceptNewVoters: boolean): Promise<PersistentState | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateFileError(this.path, `cannot be read (${(error as Error).message})`);
    }
    const corrupt = (why: string): StateFileError =>
      new StateFileError(
        this.path,
        `is corrupt (${why}). It holds this node's term and vote; starting over could vote twice in a term. ` +
          'Restore it from a backup, or, if this node may safely rejoin as new, move it away.',
      );
    let stored: StoredState;
    try {
      stored = JSON.parse(text) as StoredState;
    } catch (error) {
      throw corrupt(`not JSON: ${(error as Error).message}`);
    }
    if (stored === null || typeof stored !== 'object') throw corrupt('not an object');
    if (stored.format !== FORMAT) throw corrupt(`format ${String(stored.format)}, expected ${FORMAT}`);
    const { checksum: sum, ...body } = stored;
    if (sum !== checksum(body)) throw corrupt('checksum mismatch');
    if (!Number.isSafeInteger(stored.term) || stored.term < 0) throw corrupt(`term ${String(stored.term)}`);
    if (stored.votedFor !== null && !Number.isInteger(stored.votedFor)) throw corrupt(`votedFor ${String(stored.votedFor)}`);
    if (stored.nodeId !== this.identity.nodeId) {
      throw new StateFileError(this.path, `belongs to node ${stored.nodeId}, not ${this.identity.nodeId}: use that node's --data-dir`);
    }
    const voters = (stored.voters ?? []).join(',');
    if (voters !== this.identity.voters.join(',') && !acceptNewVoters) {
      throw new StateFileError(
        this.path,
        `was written for voters [${voters}], but this node is configured with [${this.identity.voters.join(',')}]. ` +
          'Change the voter set of a cluster only with all its nodes stopped, then start them with --accept-new-voters.',
      );
    }
    return { term: stored.term, votedFor: stored.votedFor };
  }

  private async lock(): Promise<void> {
    const path = join(this.dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const file = await open(path, 'wx', 0o600);
        await file.writeFile(`${process.pid}\n`);
        await file.close();
        this.lockPath = path;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new StateFileError(
          this.dir,
          `is in use by another conclave process (PID ${holder}); two processes must not share a data directory`,
        );
      }
      await unlink(path).catch(() => {}); // left by a process that died: take it over
    }
    throw new StateFileError(this.dir, 'could not take the lock');
  }
}

function checksum(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
