/** `conclave run`'s flags for node:util's parseArgs, and their values checked, from the option table. */
import { NODE_OPTION_TABLE, OPTION_TABLE, OptionBackend, RUN_ONLY_TABLE, optionsInOrder, type OptionSpec, type TableOptionName } from './option-table.ts';

/** The table in the help's order, which is also the order in which problems are found: the first named is the first listed. */
const inOrder: OptionSpec[] = optionsInOrder().map(([, spec]) => spec);

type Table = typeof NODE_OPTION_TABLE & typeof RUN_ONLY_TABLE;
type FlagName<K extends keyof Table> = Table[K]['flag'] extends `--${infer Name}` ? Name : never;
type ParseType<K extends keyof Table> = Table[K]['value']['kind'] extends 'switch' ? 'boolean' : 'string';

/** parseArgs' options: a switch is a boolean, every other flag a string checked afterwards. */
export type RunFlags = { readonly [K in keyof Table as FlagName<K>]: { readonly type: ParseType<K>; readonly short?: string } };

export const RUN_FLAGS = Object.fromEntries(
  inOrder.flatMap((spec) =>
    spec.flag === null ? [] : [[spec.flag.slice(2), { type: spec.value.kind === 'switch' ? 'boolean' : 'string', ...(spec.short === undefined ? {} : { short: spec.short }) }]],
  ),
) as RunFlags;

export type RunFlagName = keyof RunFlags;

/** Flags of the LAN election that a ZooKeeper-backed node refuses rather than ignore. */
export const LAN_ONLY_FLAGS = inOrder.flatMap((spec) =>
  spec.flag !== null && spec.appliesTo === OptionBackend.Lan && spec.ignoredByZooKeeper !== true ? [spec.flag.slice(2) as RunFlagName] : [],
);

/** The range an integer option's flag accepts. */
export function rangeOf(option: TableOptionName): { flag: string; min: number; max: number } {
  const { flag, value } = OPTION_TABLE[option];
  if (flag === null || (value.kind !== 'integer' && value.kind !== 'ids')) throw new Error(`${option} is not an integer flag`);
  return { flag, min: value.min, max: value.max };
}

/** Each flag that means nothing without another, with that other: `--metrics-host` needs `--metrics-port`. */
export const FLAG_NEEDS = inOrder.flatMap((spec) =>
  spec.flag === null || spec.needs === undefined ? [] : [{ flag: spec.flag.slice(2) as RunFlagName, needs: spec.needs.slice(2) as RunFlagName }],
);
