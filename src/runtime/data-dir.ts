/**
 * Where a node keeps its term, vote and voter set unless --data-dir says otherwise: the place each
 * platform documents for an application's own, per-user, non-roaming state. The platform, the
 * environment and the home directory are parameters, so that every platform's answer is tested on
 * any machine.
 *
 * - Windows: `%LOCALAPPDATA%\Conclave` (Known Folder FOLDERID_LocalAppData: per machine, never
 *   copied to another by a roaming profile, which a lab's image often uses; a term and vote copied
 *   to another machine would be another node's).
 * - macOS: `~/Library/Application Support/Conclave` (Apple's File System Programming Guide: where
 *   an app keeps its own data files; not ~/Library/Caches, which the system may purge, forgetting
 *   a vote).
 * - Linux and the rest: `$XDG_STATE_HOME/conclave`, default `~/.local/state/conclave` (the XDG Base
 *   Directory Specification's "state data that should persist between restarts").
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { NodeId } from '../core/index.ts';

export interface DataDirHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

const THIS_HOST: () => DataDirHost = () => ({ platform: process.platform, env: process.env, home: homedir() });

/** The directory under which every cluster's and node's directory goes. */
export function dataRoot(host: DataDirHost = THIS_HOST()): string {
  const { platform, env, home } = host;
  if (platform === 'win32') {
    // Unset only in a stripped environment (a service started without a profile): its usual value.
    return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'Conclave');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Conclave');
  return posix.join(env.XDG_STATE_HOME || posix.join(home, '.local', 'state'), 'conclave');
}

/** One node's directory: `<root>/<cluster>-<id>`. */
export function defaultDataDir(cluster: string, id: NodeId, host: DataDirHost = THIS_HOST()): string {
  return (host.platform === 'win32' ? win32 : posix).join(dataRoot(host), `${cluster}-${id}`);
}
