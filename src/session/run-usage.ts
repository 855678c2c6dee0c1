/** `conclave run --help`, its flags written from the option table. */
import { OptionSection, optionsInOrder, type OptionSpec } from './option-table.ts';

/** Lines stay shorter than this. */
const WIDTH = 99;
/** Where the descriptions start: two spaces, then the flag and its placeholder padded to 24. */
const DESCRIPTION_COLUMN = 26;

const HEAD = `usage: conclave run --id <n> --cluster-size <n> [options]
       conclave run --cluster-file <path> [options]

Runs one node: finds its peers by UDP multicast (and, with --seeds, by unicast across routers)
and takes part in the election.`;

const TAIL = `Exit status: 0 after SIGINT or SIGTERM (a coordinator resigns first), 1 on a runtime error,
2 on a bad or conflicting flag.`;

/** The words of `text` in lines shorter than WIDTH: the first after `first`, the others indented. */
function wrap(first: string, text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(' ')) {
    if (!fresh && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent);
      fresh = true;
    }
    line += fresh ? word : ` ${word}`;
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/** The flag as it is typed: `--port <p>`. */
export function flagWithPlaceholder(spec: OptionSpec): string {
  return spec.placeholder === undefined ? spec.flag! : `${spec.flag} ${spec.placeholder}`;
}

function helpLines(spec: OptionSpec): string[] {
  const flag = `  ${flagWithPlaceholder(spec)}`;
  const first = flag.length < DESCRIPTION_COLUMN ? flag.padEnd(DESCRIPTION_COLUMN) : `${flag} `;
  const text = spec.default === undefined || spec.default === 'off' ? spec.summary : `${spec.summary} (default ${spec.default})`;
  return wrap(first, text, DESCRIPTION_COLUMN);
}

export function runUsage(): string {
  const lines: string[] = [];
  let section: string | undefined;
  for (const [, spec] of optionsInOrder()) {
    if (spec.flag === null) continue;
    if (spec.section !== section && spec.section !== OptionSection.Help) lines.push(spec.section);
    section = spec.section;
    lines.push(...helpLines(spec));
  }
  return `${HEAD}\n\n${lines.join('\n')}\n\n${TAIL}`;
}
