import { createHash, randomBytes, randomInt } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NO_BOOT, type NodeId, type PersistentState } from '../core/index.ts';
import type { StateStore } from '../contract/ports.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

const FORMAT = 1;
const STATE_FILE = 'state.json';
const LOCK_FILE = 'lock';

export class StateFileError extends ConclaveError {
  override readonly name: string = 'StateFileError';
  // Either: a DataDirError is a StateFileError too, as it was before the codes.
  readonly code: typeof ConclaveErrorCode.StateFile | typeof ConclaveErrorCode.DataDir = ConclaveErrorCode.StateFile;
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(`${path}: ${message}`, options);
    this.path = path;
  }
}

/** The data directory itself cannot be created or written: its path, permissions or file system. */
export class DataDirError extends StateFileError {
  override readonly name: string = 'DataDirError';
  override readonly code = ConclaveErrorCode.DataDir;
  /** The system's error code (ENOTDIR, EACCES, EROFS, …), if there was one (`code` is Conclave's). */
  readonly systemCode: string | undefined;
  constructor(dir: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(dir, `cannot be used as a data directory: ${DATA_DIR_PROBLEMS[code ?? ''] ?? (cause as Error).message}${code === undefined ? '' : ` (${code})`}`, { cause });
    this.systemCode = code;
  }
}

const DATA_DIR_PROBLEMS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'it is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

interface StoredState extends PersistentState {
  format: number;
  nodeId: NodeId;
  voters: NodeId[];
  /** Boot IDs of this node's latest processes, newest last: its own old datagrams are replays. */
  boots: number[];
  checksum: string;
}

/**
 * The file calls a save makes, node:fs's by default; a test passes a recorder to check their
 * order (the fsyncs a crash depends on leave no other trace).
 */
export interface SaveFs {
  openSync: typeof openSync;
  writeFileSync: typeof writeFileSync;
  fsyncSync: typeof fsyncSync;
  closeSync: typeof closeSync;
  renameSync: typeof renameSync;
  rmSync: typeof rmSync;
}

const NODE_FS: SaveFs = { openSync, writeFileSync, fsyncSync, closeSync, renameSync, rmSync };

/** How many past boot IDs are kept. */
const BOOTS_KEPT = 32;

/**
 * Term, vote and voter set under a data directory: written atomically (temp file, fsync, rename,
 * fsync of the directory), read back with a checksum, and locked against a second process.
 * A missing file is a first start; a corrupt one is an error, never a silent reset.
 */
export class StateFile implements StateStore {
  readonly dir: string;
  readonly path: string;
  private readonly identity: { nodeId: NodeId; voters: NodeId[] };
  private readonly fs: SaveFs;
  /** Whose file system rules apply (see syncRename); tests pick it. */
  private readonly platform: NodeJS.Platform;
  /** This process's entry in the lock directory, while it holds the lock. */
  private lockEntry: string | null = null;
  /** This node's boot IDs, the current one last. */
  boots: number[] = [];

  private constructor(dir: string, identity: { nodeId: NodeId; voters: readonly NodeId[] }, fs: SaveFs, platform: NodeJS.Platform) {
    this.dir = dir;
    this.fs = fs;
    this.platform = platform;
    this.path = join(dir, STATE_FILE);
    this.identity = { nodeId: identity.nodeId, voters: [...identity.voters] };
  }

