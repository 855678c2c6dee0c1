/**
 * JSON as a person writes it by hand, read strictly: JSON.parse keeps the last of a key given twice
 * and drops the others without a word, which hides a copy-paste mistake; here it is an error at
 * its JSON path. A byte order mark (Windows Notepad writes one) is skipped.
 */

/** What is wrong and where: `path` is a JSON path ("$", "$.voters[\"3\"]"). */
export class JsonProblem extends Error {
  override readonly name = 'JsonProblem';
  readonly path: string;
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

/** The JSON path of `key` in the object at `path`. */
export function memberPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Parses `text`; throws JsonProblem for bad syntax (with line and column) or a key given twice. */
export function parseStrictJson(text: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new JsonProblem('$', `not valid JSON: ${syntaxProblem(body, (error as Error).message)}`);
  }
  findDuplicateKey(body);
  return value;
}

/** V8's message with a line and column in place of a character position. */
function syntaxProblem(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  const bare = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/s, '');
  if (position === null) return bare;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${bare} (line ${line}, column ${column})`;
}

/** Walks text that JSON.parse accepted; throws at the first object that names a key twice. */
function findDuplicateKey(text: string): void {
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        const key = readString();
        const at = memberPath(path, key);
        if (keys.has(key)) throw new JsonProblem(at, 'is given twice in one object (JSON keeps only the last, silently)');
        keys.add(key);
        skipSpace();
        i++; // ':'
        value(at);
        skipSpace();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (let index = 0; ; index++) {
        value(`${path}[${index}]`);
        skipSpace();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') return void readString();
    while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++; // a number, true, false or null
  };
  value('$');
}
