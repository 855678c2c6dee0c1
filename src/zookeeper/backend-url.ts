/** `zookeeper://host:port[,host:port…][/path][?mode=bully|fair]`: where and how to elect through ZooKeeper. */
import { ElectionMode } from '../contract/zookeeper-status.ts';
import { OptionError } from '../contract/errors.ts';

export interface ZooKeeperBackend {
  /** "host:port" entries of the ensemble. */
  servers: string[];
  /** The election znode; its children are the candidates. */
  path: string;
  mode: ElectionMode;
}

export const DEFAULT_ZOOKEEPER_PORT = 2181;

/** Parses a backend URL; throws OptionError naming what is wrong. */
export function parseBackendUrl(url: string, cluster: string): ZooKeeperBackend {
  const match = /^zookeeper:\/\/([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(url.trim());
  if (match === null) throw new OptionError('backend', 'backend', ` "${url}": use zookeeper://host:port[,host:port…][/path][?mode=bully|fair]`);
  const servers = match[1]!.split(',').map((entry) => {
    // Host names and IPv4 only: the client's connection string cannot carry an IPv6 literal.
    const server = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(entry.trim());
    const port = server?.[2] === undefined ? DEFAULT_ZOOKEEPER_PORT : Number(server[2]);
    if (server === null || port < 1 || port > 65535) throw new OptionError('backend', 'backend', ` "${url}": "${entry}" is not host:port`);
    return `${server[1]}:${port}`;
  });
  const rawPath = match[2] === undefined || match[2] === '/' ? `/conclave/${cluster}` : match[2].replace(/\/+$/, '');
  if (!/^(\/[\w.-]+)+$/.test(rawPath) || rawPath.split('/').some((part) => part === '.' || part === '..' || part === 'zookeeper')) {
    throw new OptionError('backend', 'backend', ` "${url}": path "${rawPath}" must be /name[/name…] of letters, digits, '.', '-' and '_'`);
  }
  const params = new URLSearchParams(match[3] ?? '');
  for (const key of params.keys()) if (key !== 'mode') throw new OptionError('backend', 'backend', ` "${url}": unknown parameter "${key}" (only mode)`);
  const mode = params.get('mode') ?? ElectionMode.Bully;
  if (mode !== ElectionMode.Bully && mode !== ElectionMode.Fair) throw new OptionError('backend', 'backend', ` "${url}": mode must be bully or fair, got "${mode}"`);
  return { servers, path: rawPath, mode };
}

export function formatBackend(backend: ZooKeeperBackend): string {
  return `zookeeper://${backend.servers.join(',')}${backend.path}?mode=${backend.mode}`;
}
