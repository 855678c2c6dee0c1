import { readFileSync, statSync } from 'node:fs';
import type { KeyRing } from '../wire/seal.ts';

export class KeyError extends Error {
  override readonly name = 'KeyError';
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

/** Reads a key file; returns the ring and a warning if others can read the file. */
export function readKeyFile(path: string): { ring: KeyRing; warning: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyError(`${path}: cannot be read (${(error as Error).message})`);
  }
  const mode = statSync(path).mode;
  const warning = (mode & 0o077) !== 0 ? `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it` : null;
  return { ring: parseKeys(text, path), warning };
}

function redact(entry: string): string {
  return entry.length > 8 ? `${entry.slice(0, 4)}…` : entry;
}
