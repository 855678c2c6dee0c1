import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { virtualAdapter } from './virtual-adapters.ts';
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

export interface ChosenInterface {
  name: string;
  address: string;
  /** Why this one, in words for the start-up line: asked for, or what was skipped. */
  why: string;
}

export class InterfaceError extends ConclaveError {
  override readonly name = 'InterfaceError';
  readonly code = ConclaveErrorCode.Interface;
}

/** os.networkInterfaces()'s shape, which tests give recorded copies of. */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface InterfaceContext {
  platform?: NodeJS.Platform;
  interfaces?: InterfaceTable;
}

/**
 * The IPv4 interface to use: by name or by address when given (`--interface` always wins), else
 * the first non-internal one that is not a virtual or tunnel adapter (./virtual-adapters.ts);
 * if there are only such adapters, the first of them, saying so. Loopback only when asked for
 * by name, for a cluster on one machine.
 */
export function chooseInterface(wanted: string | undefined, context: InterfaceContext = {}): ChosenInterface {
  const platform = context.platform ?? process.platform;
  const candidates = Object.entries(context.interfaces ?? networkInterfaces()).flatMap(([name, addresses]) =>
    (addresses ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ name, address: a.address, internal: a.internal, mac: a.mac })),
  );
  if (wanted !== undefined) {
    const match = candidates.find((c) => c.name === wanted || c.address === wanted);
    if (match === undefined) {
      const known = candidates.map((c) => `${c.name} (${c.address})`).join(', ') || 'none';
      throw new InterfaceError(`no IPv4 interface named or addressed "${wanted}"; this machine has: ${known}`);
    }
    return { name: match.name, address: match.address, why: 'given by --interface' };
  }
  const external = candidates.filter((c) => !c.internal).map((c) => ({ ...c, virtual: virtualAdapter(platform, c) }));
  if (external.length === 0) {
    throw new InterfaceError('no non-internal IPv4 interface; on a single machine, pass --interface lo');
  }
  const skipped = external.filter((c) => c.virtual !== null).map((c) => `${c.name} (${c.virtual})`);
  const real = external.find((c) => c.virtual === null);
  if (real !== undefined) {
    const why = skipped.length === 0 ? 'the first non-internal IPv4 interface' : `the first that is not virtual; skipped ${skipped.join(', ')}`;
    return { name: real.name, address: real.address, why };
  }
  const first = external[0]!;
  return { name: first.name, address: first.address, why: `only virtual adapters here: ${skipped.join(', ')}; if peers are elsewhere, pass --interface` };
}
