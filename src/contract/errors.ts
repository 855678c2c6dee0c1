/**
 * What a node throws for options it cannot use: each names the option, so that the command line
 * names the flag (exit 2) and anything else stays a bug (exit 1, with its stack). The core's own
 * ConfigError does the same for the election's timings and voters. Their base and codes:
 * errors/conclave-error.ts.
 */
import { ConclaveError, ConclaveErrorCode } from '../errors/conclave-error.ts';

/** The node options that validation can reject (keys of NodeOptions). */
export type OptionName = 'id' | 'group' | 'multicast' | 'unicastPort' | 'cluster' | 'seeds' | 'voters' | 'backend' | 'timeoutMs';

/**
 * A node option that cannot be used. The message is `subject` (how a library user knows the
 * option) then `problem`; the command line puts the flag in place of the subject. (Until the
 * errors had a base class it was a RangeError: catch it by class or by code instead.)
 */
export class OptionError extends ConclaveError {
  override readonly name = 'OptionError';
  readonly code = ConclaveErrorCode.Option;
  readonly option: OptionName;
  readonly problem: string;

  constructor(option: OptionName, subject: string, problem: string, options?: ErrorOptions) {
    super(`${subject}${problem}`, options);
    this.option = option;
    this.problem = problem;
  }
}
