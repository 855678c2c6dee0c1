/**
 * What a node that failed to start says and with which status, the same for `conclave run` and
 * the desktop app, by the error's code (docs/errors.md): a bad or conflicting flag exits 2 naming
 * it; any other ConclaveError (a state file, an interface, a dashboard that cannot be used) exits 1
 * with its one line. Anything else is a bug: null, and the caller reports it with its stack.
 */
import { ConclaveErrorCode, isConclaveError } from '../errors/conclave-error.ts';
import { UsageError, asUsageError, type RunSettings } from './run-command.ts';
import { flagOf } from './option-flags.ts';

export interface StartupFailure {
  code: 1 | 2;
  /** Without the `conclave: ` prefix; a usage error ends with where to look. */
  message: string;
}

export const RUN_HELP_HINT = "(see 'conclave run --help')";

export function usageFailure(error: Error): StartupFailure {
  return { code: 2, message: `${error.message}\n${RUN_HELP_HINT}` };
}

export function startupFailure(error: unknown, settings: RunSettings): StartupFailure | null {
  if (!isConclaveError(error)) return null;
  const usage = asUsageError(error, settings.node);
  if (usage !== null) return usageFailure(usage);
  if (error.code === ConclaveErrorCode.Interface && settings.node.interface !== undefined) return usageFailure(new UsageError(`${flagOf('interface')}: ${error.message}`, { cause: error }));
  return { code: 1, message: error.message };
}
