/**
 * How `conclave run` (and the desktop app) ends for an error at start, by its code: a flag's
 * problem exits 2 naming the flag, with the cause kept; any other ConclaveError exits 1 with its
 * one line; anything else is a bug (null: the caller prints its stack).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionError } from '../../src/contract/errors.ts';
import { ConfigError } from '../../src/core/index.ts';
import { KeyError } from '../../src/net/keys.ts';
import { InterfaceError } from '../../src/net/interfaces.ts';
import { DataDirError, StateFileError } from '../../src/runtime/state-file.ts';
import { asUsageError, parseRunFlags, type RunSettings } from '../../src/session/run-command.ts';
import { RUN_HELP_HINT, startupFailure } from '../../src/session/startup-failure.ts';

const noMachine = () => ({ hostname: '', addresses: [] });
const settings = (...flags: string[]): RunSettings => parseRunFlags(['--id', '1', '--cluster-size', '1', ...flags], {}, noMachine)!;

describe('start-up failures by code', () => {
  it("an option's or the config's error names the flag: exit 2, where to look, and the original as cause", () => {
    const option = new OptionError('seeds', 'seeds', ' "x:y": not host:port');
    const failure = startupFailure(option, settings());
    assert.deepEqual(failure, { code: 2, message: `--seeds "x:y": not host:port\n${RUN_HELP_HINT}` });
    assert.equal(asUsageError(option)?.cause, option);
    assert.equal(asUsageError(option)?.code, 'ERR_USAGE');
    assert.deepEqual(startupFailure(new ConfigError('leaseMs', 'must be below timeoutMs'), settings()), { code: 2, message: `--lease-ms: must be below timeoutMs\n${RUN_HELP_HINT}` });
  });

  it('an interface or a data directory is the flag\'s fault only when the flag was given', () => {
    const missing = new InterfaceError('no IPv4 interface named "eth9"');
    assert.equal(startupFailure(missing, settings('--interface', 'eth9'))?.code, 2);
    assert.deepEqual(startupFailure(missing, settings()), { code: 1, message: missing.message });
    const unusable = new DataDirError('/ro/n1', Object.assign(new Error('read-only'), { code: 'EROFS' }));
    assert.match(startupFailure(unusable, settings('--data-dir', '/ro/n1'))!.message, /^--data-dir \/ro\/n1: cannot be used/);
    assert.equal(startupFailure(unusable, settings())?.code, 1);
  });

  it('any other ConclaveError exits 1 with its line; a bug is null', () => {
    const held = new StateFileError('/var/lib/conclave/n1', 'is in use by another conclave process (PID 7)');
    assert.deepEqual(startupFailure(held, settings()), { code: 1, message: held.message });
    assert.deepEqual(startupFailure(new KeyError('k: no key in it'), settings()), { code: 1, message: 'k: no key in it' });
    assert.equal(startupFailure(new TypeError('x is undefined'), settings()), null);
  });
});
