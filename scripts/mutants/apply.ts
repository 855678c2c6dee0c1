import type { Mutant } from './mutant.ts';

export type Applied = { ok: true; text: string } | { ok: false; problem: string };

/**
 * The mutant's file text with its edits made, or why they cannot be: an original that no longer
 * occurs (the code moved or changed) or occurs more than once (the edit would be ambiguous).
 */
export function applyMutant(mutant: Mutant, source: string): Applied {
  let text = source;
  for (const { original, replacement } of mutant.edits) {
    const count = occurrences(text, original);
    if (count !== 1) {
      const found = count === 0 ? 'not found' : `found ${count} times`;
      return { ok: false, problem: `${mutant.name}: ${JSON.stringify(original)} ${found} in ${mutant.file} (must occur exactly once)` };
    }
    text = text.replace(original, () => replacement);
  }
  if (text === source) return { ok: false, problem: `${mutant.name}: its edits change nothing in ${mutant.file}` };
  if (mutant.survives !== undefined && !source.includes(mutant.survives.comment)) {
    return { ok: false, problem: `${mutant.name}: the comment that explains its survival, ${JSON.stringify(mutant.survives.comment)}, is not in ${mutant.file}` };
  }
  return { ok: true, text };
}

function occurrences(text: string, snippet: string): number {
  if (snippet === '') return Infinity;
  let count = 0;
  for (let at = text.indexOf(snippet); at !== -1; at = text.indexOf(snippet, at + 1)) count++;
  return count;
}
