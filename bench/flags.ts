/** Command-line flags of a benchmark: a bad one exits with status 2, naming it. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchFlags<O extends Options>(bench: string, options: O) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${bench}: ${(error as Error).message}`);
    process.exit(2);
  }
}

/** `text` as a whole number within [min, max], or exit 2 naming `--name`. */
export function wholeNumber(bench: string, name: string, text: unknown, min: number, max: number): number {
  const value = Number(text);
  if (typeof text === 'string' && text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max) return value;
  console.error(`${bench}: --${name} takes a whole number from ${min} to ${max}, got "${String(text)}"`);
  process.exit(2);
}

/** `text` as one of `choices`, or exit 2 naming `--name`. */
export function oneOf<C extends string>(bench: string, name: string, text: unknown, choices: readonly C[]): C {
  if (choices.includes(text as C)) return text as C;
  console.error(`${bench}: --${name} takes one of ${choices.join(', ')}, got "${String(text)}"`);
  process.exit(2);
}
