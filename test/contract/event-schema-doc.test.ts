/** docs/events.md documents exactly the kinds of the union, under the schema version the code says. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { EVENT_KINDS, EVENT_SCHEMA_VERSION } from '../../src/contract/events.ts';

const DOC = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

/** The kinds named in the `###` headings under "## Kinds" (one heading may name several). */
function documentedKinds(markdown: string): string[] {
  const kinds = markdown.slice(markdown.indexOf('\n## Kinds\n'));
  return [...kinds.matchAll(/^### (.+)$/gm)].flatMap((heading) => [...heading[1]!.matchAll(/`([a-z-]+)`/g)].map((name) => name[1]!));
}

it('docs/events.md has a heading for every kind of the union, and for no other', () => {
  const documented = documentedKinds(DOC);
  assert.equal(new Set(documented).size, documented.length, 'no kind documented twice');
  assert.deepEqual([...documented].sort(), [...EVENT_KINDS].sort());
});

it('docs/events.md states the schema version of the code', () => {
  assert.match(DOC, new RegExp(`^Schema version: ${EVENT_SCHEMA_VERSION}$`, 'm'));
});
