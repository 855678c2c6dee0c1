/**
 * One table of errors: docs/errors.md lists every code once, each under the class that carries
 * it; every error class the package root exports is a ConclaveError with its row's code; and a
 * real failure is catchable by class and by code from the root.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as root from '../../src/index.ts';
import * as testing from '../../src/testing/index.ts';

const DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

interface Row {
  code: string;
  className: string;
  commandLineOnly: boolean;
  /** Exported from conclave/testing rather than the root. */
  testingKit: boolean;
}

/** The rows of the table under "## Codes": the code and the class, each the first `name` of its cell. */
function documentedRows(markdown: string): Row[] {
  const table = markdown.slice(markdown.indexOf('\n## Codes\n')).split('\n## ')[1]!;
  return [...table.matchAll(/^\| `(ERR_[A-Z_]+)` \| `(\w+)`([^|]*)\|/gm)].map(([, code, className, rest]) => ({
    code: code!,
    className: className!,
    commandLineOnly: rest!.includes('*command line*'),
    testingKit: rest!.includes('*conclave/testing*'),
  }));
}

/** The package root's exports that are error classes. */
type ErrorClass = new (...args: never[]) => Error;

function exportedErrorClasses(module: object = root): Array<[string, ErrorClass]> {
  const isErrorClass = (value: unknown): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error;
  return Object.entries(module as Record<string, unknown>).flatMap(([name, value]) => (isErrorClass(value) ? [[name, value] as [string, ErrorClass]] : []));
}

/** An instance for its code: every class takes strings (or ignores what it cannot read) in the places asked. */
function placeholder(ErrorClass: ErrorClass): Error {
  return Reflect.construct(ErrorClass, ['a', 'b', 'c']) as Error;
}

describe('the errors table', () => {
  const rows = documentedRows(DOC);

  it('lists every code of ConclaveErrorCode once, and no other', () => {
    assert.ok(rows.length >= 10, `read ${rows.length} rows`);
    const codes = rows.map((row) => row.code);
    assert.equal(new Set(codes).size, codes.length, 'no code listed twice');
    assert.deepEqual([...codes].sort(), Object.values(root.ConclaveErrorCode).sort());
  });

  it('the codes are unique: no two names for one code', () => {
    const values = Object.values(root.ConclaveErrorCode);
    assert.equal(new Set(values).size, values.length);
  });

  it('every error class the root exports is a ConclaveError with the code of its row, and every row not for the command line is exported', () => {
    const exported = exportedErrorClasses().filter(([name]) => name !== 'ConclaveError');
    assert.ok(exported.length >= 7, `found ${exported.map(([name]) => name).join(', ')}`);
    const byClass = new Map(rows.map((row) => [row.className, row]));
    for (const [name, ErrorClass] of exported) {
      const error = placeholder(ErrorClass);
      assert.ok(error instanceof root.ConclaveError, `${name} is a ConclaveError`);
      assert.ok(root.isConclaveError(error), name);
      assert.equal(error.name, name, `${name}'s name`);
      assert.equal(byClass.get(name)?.code, (error as root.ConclaveError).code, `${name}'s row in docs/errors.md`);
      assert.equal(byClass.get(name)?.commandLineOnly, false, `${name} is exported: its row does not say command line only`);
    }
    const exportedNames = new Set(exported.map(([name]) => name));
    assert.deepEqual(rows.filter((row) => !row.commandLineOnly && !row.testingKit && !exportedNames.has(row.className)), [], 'a library error the root does not export');
  });

  it('the errors of conclave/testing are ConclaveErrors with their rows\' codes, exported from there', () => {
    const exported = exportedErrorClasses(testing);
    const byClass = new Map(rows.map((row) => [row.className, row]));
    for (const [name, ErrorClass] of exported) {
      const error = placeholder(ErrorClass);
      assert.ok(root.isConclaveError(error), name);
      assert.equal(byClass.get(name)?.code, (error as root.ConclaveError).code, `${name}'s row in docs/errors.md`);
      assert.equal(byClass.get(name)?.testingKit, true, `${name}'s row says conclave/testing`);
    }
    const exportedNames = new Set(exported.map(([name]) => name));
    assert.deepEqual(rows.filter((row) => row.testingKit && !exportedNames.has(row.className)), [], 'an error of the kit it does not export');
  });
});

describe('catching from the package root', () => {
  it('startNode with a bad backend URL rejects with an OptionError, by class and by code', async () => {
    await assert.rejects(root.startNode({ id: 1, clusterSize: 3, backend: 'zookeeper://zk1:2181/a?mode=random' }), (error: unknown) => {
      assert.ok(error instanceof root.OptionError, String(error));
      assert.ok(error instanceof root.ConclaveError);
      assert.ok(root.isConclaveError(error, root.ConclaveErrorCode.Option));
      assert.ok(!root.isConclaveError(error, root.ConclaveErrorCode.Config), 'narrowed by its own code only');
      assert.equal(error.code, 'ERR_OPTION');
      assert.equal(error.option, 'backend');
      return true;
    });
  });

  it('parseKeys with a short secret throws a KeyError; a bug is no ConclaveError', () => {
    assert.throws(() => root.parseKeys('1:short', 'test'), (error: unknown) => root.isConclaveError(error, 'ERR_KEY') && error instanceof root.KeyError);
    assert.equal(root.isConclaveError(new RangeError('index out of range')), false);
  });

  it('a wrapped error keeps its cause: a key file that cannot be read', () => {
    assert.throws(() => root.readKeyFile('/nonexistent/conclave.key'), (error: unknown) => {
      assert.ok(error instanceof root.KeyError);
      assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
      return true;
    });
  });
});
