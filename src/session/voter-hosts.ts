/**
 * The hosts of a cluster file's voters, and which of them is this machine: by its host name
 * (os.hostname(), any case, with or without its domain) or by one of its IPv4 addresses. No DNS:
 * a lab's names often resolve nowhere, and what a machine calls itself is what the file can match.
 */
import { hostname, networkInterfaces } from 'node:os';
import type { NodeId } from '../core/index.ts';

/** What this machine is known by; tests give their own. */
export interface Machine {
  hostname: string;
  /** Its IPv4 addresses, loopback included. */
  addresses: readonly string[];
}

export function thisMachine(): Machine {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address));
  return { hostname: hostname(), addresses };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`, 'i');

/** Why `host` is neither a host name nor an IPv4 address, or null when it is one. */
export function hostProblem(host: string): string | null {
  if (/^[\d.]+$/.test(host)) {
    const octets = IPV4.exec(host)?.slice(1);
    // A leading zero reads as octal to some resolvers: 010 would be 8 there and 10 here.
    if (octets === undefined || octets.some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) {
      return `"${host}" is not an IPv4 address (four numbers from 0 to 255, without leading zeros)`;
    }
    return null;
  }
  if (!HOST_NAME.test(stripRootDot(host))) return `"${host}" is not a host name (letters, digits, '-' and '_', in labels joined by '.')`;
  return null;
}

export function isIpv4(host: string): boolean {
  return IPV4.test(host);
}

/** The form two hosts are compared in: names in lower case, without a final dot. */
export function normalHost(host: string): string {
  return stripRootDot(host).toLowerCase();
}

function stripRootDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function shortName(name: string): string {
  return name.split('.')[0]!;
}

export interface VoterMatch {
  id: NodeId;
  host: string;
  by: 'host name' | 'address';
}

/**
 * The voters that are this machine. A name matches the machine's host name as it is or without
 * its domain ("pc-03.lab.example" is "pc-03" and the other way round), but not another domain's.
 */
export function matchVoters(voters: ReadonlyMap<NodeId, string>, machine: Machine): VoterMatch[] {
  const own = normalHost(machine.hostname);
  const ownHasDomain = own.includes('.');
  const matches: VoterMatch[] = [];
  for (const [id, host] of voters) {
    if (isIpv4(host)) {
      if (machine.addresses.includes(host)) matches.push({ id, host, by: 'address' });
      continue;
    }
    const name = normalHost(host);
    const hasDomain = name.includes('.');
    const same = name === own || (hasDomain !== ownHasDomain && shortName(name) === shortName(own));
    if (same) matches.push({ id, host, by: 'host name' });
  }
  return matches;
}

/** What was compared, for a message: the host name (and its short form) and the addresses. */
export function describeMachine(machine: Machine): string {
  const own = normalHost(machine.hostname);
  const names = own.includes('.') ? `host name "${machine.hostname}" (and "${shortName(own)}")` : `host name "${machine.hostname}"`;
  return `${names}, addresses ${machine.addresses.join(', ') || 'none'}`;
}
