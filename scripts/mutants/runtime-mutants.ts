import type { Mutant } from './mutant.ts';

const STATE_FILE = 'src/runtime/state-file.ts';
const DURABILITY_TEST = ['test/runtime/state-file-durability.test.ts'];
/** The new file's fsync in `save()`, told from the directory's by what follows it. */
const FILE_FSYNC = 'fs.fsyncSync(fd);\n      } finally {';
const RENAME = 'fs.renameSync(temp, this.path);';
const DIRECTORY_FSYNC = 'syncRename(fs, this.platform, this.dir, this.path);';

/** Breaks of the LAN runtime's rules (src/runtime): persist before send, durable saves, drop reports. */
export const RUNTIME_MUTANTS: readonly Mutant[] = [
  {
    name: 'send-before-save',
    rule: 'persist before send: a vote or a new term leaves only once its save resolved',
    file: 'src/runtime/driver.ts',
    edits: [
      {
        original: 'const saved = ready?.persist == null ? undefined : this.options.store.save(ready.persist);',
        replacement: 'if (ready?.persist != null) void this.options.store.save(ready.persist);\n        const saved = undefined as Promise<void> | undefined;',
      },
    ],
    tests: ['test/runtime/driver.test.ts'],
  },
  {
    name: 'send-after-failed-save',
    rule: 'a node whose save failed halts without sending what it could not persist',
    file: 'src/runtime/driver.ts',
    edits: [{ original: 'would break the one-vote rule.\n              this.halt();', replacement: 'would break the one-vote rule.\n              this.deliver(ready);\n              this.halt();' }],
    tests: ['test/runtime/driver.test.ts'],
  },
  {
    name: 'state-checksum-unchecked',
    rule: 'a state file whose checksum does not match is refused, not read as a term and vote',
    file: STATE_FILE,
    edits: [{ original: "if (sum !== checksum(body)) throw corrupt('checksum mismatch');", replacement: '' }],
    tests: ['test/runtime/state-file.test.ts'],
  },
  {
    name: 'state-file-no-fsync',
    rule: 'the state file is fsynced before it is renamed over state.json',
    file: STATE_FILE,
    edits: [{ original: FILE_FSYNC, replacement: '} finally {' }],
    tests: DURABILITY_TEST,
  },
  {
    name: 'state-dir-no-fsync',
    rule: "the state file's directory is fsynced after the rename, before a save resolves",
    file: STATE_FILE,
    edits: [{ original: DIRECTORY_FSYNC, replacement: '' }],
    tests: DURABILITY_TEST,
  },
  {
    name: 'state-dir-fsync-before-rename',
    rule: "the state file's directory is fsynced after the rename, not before",
    file: STATE_FILE,
    edits: [
      { original: DIRECTORY_FSYNC, replacement: '' },
      { original: RENAME, replacement: `${DIRECTORY_FSYNC}\n      ${RENAME}` },
    ],
    tests: DURABILITY_TEST,
  },
  {
    name: 'state-file-fsync-after-rename',
    rule: 'the state file is fsynced before the rename, not after it',
    file: STATE_FILE,
    edits: [
      { original: FILE_FSYNC, replacement: '} finally {' },
      { original: RENAME, replacement: `${RENAME}\n      const renamed = fs.openSync(this.path, 'r');\n      fs.fsyncSync(renamed);\n      fs.closeSync(renamed);` },
    ],
    tests: DURABILITY_TEST,
  },
  {
    name: 'drop-timer-not-late',
    rule: "the drop reporter's one line per reason per second holds when timers fire slightly early",
    file: 'src/runtime/drop-reporter.ts',
    edits: [{ original: 'Math.ceil(this.options.intervalMs - sinceMs) + 1);', replacement: 'Math.ceil(this.options.intervalMs - sinceMs));' }],
    tests: ['test/runtime/drop-reports.test.ts'],
    testNamePattern: 'slightly early',
  },
  {
    name: 'drop-line-a-ms-early',
    rule: 'a drop reason gets a line at once only when its last line is a whole interval old',
    file: 'src/runtime/drop-reporter.ts',
    edits: [{ original: 'if (sinceMs >= this.options.intervalMs) {', replacement: 'if (sinceMs >= this.options.intervalMs - 1) {' }],
    tests: ['test/runtime/drop-reports.test.ts'],
    testNamePattern: 'slightly early',
  },
];
