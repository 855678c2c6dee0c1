/**
 * Paths with spaces, as a Windows lab has them ("C:\Users\Ada Lovelace\…", "Program Files"), run
 * for real here: two hosts in network namespaces start from a cluster file in a folder with a
 * space, whose key file has one too; n1 keeps its state in --data-dir with spaces, n2 in the
 * default directory under an XDG_STATE_HOME with spaces; both hooks are scripts in a folder with
 * a space. They elect n2, its hooks run, and its state is where it should be.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LanStartedFields } from '../../src/contract/event-fields.ts';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';

describe('paths with spaces', { skip }, () => {
  it('cluster file, key file, data directory (given and default) and hook scripts all in folders with spaces', async () => {
    let base = '';
    const lab = NetnsLab.create(2, 2, {
      command: ({ id, flags }) => [
        'env', `XDG_STATE_HOME=${join(base, 'xdg state')}`, process.execPath, '--enable-source-maps', CLI, 'run', '--json',
        ...(id === 1 ? ['--data-dir', join(base, 'state dir', 'node one')] : []),
        ...flags,
      ],
    });
    base = lab.dir;
    try {
      const labDir = join(base, 'my lab');
      const hooksDir = join(base, 'my hooks');
      mkdirSync(labDir);
      mkdirSync(hooksDir);
      writeFileSync(join(labDir, 'lab key.key'), '1:0123456789abcdef0123456789\n', { mode: 0o600 });
      const clusterFile = join(labDir, 'lab file.json');
      writeFileSync(clusterFile, JSON.stringify({ cluster: 'spaces', voters: { 1: lab.node(1).ip, 2: lab.node(2).ip }, keyFile: 'lab key.key' }));
      for (const hook of ['elected', 'demoted']) {
        const script = join(hooksDir, `on ${hook}.sh`);
        writeFileSync(script, `#!/bin/sh\necho "$CONCLAVE_ID $CONCLAVE_TERM" >> "$(dirname "$0")/${hook} log"\n`);
        chmodSync(script, 0o755);
      }
      const flags = ['--cluster-file', clusterFile, '--on-elected', `"${join(hooksDir, 'on elected.sh')}"`, '--on-demoted', `"${join(hooksDir, 'on demoted.sh')}"`];
      lab.startAll(flags);
      await lab.waitFor('both to follow n2', () => lab.agreed([1, 2]) === 2, 15_000);
      await lab.waitFor('n2 to report its elected hook', () => lab.node(2).current.some((e) => e.event === 'hook' && e.hook === 'on-elected'), 5000);
      const elected = lab.node(2).current.filter(isEvent('hook')).find((e) => e.hook === 'on-elected')!;
      assert.equal(elected.exitCode, 0, lab.node(2).stderr);
      const term = elected.leaseTerm;
      assert.equal(readFileSync(join(hooksDir, 'elected log'), 'utf8'), `2 ${term}\n`);

      const started = (id: number): LanStartedFields => {
        const event = lab.node(id).current.find(isEvent('started'));
        assert.ok(event !== undefined && 'dataDir' in event, `n${id} started on the LAN`);
        return event;
      };
      assert.ok(started(1).authenticated, 'the key file with a space in its name was read');
      assert.equal(started(1).dataDir, join(base, 'state dir', 'node one'));
      assert.equal(started(2).dataDir, join(base, 'xdg state', 'conclave', 'spaces-2'));
      for (const id of [1, 2]) assert.ok(existsSync(started(id).dataDir), `n${id}'s state directory exists`);

      assert.equal(await lab.signal(2, 'SIGTERM'), 0);
      assert.equal(readFileSync(join(hooksDir, 'demoted log'), 'utf8'), `2 ${term}\n`, 'the demotion hook ran before the node exited');
    } finally {
      lab.destroy();
    }
  });
});
