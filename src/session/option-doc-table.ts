/**
 * The option table as docs/cli.md shows it: one row per option, its flag and its library key
 * side by side. test/cli/option-table.test.ts keeps the doc equal to this rendering.
 */
import { NODE_OPTION_TABLE, optionsInOrder, type OptionSpec } from './option-table.ts';
import { flagWithPlaceholder } from './run-usage.ts';

export const DOC_TABLE_START = '<!-- option table: written from src/session/option-table.ts; test/cli/option-table.test.ts checks it -->';
export const DOC_TABLE_END = '<!-- end of option table -->';

/** Text in a cell: a '|' would end it, and `<name>` would be read as an HTML tag. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
/** Code in a cell: only the '|' needs escaping there. */
const code = (text: string): string => `\`${text.replaceAll('|', '\\|')}\``;
/** Defaults that are words, not values to type. */
const WORDS = ['off', 'none'];

function defaultCell(spec: OptionSpec): string {
  if (spec.default === undefined) return '';
  const value = /\s/.test(spec.default) || WORDS.includes(spec.default) ? cell(spec.default) : code(spec.default);
  return spec.why === undefined ? value : `${value} (${cell(spec.why)})`;
}

function descriptionCell(spec: OptionSpec): string {
  const see = spec.see === undefined ? '' : ` ([docs/${spec.see.split('#')[0]}](${spec.see}))`;
  return `${cell(spec.summary)}${see}`;
}

export function optionDocTable(): string {
  const rows = optionsInOrder().map(([name, spec]) => {
    const flag = spec.flag === null ? '' : code(flagWithPlaceholder(spec));
    const key = name in NODE_OPTION_TABLE ? code(name) : '';
    return `| ${flag} | ${key} | ${defaultCell(spec)} | ${spec.appliesTo} | ${descriptionCell(spec)} |`;
  });
  return [DOC_TABLE_START, '', '| Flag | `startNode` option | Default | Backend | |', '|---|---|---|---|---|', ...rows, '', DOC_TABLE_END].join('\n');
}
