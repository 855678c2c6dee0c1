import { readFileSync, statSync } from 'node:fs';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';
import type { KeyRing } from '../wire/seal.ts';

export class KeyError extends ConclaveError {
  override readonly name = 'KeyError';
  readonly code = ConclaveErrorCode.Key;
}

/** Short secrets can be guessed offline from one captured datagram. */
const MIN_SECRET_CHARS = 16;

/**
 * Parses keys: one per line (or comma-separated), as "<id>:<secret>" or "<id> <secret>"; '#'
 * at the start of a line or after a space starts a comment, so a secret holds no space or comma. The first key signs what this node sends; all of them are accepted, which
 * is how keys rotate. A lone secret without an ID is key 1. The secret is used as its bytes
 * (for example the output of `openssl rand -hex 32`).
 */
export function parseKeys(text: string, source: string): KeyRing {
  const keys = new Map<number, Uint8Array>();
  let sendKeyId: number | null = null;
  const entries = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '')) // a comment starts a line or follows a space
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    const match = /^(\d+)\s*[:\s]\s*(\S+)$/.exec(entry);
    const [id, secret] = match === null ? [entries.length === 1 ? 1 : NaN, entry] : [Number(match[1]), match[2]!];
    if (!Number.isInteger(id) || id < 1 || id > 65535) {
      throw new KeyError(`${source}: "${redact(entry)}" is not "<id>:<secret>" with an ID from 1 to 65535`);
    }
    if (/\s/.test(secret)) throw new KeyError(`${source}: key ${id} contains spaces`);
    if (secret.length < MIN_SECRET_CHARS) {
      throw new KeyError(`${source}: key ${id} is ${secret.length} characters; use at least ${MIN_SECRET_CHARS} (openssl rand -hex 32)`);
    }
    if (keys.has(id)) throw new KeyError(`${source}: key ${id} is listed twice`);
    keys.set(id, new TextEncoder().encode(secret));
    sendKeyId ??= id;
  }
  if (sendKeyId === null) throw new KeyError(`${source}: no key in it`);
  return { sendKeyId, keys };
}

/**
 * Reads a key file; returns the ring and a warning if others may read it. On POSIX systems that is
 * the mode's group and other bits. On Windows there is nothing to check there: who may read a file
 * is its ACL, and Node's `fs.stat` makes the mode up from the read-only attribute alone (0o666,
 * or 0o444 when read-only: libuv `src/win/fs.c`, `fs__stat_handle`, whose comment says that flag
 * "serves no security purpose. Windows uses ACLs for that."), so the check would warn about every
 * key file. There the warning says, once, that the file's readers were not checked.
 */
export function readKeyFile(path: string, platform: NodeJS.Platform = process.platform): { ring: KeyRing; warning: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyError(`${path}: cannot be read (${(error as Error).message})`, { cause: error });
  }
  return { ring: parseKeys(text, path), warning: readersWarning(path, platform) };
}

function readersWarning(path: string, platform: NodeJS.Platform): string | null {
  if (platform === 'win32') {
    return `${path}: who may read a key file is not checked on Windows (its permissions are an ACL, not mode bits); keep it in a folder only you and the administrators can read, such as one under %LOCALAPPDATA%`;
  }
  const mode = statSync(path).mode;
  return (mode & 0o077) !== 0 ? `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it` : null;
}

function redact(entry: string): string {
  return entry.length > 8 ? `${entry.slice(0, 4)}…` : entry;
}
