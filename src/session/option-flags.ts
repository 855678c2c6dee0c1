/**
 * The flag a library error names, found in the option table by the option the error carries
 * (OptionError's `option`, ConfigError's `field`), never by taking its message apart.
 */
import type { ConfigError } from '../core/index.ts';
import type { OptionError } from '../contract/errors.ts';
import { ConclaveErrorCode } from '../errors/conclave-error.ts';
import { OPTION_TABLE, type NodeOptionName, type TableOptionName } from './option-table.ts';

/** Fields of the election's config that no option sets, and the option whose value decides them. */
const DECIDED_BY: Readonly<Record<string, NodeOptionName>> = {
  answerTimeoutMs: 'timeoutMs', // two heartbeats, or half the timeout when that is shorter
};

/** The option an error's option or config field belongs to; undefined for one no option sets. */
export function optionOf(field: string): TableOptionName | undefined {
  if (field in OPTION_TABLE) return field as TableOptionName;
  return DECIDED_BY[field];
}

/** The flag that sets an option; throws for one of the library only, which no command line sets. */
export function flagOf(option: TableOptionName): string {
  const { flag } = OPTION_TABLE[option];
  if (flag === null) throw new Error(`${option} is an option of the library only: it has no flag`);
  return flag;
}

/** How an error of this option names its flags: one, or two when another's flag can decide it. */
function flagsNaming(option: TableOptionName): string | undefined {
  const spec = OPTION_TABLE[option];
  if (spec.flag === null) return undefined;
  return spec.namedWith === undefined ? spec.flag : `${spec.flag}/${flagOf(spec.namedWith)}`;
}

/**
 * The message of a library error about an option, with the flag where the library names the
 * option: `--group 10.0.0.1 is not …` for `group 10.0.0.1 is not …`. A switch has no value to
 * name, so its flag goes before the library's words (`--no-multicast: without multicast …`).
 * An option no flag sets keeps the library's words.
 */
export function namingTheFlag(error: OptionError | ConfigError): string {
  if (error.code === ConclaveErrorCode.Config) {
    const option = optionOf(error.field);
    const flags = option === undefined ? undefined : flagsNaming(option);
    return `${flags ?? error.field}: ${error.problem}`;
  }
  const flags = flagsNaming(error.option);
  if (flags === undefined) return error.message;
  return OPTION_TABLE[error.option].value.kind === 'switch' ? `${flags}: ${error.message}` : `${flags}${error.problem}`;
}
