/**
 * A lab of five machines started from one cluster file and one key, with no per-machine flag:
 * each host is a network namespace with a host name of its own (a UTS namespace inside it), and
 * every node runs the same `conclave run --cluster-file lab.json`. They find their IDs (four by
 * host name, one by address) and elect the highest. A machine given a different file (one timer
 * changed) is dropped as config-mismatch, and the drop lines say so with both config IDs.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { isEvent } from '../helpers/event-kind.ts';
import { assertNoOverlap } from './checks.ts';
import { networkTestMode, rerunInUserNamespace } from './privileges.ts';

const CLI = new URL('../../bin/conclave.js', import.meta.url).pathname;
const support = networkTestMode({ nft: false });
if (support.mode === 'rerun') rerunInUserNamespace(import.meta.url);
const skip = support.mode === 'run' ? false : support.mode === 'skip' ? support.why : 'runs in a user namespace instead';

const HOST_NAMES = ['pc-01', 'pc-02', 'pc-03', 'pc-04', 'pc-05'];

/**
 * Host `id` runs the node in a UTS namespace of its own named HOST_NAMES[id - 1]; the state goes
 * under the lab's directory (the same variable on every host). The flags are the same everywhere.
 */
function labOfNamedHosts(): NetnsLab {
  let stateDir = '';
  const lab = NetnsLab.create(5, 5, {
    command: ({ id, flags }) => [
      'unshare', '--uts', 'sh', '-c', 'hostname "$1" && shift && exec env "$@"', 'sh', HOST_NAMES[id - 1]!,
      `XDG_STATE_HOME=${stateDir}`, process.execPath, '--enable-source-maps', CLI, 'run', '--json', ...flags,
    ],
  });
  stateDir = join(lab.dir, 'state');
  return lab;
}

/** The config ID a node's last process printed at start (on stderr, from its cluster file). */
function printedConfigId(lab: NetnsLab, id: number): string {
  const match = [...lab.node(id).stderr.matchAll(/cluster file .*: this machine is n(\d+) \((.*)\) of 5 voters in cluster "lab", config ([0-9a-f]+)/g)].at(-1);
  assert.ok(match, `n${id} printed no cluster file line: ${lab.node(id).stderr}`);
  assert.equal(Number(match[1]), id);
  return match[3]!;
}

describe('a lab from one cluster file', { skip }, () => {
  it('five hosts with their own names, one shared file and key, no per-host flags: they elect the highest ID; another file is dropped as config-mismatch', async () => {
    const lab = labOfNamedHosts();
    try {
      const voters = { 1: 'pc-01', 2: 'PC-02.lab.example', 3: lab.node(3).ip, 4: 'pc-04', 5: 'pc-05' };
      const file = join(lab.dir, 'lab.json');
      writeFileSync(file, JSON.stringify({ cluster: 'lab', voters, keyFile: 'key' }, null, 2));
      assert.equal(lab.exec(lab.node(1).ns, ['unshare', '--uts', 'sh', '-c', 'hostname pc-01 && hostname']).trim(), 'pc-01');

      lab.startAll(['--cluster-file', file]);
      const all = [1, 2, 3, 4, 5];
      await lab.waitFor('all five to follow n5', () => lab.agreed(all) === 5, 20_000);
      for (const id of all) {
        const started = lab.node(id).current.find(isEvent('started'));
        assert.ok(started, `n${id} started`);
        assert.equal(started.id, id, `host ${HOST_NAMES[id - 1]} found its ID`);
        assert.ok('authenticated' in started && started.authenticated, `n${id} uses the file's key`);
      }
      assert.match(lab.node(2).stderr, /this machine is n2 \(host name matches "PC-02\.lab\.example"\)/);
      assert.match(lab.node(3).stderr, new RegExp(`this machine is n3 \\(address matches "${lab.node(3).ip.replaceAll('.', '\\.')}"\\)`));
      const shared = printedConfigId(lab, 1);
      for (const id of all) assert.equal(printedConfigId(lab, id), shared, 'one file, one config ID');

      // Host 4 gets a file that differs in one timer: the others drop it, and it them.
      const other = join(lab.dir, 'lab-b.json');
      writeFileSync(other, JSON.stringify({ cluster: 'lab', voters, keyFile: 'key', dampingMs: 4000 }, null, 2));
      assert.equal(await lab.signal(4, 'SIGTERM'), 0);
      lab.start(4, ['--cluster-file', other]);
      const mismatch = (id: number) => lab.node(id).current.filter(isEvent('dropped')).filter((e) => e.reason === 'config-mismatch');
      await lab.waitFor('n5 to drop n4 and n4 to drop the others as config-mismatch', () => mismatch(5).some((e) => e.from === 4) && mismatch(4).length > 0, 10_000);
      const theirs = printedConfigId(lab, 4);
      assert.notEqual(theirs, shared);
      const dropByFive = mismatch(5).find((e) => e.from === 4)!;
      assert.equal(dropByFive.detail, `config ${theirs}, ours ${shared}`);
      assert.match(mismatch(4)[0]!.detail, new RegExp(`^config ${shared}, ours ${theirs}$`));
      // A follower counts the voters it hears: n4 is not one of them any more.
      await lab.waitFor('the four with the same file to keep n5, hearing only each other', () => lab.agreed([1, 2, 3, 5]) === 5 && lab.latest(1)?.quorum.have === 4, 10_000);
      assert.equal(lab.latest(4)?.leader ?? null, null, 'n4 hears nobody it can count');
      assertNoOverlap(lab);
    } finally {
      lab.destroy();
    }
  });
});
