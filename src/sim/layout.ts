/**
 * Where each simulated host sits on the network, drawn per seed: its address and unicast port,
 * which multicast group (if any) it hears, and the seeds it is given. The real transport sends a
 * message to everyone as one multicast plus the unicast copies its peer directory chooses; a
 * simulator that delivered every message to everyone would never run that logic, and a storm of
 * copies (issue 22) would be invisible. So most seeds place their hosts on a network where the
 * directory matters; the rest keep the plain transport the simulator had first.
 */
import { quorumSize, type NodeId } from '../core/index.ts';
import type { Endpoint } from '../net/peer-directory.ts';
import type { SimRandom } from './prng.ts';

/** Every host's unicast socket, as `--unicast-port` defaults to `--port`. */
export const SIM_UNICAST_PORT = 7707;
/** The ephemeral ports a node without seeds may get when its port is taken (Linux's range). */
const EPHEMERAL_PORTS = [32768, 60999] as const;

export type LayoutKind =
  /** One multicast group, no seeds: the common LAN. Copies should be none at all. */
  | 'one-group'
  /** One group, and seeds: one-way multicast paths are repaired by unicast copies. */
  | 'one-group-seeds'
  /** A minority on another subnet (its own group, or multicast off), reached through seeds. */
  | 'two-subnets'
  /** No multicast anywhere (`--no-multicast`): everything goes by unicast, found through seeds. */
  | 'unicast-only';

export interface HostPlace {
  address: string;
  /** The multicast domain it hears and sends to; hosts with the same one hear each other. null: multicast off. */
  group: number | null;
  /** Its `--seeds`: every host's fixed unicast port. */
  seeds: Endpoint[];
}

export interface NetworkLayout {
  kind: LayoutKind;
  places: ReadonlyMap<NodeId, HostPlace>;
}

/** The share of each kind among the seeds that use a directory. */
const KINDS: ReadonlyArray<readonly [LayoutKind, number]> = [
  ['one-group', 0.45],
  ['one-group-seeds', 0.2],
  ['two-subnets', 0.2],
  ['unicast-only', 0.15],
];

/** An IPv4 address for `id` on `subnet`: 10.<subnet>.<id / 256>.<id % 256>. */
export function simAddress(id: NodeId, subnet = 0): string {
  return `10.${subnet}.${id >> 8}.${id & 255}`;
}

/**
 * Another machine on the subnet of the one at `address` (./impostor.ts): the third octet moved up
 * by 128, which no voter's address uses (IDs stay below 2^15).
 */
export function impostorAddress(address: string): string {
  const [a, b, c, d] = address.split('.');
  return `${a}.${b}.${Number(c) + 128}.${d}`;
}

/**
 * A layout for `ids`. Where there are seeds every host is given the same list, one host more than
 * the calm phase may keep down, so that a seed always answers once the faults stop.
 */
export function drawLayout(random: SimRandom, ids: readonly NodeId[], kind: LayoutKind = drawKind(random)): NetworkLayout {
  const spare = ids.length - quorumSize(ids.length);
  const seedIds = kind === 'one-group' ? [] : random.shuffle(ids).slice(0, spare + 1);
  const away = new Set(kind === 'two-subnets' ? random.shuffle(ids).slice(0, random.int(1, Math.max(1, spare))) : []);
  const awayGroup = random.chance(0.5) ? 1 : null;
  const places = new Map<NodeId, HostPlace>();
  for (const id of ids) {
    const subnet = away.has(id) ? 1 : 0;
    const group = kind === 'unicast-only' ? null : away.has(id) ? awayGroup : 0;
    places.set(id, { address: simAddress(id, subnet), group, seeds: [] });
  }
  const seedEndpoints = seedIds.map((id) => ({ address: places.get(id)!.address, port: SIM_UNICAST_PORT }));
  for (const place of places.values()) place.seeds = seedEndpoints;
  return { kind, places };
}

/**
 * The unicast port a process gets when it starts: a node with seeds needs the port everyone
 * knows, one without takes any free port if that one is taken (several nodes on one host).
 */
export function drawUnicastPort(random: SimRandom, place: HostPlace): number {
  if (place.seeds.length > 0 || random.chance(0.5)) return SIM_UNICAST_PORT;
  return random.int(EPHEMERAL_PORTS[0], EPHEMERAL_PORTS[1]);
}

export function describeLayout(layout: NetworkLayout | null): string {
  if (layout === null) return 'plain transport (no directory)';
  const places = [...layout.places];
  const away = places.filter(([, p]) => p.address.startsWith('10.1.')).map(([id, p]) => `n${id}${p.group === null ? '' : ` (group ${p.group})`}`);
  const seeds = places[0]?.[1].seeds.map((s) => `${s.address}:${s.port}`) ?? [];
  return `${layout.kind}${away.length > 0 ? `, another subnet: ${away.join(', ')}` : ''}${seeds.length > 0 ? `, seeds ${seeds.join(',')}` : ''}`;
}

function drawKind(random: SimRandom): LayoutKind {
  let roll = random.float();
  for (const [kind, share] of KINDS) {
    if ((roll -= share) < 0) return kind;
  }
  return KINDS[0]![0];
}