  /**
   * Creates the directory if needed, takes its lock, reads the state (null: first start), and
   * chooses and records this process's boot ID before anything is sent: above every earlier
   * one, so that peers can tell this boot's datagrams from an earlier boot's.
   */
  static async open(
    dir: string,
    identity: { nodeId: NodeId; voters: readonly NodeId[] },
    options: { acceptNewVoters?: boolean; nowMs?: number; fs?: SaveFs; platform?: NodeJS.Platform } = {},
  ): Promise<{ store: StateFile; state: PersistentState | null; bootId: number }> {
    const store = new StateFile(dir, identity, options.fs ?? NODE_FS, options.platform ?? process.platform);
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw new DataDirError(dir, error);
    });
    await store.lock();
    try {
      const state = await store.read(options.acceptNewVoters ?? false);
      const bootId = nextBootId(store.boots, options.nowMs ?? Date.now());
      store.boots = [...store.boots, bootId].slice(-BOOTS_KEPT);
      await store.save(state ?? { term: 0, votedFor: null });
      return { store, state, bootId };
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * Synchronous inside: a save stands between a vote and its sending, and the thread pool's
   * round trips (open, write, sync, close, rename, sync) cost more than the disk does (measured:
   * 0.7 ms at p50 this way). The node has nothing else to do meanwhile; errors still reject.
   */
  async save(state: PersistentState): Promise<void> {
    const votedForBoot = state.votedForBoot ?? NO_BOOT;
    const spent = state.spentThroughTerm !== undefined && state.spentThroughTerm > state.term ? { spentThroughTerm: state.spentThroughTerm } : {};
    const body = { format: FORMAT, ...this.identity, term: state.term, votedFor: state.votedFor, votedForBoot, ...spent, boots: this.boots };
    const stored: StoredState = { ...body, checksum: checksum(body) };
    const temp = `${this.path}.${process.pid}.tmp`;
    const fs = this.fs;
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      try {
        fs.writeFileSync(fd, `${JSON.stringify(stored, null, 2)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.path);
    } catch (error) {
      fs.rmSync(temp, { force: true }); // a full disk must not also fill up with our leftovers
      throw error;
    }
    syncRename(fs, this.platform, this.dir, this.path);
  }

  /** Releases the lock: our entry first, then the directory if no successor has filled it yet. */
  async close(): Promise<void> {
    if (this.lockEntry === null) return;
    const entry = this.lockEntry;
    this.lockEntry = null;
    await unlink(entry).catch(() => {});
    await rmdir(dirname(entry)).catch(() => {});
  }

  private async read(acceptNewVoters: boolean): Promise<PersistentState | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StateFileError(this.path, `cannot be read (${(error as Error).message})`, { cause: error });
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
    // Absent in files written before votes were bound to a boot: the vote is spent, never repeated.
    const votedForBoot = stored.votedForBoot ?? NO_BOOT;
    if (!Number.isSafeInteger(votedForBoot) || votedForBoot < 0) throw corrupt(`votedForBoot ${String(stored.votedForBoot)}`);
    const spentThroughTerm = stored.spentThroughTerm;
    if (spentThroughTerm !== undefined && (!Number.isSafeInteger(spentThroughTerm) || spentThroughTerm <= stored.term)) {
      throw corrupt(`spentThroughTerm ${String(spentThroughTerm)}`);
    }
    if (!Array.isArray(stored.boots) || !stored.boots.every(Number.isSafeInteger)) throw corrupt('boots');
    this.boots = stored.boots;
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
    return { term: stored.term, votedFor: stored.votedFor, votedForBoot, ...(spentThroughTerm === undefined ? {} : { spentThroughTerm }) };
  }

  /**
   * Takes `<dir>/lock`: a directory holding one entry, named for this process alone (PID and a
   * random nonce) and naming it inside (PID, start time, machine boot). A holder that is gone —
   * another machine boot, no such PID, or a PID now used by a process that started at another
   * time — is removed.
   *
   * Why a directory: POSIX cannot delete or rename a path only if it still is the file one judged
   * stale, so a takeover by path can remove a lock another process has just taken (two processes
   * find a dead holder; A deletes it and takes the lock; B's delete removes A's fresh lock, and B
   * takes it too). Here no step can remove a live holder's lock:
   * - taking: rename(2) of a directory we prepared, our entry already in it, onto `lock`. It
   *   replaces an empty directory and fails on a non-empty one, so it succeeds only while `lock`
   *   holds no entry: one holder at a time, whatever the interleaving;
   * - taking over: deleting each dead holder's entry by its own name. A name belongs to one
   *   process ever (the nonce), and one judged dead stays dead, so a racer's delete finds the
   *   same dead entry or nothing, never a live one; then we try the rename again;
   * - releasing: deleting our entry, then rmdir(2), which fails harmlessly on a successor's.
   * Windows' rename replaces no directory, not even an empty one, so there an empty `lock` left by
   * a holder that is gone is removed first (rmdir, which fails on a filled one); a rename onto a
   * `lock` that is there fails, so there too one holder at a time.
   * A `lock` file left by an older version is deleted when its holder is gone: unlink(2) cannot
   * delete a directory, so this never removes a lock taken this way.
   */
  private async lock(): Promise<void> {
    const lock = join(this.dir, LOCK_FILE);
    const nonce = randomBytes(8).toString('hex');
    const entry = `${process.pid}.${nonce}`;
    const staged = join(this.dir, `${LOCK_FILE}.${entry}`);
    try {
      await mkdir(staged, { mode: 0o700 });
      await writeFile(join(staged, entry), `${JSON.stringify(processIdentity(process.pid))}\n`, { mode: 0o600 });
    } catch (error) {
      await rm(staged, { recursive: true, force: true });
      throw new DataDirError(this.dir, error);
    }
    try {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        try {
          await rename(staged, lock);
          this.lockEntry = join(lock, entry);
          return;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (!lockTakenCodes(this.platform).includes(code ?? '')) throw error;
        }
        await this.removeDeadHolders(lock);
      }
      throw new StateFileError(this.dir, 'could not take the lock');
    } finally {
      if (this.lockEntry === null) await rm(staged, { recursive: true, force: true });
    }
  }

  /** Throws if a holder of `lock` is alive; else deletes the dead holders' entries, by name. */
  private async removeDeadHolders(lock: string): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(lock);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // released meanwhile
      if (code !== 'ENOTDIR') throw error;
      // An older version's lock file.
      this.refuseIfAlive(parseHolder(await readFile(lock, 'utf8').catch(() => '')));
      await unlink(lock).catch(() => {});
      return;
    }
    for (const name of entries) {
      const text = await readFile(join(lock, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return ''; // removed by another process taking over
        throw error;
      });
      this.refuseIfAlive(parseHolder(text));
    }
    for (const name of entries) await unlink(join(lock, name)).catch(() => {});
    // An empty `lock` holds nobody. POSIX's rename replaces it; Windows' cannot replace a
    // directory at all, so it goes. rmdir fails on a lock a racer has just filled: harmless.
    await rmdir(lock).catch(() => {});
  }

  private refuseIfAlive(holder: Holder | null): void {
    if (holder !== null && isAlive(holder)) {
      throw new StateFileError(
        this.dir,
        `is in use by another conclave process (PID ${holder.pid}); two processes must not share a data directory`,
      );
    }
  }
}

/** Each failed try removes a dead holder or finds a live one; more than a few means a busy fight. */
const LOCK_ATTEMPTS = 10;

interface Holder {
  pid: number;
  /** Process start time, in clock ticks since the machine booted (Linux), or null. */
  started: number | null;
  /** The machine's boot ID (Linux), or null. */
  machineBoot: string | null;
}

function processIdentity(pid: number): Holder {
  return { pid, started: processStart(pid), machineBoot: machineBoot() };
}

function parseHolder(text: string): Holder | null {
  try {
    const holder = JSON.parse(text) as Holder;
    return Number.isInteger(holder.pid) && holder.pid > 0 ? holder : null;
  } catch {
    return null; // unreadable: left half-written by nothing we know; treat as stale
  }
}

function isAlive(holder: Holder): boolean {
  const machine = machineBoot();
  if (holder.machineBoot !== null && machine !== null && holder.machineBoot !== machine) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(holder.pid);
  // The same PID, started at another time: a new process that inherited the number.
  return holder.started === null || started === null || started === holder.started;
}

function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

function machineBoot(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Wall-clock milliseconds × 1024 plus noise: grows across restarts, stays below 2^53 until 2248. */
export function nextBootId(pastBoots: readonly number[], nowMs: number): number {
  const fromClock = Math.floor(nowMs) * 1024 + randomInt(1024);
  return Math.max(fromClock, (pastBoots.at(-1) ?? 0) + 1);
}

function checksum(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Makes the rename of the state file durable. POSIX: fsync of the directory, which holds the
 * entry. Windows cannot: fsync there is FlushFileBuffers, which needs a handle with write access,
 * and a directory gives none (EPERM, nodejs/node#3879), so it flushes the renamed file instead,
 * the closest it offers from Node.
 */
function syncRename(fs: SaveFs, platform: NodeJS.Platform, dir: string, path: string): void {
  const fd = platform === 'win32' ? fs.openSync(path, 'r+') : fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What a failed rename of our staged directory onto `lock` says when `lock` is there: POSIX
 * ENOTEMPTY or EEXIST (held), ENOTDIR (an older version's lock file). Windows' MoveFileEx cannot
 * replace a directory and says so with access denied, EPERM in libuv's terms (or EACCES).
 */
function lockTakenCodes(platform: NodeJS.Platform): readonly string[] {
  return platform === 'win32' ? ['ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EPERM', 'EACCES'] : ['ENOTEMPTY', 'EEXIST', 'ENOTDIR'];
}
