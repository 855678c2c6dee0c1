/**
 * The partition builder: which group (A, B, C) each node is put in before "Apply partition", the
 * quick presets, and the `groups` the action sends. Plain data in, plain data out (no DOM, no
 * Svelte), so the tests can pin every rule down.
 */
import { nodeRanges } from './lab-view.ts';

export const GROUP_LETTERS = ['A', 'B', 'C'] as const;
export type GroupLetter = (typeof GROUP_LETTERS)[number];

/** Node ID → its planned group. Every node of the lab has one. */
export type PartitionDraft = Readonly<Record<number, GroupLetter>>;

function letterAt(index: number): GroupLetter {
  return GROUP_LETTERS[Math.min(Math.max(0, index), GROUP_LETTERS.length - 1)]!;
}

/**
 * The partition in force as a draft: group i gets the i-th letter, nodes in no group the letter
 * after the last group (they hear each other: the server treats them as one more side). Beyond C
 * everything lands in C: the builder has three groups.
 */
export function draftFromGroups(ids: readonly number[], groups: readonly (readonly number[])[]): PartitionDraft {
  const draft: Record<number, GroupLetter> = {};
  for (const id of ids) {
    const index = groups.findIndex((group) => group.includes(id));
    draft[id] = groups.length === 0 ? 'A' : letterAt(index < 0 ? groups.length : index);
  }
  return draft;
}

/**
 * Keeps the draft in step with the lab's nodes: new nodes start in A, gone ones are dropped.
 * Returns the very same object when nothing changed, so a reactive caller does not loop.
 */
export function syncDraft(draft: PartitionDraft, ids: readonly number[]): PartitionDraft {
  const known = Object.keys(draft).map(Number);
  const same = known.length === ids.length && ids.every((id) => draft[id] !== undefined);
  if (same) return draft;
  const next: Record<number, GroupLetter> = {};
  for (const id of ids) next[id] = draft[id] ?? 'A';
  return next;
}

export function assignGroup(draft: PartitionDraft, id: number, letter: GroupLetter): PartitionDraft {
  return { ...draft, [id]: letter };
}

/** A → B → C → A: for a click on a node's group chip. */
export function cycleGroup(draft: PartitionDraft, id: number): PartitionDraft {
  const current = GROUP_LETTERS.indexOf(draft[id] ?? 'A');
  return assignGroup(draft, id, GROUP_LETTERS[(current + 1) % GROUP_LETTERS.length]!);
}

export function isGroupLetter(value: string): value is GroupLetter {
  return (GROUP_LETTERS as readonly string[]).includes(value);
}

/** "Isolate the leader": the coordinator alone in B, everyone else in A; null without one. */
export function isolatePreset(ids: readonly number[], leader: number | null): PartitionDraft | null {
  if (leader === null || !ids.includes(leader)) return null;
  const draft: Record<number, GroupLetter> = {};
  for (const id of ids) draft[id] = id === leader ? 'B' : 'A';
  return draft;
}

/** How many of the lowest IDs the split puts in A: ⌊n/2⌋, so the rest (B) keeps a majority. */
export function splitSize(count: number): number {
  return Math.floor(count / 2);
}

/** "Split": the ⌊n/2⌋ lowest IDs in A, the rest in B (5 nodes: 2 | 3). */
export function splitPreset(ids: readonly number[]): PartitionDraft {
  const sorted = [...ids].sort((a, b) => a - b);
  const lower = splitSize(sorted.length);
  const draft: Record<number, GroupLetter> = {};
  sorted.forEach((id, index) => (draft[id] = index < lower ? 'A' : 'B'));
  return draft;
}

/** "Split 2 | 3" */
export function splitLabel(count: number): string {
  return `Split ${splitSize(count)} | ${count - splitSize(count)}`;
}

/** The draft as the action's `groups`: non-empty groups in letter order, IDs ascending. */
export function draftGroups(draft: PartitionDraft, ids: readonly number[]): number[][] {
  const sorted = [...ids].sort((a, b) => a - b);
  return GROUP_LETTERS.map((letter) => sorted.filter((id) => (draft[id] ?? 'A') === letter)).filter((group) => group.length > 0);
}

export interface Availability {
  enabled: boolean;
  /** Why not, in words; null when enabled. */
  why: string | null;
}

export const NEEDS_TWO_GROUPS_TEXT = 'Put the nodes in at least two groups first.';

/** Whether "Apply partition" can send this draft. */
export function applyAvailability(draft: PartitionDraft, ids: readonly number[], supported: boolean, unsupportedWhy: string): Availability {
  if (!supported) return { enabled: false, why: unsupportedWhy };
  if (draftGroups(draft, ids).length < 2) return { enabled: false, why: NEEDS_TWO_GROUPS_TEXT };
  return { enabled: true, why: null };
}

/** "A n1, n2 | B n3–n5" for groups as the action sends them (or the server reports them). */
export function groupsText(groups: readonly (readonly number[])[]): string {
  if (groups.length === 0) return 'whole network';
  return groups.map((group, index) => `${index < 26 ? String.fromCharCode(65 + index) : `G${index + 1}`} ${nodeRanges(group)}`).join(' | ');
}

/** Same groups, whatever the order of groups and of IDs within them. */
export function sameGroups(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  const key = (groups: readonly (readonly number[])[]): string =>
    groups
      .map((group) => [...group].sort((x, y) => x - y).join(','))
      .sort()
      .join('|');
  return key(a) === key(b);
}
