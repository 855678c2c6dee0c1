/**
 * What differs between our config and a peer's, told from what its datagrams carry: its config ID
 * (a hash), its ID and the voters its heartbeats say it hears. The hash cannot be read back, so
 * this tries the usual single differences (another cluster size, a voter more or less, another
 * timeout, lease, member beat or drift bound, everything else ours) and says which one gives the
 * peer's ID; a 32-bit match among a few thousand guesses is chance about once in a million. When
 * none does, it says that it cannot tell.
 */
import { configId, type ElectionConfig, type NodeId } from '../core/index.ts';
import { LEASE_FRACTION } from '../core/config.ts';
import type { ForeignConfig } from '../wire/wire.ts';

/** One guess: the config it stands for, and what it would mean in words. */
interface Guess {
  config: ElectionConfig;
  words: string;
}

const MAX_GUESSED_CLUSTER_SIZE = 255;
/** Timers are usually given in round numbers: these steps cover every default and most choices. */
const TIMER_STEPS_MS = [
  { fromMs: 50, toMs: 10_000, stepMs: 50 },
  { fromMs: 10_000, toMs: 60_000, stepMs: 1000 },
] as const;
const DRIFT_GUESSES_PPM = [0, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];

/** How a config is hashed into its ID: `configId`, with whatever else the node hashes in (a cluster file). */
export type ConfigIdOf = (config: ElectionConfig) => number;

/** What the peer's datagrams tell of the difference, in words, honest about what is a guess. */
export function configDifference(ours: ElectionConfig, from: NodeId | null, foreign: ForeignConfig, idOf: ConfigIdOf = configId): string {
  const facts: string[] = [];
  const voters = new Set(ours.voters);
  if (from !== null && !voters.has(from)) facts.push(`n${from} is not one of our voters (${votersInWords(ours.voters)})`);
  const strangers = foreign.hears.filter((id) => !voters.has(id) && id !== from);
  if (strangers.length > 0) facts.push(`it hears ${strangers.slice(0, 5).map((id) => `n${id}`).join(', ')}, not among our voters`);
  const guess = firstMatch(guesses(ours, from, foreign.hears), foreign.configId, idOf);
  if (guess !== null) facts.push(`its config ID is ours with ${guess.words}`);
  else if (facts.length === 0) facts.push('its voters or its timers (timeout, lease, member beat, drift bound) differ from ours; its config ID cannot say which');
  return `${facts.join('; ')} (config ${hex(foreign.configId)}, ours ${hex(idOf(ours))})`;
}

function firstMatch(candidates: Iterable<Guess>, id: number, idOf: ConfigIdOf): Guess | null {
  for (const guess of candidates) if (idOf(guess.config) === id) return guess;
  return null;
}

/** The single differences worth trying, most likely first. */
function* guesses(ours: ElectionConfig, from: NodeId | null, hears: readonly NodeId[]): Generator<Guess> {
  const withVoters = (voters: NodeId[]): ElectionConfig => ({ ...ours, voters: voters.sort((a, b) => a - b), clusterSize: voters.length });
  for (let size = 1; size <= MAX_GUESSED_CLUSTER_SIZE; size++) {
    if (size === ours.voters.length) continue;
    const voters = Array.from({ length: size }, (_, i) => i + 1);
    yield { config: withVoters(voters), words: `voters 1..${size} (--cluster-size ${size}); ours are ${votersInWords(ours.voters)}` };
  }
  const extra = [...new Set([...(from === null ? [] : [from]), ...hears])].filter((id) => !ours.voters.includes(id));
  for (const id of extra) yield { config: withVoters([...ours.voters, id]), words: `n${id} as a voter too` };
  for (const id of ours.voters) yield { config: withVoters(ours.voters.filter((v) => v !== id)), words: `n${id} not a voter` };
  for (const timeoutMs of timerGuesses()) {
    if (timeoutMs === ours.timeoutMs) continue;
    // --timeout-ms alone moves the default lease with it.
    yield { config: { ...ours, timeoutMs, leaseMs: Math.floor(timeoutMs * LEASE_FRACTION) }, words: `a timeout of ${timeoutMs} ms (ours ${ours.timeoutMs} ms)` };
    yield { config: { ...ours, timeoutMs }, words: `a timeout of ${timeoutMs} ms (ours ${ours.timeoutMs} ms) and our lease` };
  }
  for (const leaseMs of timerGuesses()) {
    if (leaseMs !== ours.leaseMs) yield { config: { ...ours, leaseMs }, words: `a lease of ${leaseMs} ms (ours ${ours.leaseMs} ms)` };
  }
  for (const memberBeatMs of timerGuesses()) {
    if (memberBeatMs !== ours.memberBeatMs) yield { config: { ...ours, memberBeatMs }, words: `a member beat of ${memberBeatMs} ms (ours ${ours.memberBeatMs} ms)` };
  }
  for (const maxClockDriftPpm of DRIFT_GUESSES_PPM) {
    if (maxClockDriftPpm !== ours.maxClockDriftPpm) yield { config: { ...ours, maxClockDriftPpm }, words: `a drift bound of ${maxClockDriftPpm} ppm (ours ${ours.maxClockDriftPpm})` };
  }
}

function* timerGuesses(): Generator<number> {
  for (const { fromMs, toMs, stepMs } of TIMER_STEPS_MS) for (let ms = fromMs; ms < toMs; ms += stepMs) yield ms;
  yield TIMER_STEPS_MS.at(-1)!.toMs;
}

/** "1..5" for a run from 1, else the list. */
export function votersInWords(voters: readonly NodeId[]): string {
  const run = voters.every((id, i) => id === i + 1);
  return run && voters.length > 2 ? `1..${voters.length}` : voters.map((id) => `n${id}`).join(', ');
}

function hex(id: number): string {
  return id.toString(16).padStart(8, '0');
}
