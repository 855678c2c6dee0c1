/**
 * One table of options: the flag table of docs/cli.md is the table's rendering, the parser
 * accepts exactly the table's flags, and `--help` names each of them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describe, it } from 'node:test';
import { DOC_TABLE_END, DOC_TABLE_START, optionDocTable } from '../../src/session/option-doc-table.ts';
import { OPTION_TABLE, type NodeOptionName } from '../../src/session/option-table.ts';
import { namingTheFlag } from '../../src/session/option-flags.ts';
import { ConfigError } from '../../src/core/index.ts';
import { OptionError, type OptionName } from '../../src/contract/errors.ts';

// Every option an OptionError can carry is a node option of the table (tsc fails otherwise).
const carried: NodeOptionName = '' as OptionName;
void carried;
import { RUN_FLAGS, RUN_USAGE, UsageError, parseRunFlags } from '../../src/session/run-command.ts';

const CLI_DOC = new URL('../../docs/cli.md', import.meta.url);

/** The flags a table of markdown names in its first column. */
function docFlags(table: string): string[] {
  return [...table.matchAll(/^\| `(--[a-z-]+)/gm)].map((match) => match[1]!);
}

describe('the option table', () => {
  it('docs/cli.md carries its rendering (to rewrite it: replace the lines between the markers with optionDocTable())', () => {
    const doc = readFileSync(CLI_DOC, 'utf8');
    const start = doc.indexOf(DOC_TABLE_START);
    const end = doc.indexOf(DOC_TABLE_END);
    assert.ok(start >= 0 && end > start, 'the markers are in docs/cli.md');
    assert.equal(doc.slice(start, end + DOC_TABLE_END.length), optionDocTable());
  });

  it('the parser accepts every flag of the table, and no other', () => {
    const tableFlags = Object.values(OPTION_TABLE).flatMap((spec) => (spec.flag === null ? [] : [spec.flag])).sort();
    assert.deepEqual(docFlags(optionDocTable()).sort(), tableFlags);
    assert.deepEqual(Object.keys(RUN_FLAGS).map((name) => `--${name}`).sort(), tableFlags);
    for (const flag of tableFlags) {
      const takesValue = RUN_FLAGS[flag.slice(2) as keyof typeof RUN_FLAGS].type === 'string';
      // parseArgs itself, with the flags run-command gives it: an unknown flag would throw.
      parseArgs({ args: takesValue ? [flag, 'x'] : [flag], options: RUN_FLAGS, strict: true });
    }
    assert.throws(() => parseRunFlags(['--id', '1', '--cluster-size', '1', '--no-such-flag'], {}), UsageError);
  });

  it('a flag that needs another names one of the table', () => {
    const flags = new Set(Object.values(OPTION_TABLE).map((spec) => spec.flag));
    for (const spec of Object.values(OPTION_TABLE)) if (spec.needs !== undefined) assert.ok(flags.has(spec.needs), `${spec.flag} needs ${spec.needs}`);
    assert.throws(() => parseRunFlags(['--id', '1', '--cluster-size', '1', '--dashboard-socket', '/tmp/s'], {}), /^UsageError: --dashboard-socket needs --dashboard-port$/);
  });

  it('--help names every flag, each line shorter than 100 columns', () => {
    for (const spec of Object.values(OPTION_TABLE)) if (spec.flag !== null) assert.match(RUN_USAGE, new RegExp(`^  ${spec.flag}\\b`, 'm'), spec.flag);
    for (const line of RUN_USAGE.split('\n')) assert.ok(line.length < 100, line);
  });

  it('every LAN flag is refused with --backend, except --cluster-size, which is ignored', () => {
    for (const spec of Object.values(OPTION_TABLE)) {
      if (spec.flag === null || spec.appliesTo !== 'LAN' || spec.flag === '--cluster-file') continue;
      const args = ['--id', '1', '--backend', 'zookeeper://127.0.0.1:1/x', spec.flag, ...(spec.value.kind === 'switch' ? [] : ['1'])];
      if (spec.ignoredByZooKeeper) assert.ok(parseRunFlags(args, {}), spec.flag);
      else assert.throws(() => parseRunFlags(args, {}), new RegExp(`^UsageError: ${spec.flag} has no effect with --backend`), spec.flag);
    }
  });
});

describe('errors name the flag found in the table by their option', () => {
  for (const [error, message] of [
    [new ConfigError('leaseMs', '1000 must be below …'), '--lease-ms: 1000 must be below …'],
    [new ConfigError('answerTimeoutMs', '500 must be below timeoutMs (400)'), '--timeout-ms: 500 must be below timeoutMs (400)'],
    [new ConfigError('suspectPhi', 'must be above 0, got 0'), 'suspectPhi: must be above 0, got 0'],
    [new OptionError('group', 'group', ' 10.0.0.1 is not an IPv4 multicast address'), '--group 10.0.0.1 is not an IPv4 multicast address'],
    [new OptionError('multicast', 'without multicast', ' a node finds no peer'), '--no-multicast: without multicast a node finds no peer'],
    [new OptionError('voters', 'voters', ': 255 voters … do not fit'), '--voters/--cluster-size: 255 voters … do not fit'],
  ] as const) {
    it(`${error.name} of ${'field' in error ? error.field : error.option}`, () => assert.equal(namingTheFlag(error), message));
  }
});
