import { networkInterfaces } from 'node:os';

export interface ChosenInterface {
  name: string;
  address: string;
}

export class InterfaceError extends Error {
  override readonly name = 'InterfaceError';
}

/**
 * The IPv4 interface to use: by name or by address when given, else the first non-internal one
 * (loopback only when asked for by name, for a cluster on one machine).
 */
export function chooseInterface(wanted: string | undefined): ChosenInterface {
  const candidates = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
    (addresses ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ name, address: a.address, internal: a.internal })),
  );
  if (wanted !== undefined) {
    const match = candidates.find((c) => c.name === wanted || c.address === wanted);
    if (match === undefined) {
      const known = candidates.map((c) => `${c.name} (${c.address})`).join(', ') || 'none';
      throw new InterfaceError(`no IPv4 interface named or addressed "${wanted}"; this machine has: ${known}`);
    }
    return { name: match.name, address: match.address };
  }
  const external = candidates.find((c) => !c.internal);
  if (external === undefined) {
    throw new InterfaceError('no non-internal IPv4 interface; on a single machine, pass --interface lo');
  }
  return { name: external.name, address: external.address };
}
