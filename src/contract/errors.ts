/**
 * What a node throws for options it cannot use, by class: each names the option, so that the
 * command line names the flag (exit 2) and anything else stays a bug (exit 1, with its stack).
 * The core's own ConfigError does the same for the election's timings and voters.
 */

/** The node options that validation can reject (keys of NodeOptions). */
export type OptionName = 'id' | 'group' | 'multicast' | 'unicastPort' | 'cluster' | 'seeds' | 'voters' | 'backend' | 'timeoutMs';

/**
 * A node option that cannot be used. The message is `subject` (how a library user knows the
 * option) then `problem`; the command line puts the flag in place of the subject. A RangeError,
 * as these were before they had a class.
 */
export class OptionError extends RangeError {
  override readonly name = 'OptionError';
  readonly option: OptionName;
  readonly problem: string;

  constructor(option: OptionName, subject: string, problem: string, options?: ErrorOptions) {
    super(`${subject}${problem}`, options);
    this.option = option;
    this.problem = problem;
  }
}
