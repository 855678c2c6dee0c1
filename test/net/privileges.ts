/**
 * The network tests need to create network namespaces. As root (CI) they just run. Otherwise
 * they re-run their own file inside a new unprivileged user, network and mount namespace, where
 * the system allows that; failing both, they skip and say why. In CI, where a skip would pass
 * having proved nothing, a missing privilege or tool fails the run instead, naming it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { skipUnlessCi } from '../helpers/prerequisite.ts';
import { PRIVATE_NETNS_RUN, USER_NAMESPACE_FLAGS, userNamespacesAllowed } from '../../src/lab/user-namespace.ts';

export type NetworkTestMode = { mode: 'run' } | { mode: 'rerun' } | { mode: 'skip'; why: string };


function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * How this file's network tests run here. They need iproute2, and nftables unless `nft: false`
 * (nothing they do cuts links or drops traffic). A missing tool skips them, or fails the run in CI.
 */
export function networkTestMode(needs: { nft?: boolean } = {}): NetworkTestMode {
  const packages = needs.nft === false ? ['iproute2'] : ['iproute2', 'nftables'];
  if (!has('ip', ['-V']) || (needs.nft !== false && !has('nft', ['--version']))) {
    const why = `needs ${packages.join(' and ')} (apt-get install -y ${packages.join(' ')})`;
    skipUnlessCi(why);
    return { mode: 'skip', why };
  }
  if (process.getuid?.() === 0) return { mode: 'run' };
  if (userNamespacesAllowed()) return { mode: 'rerun' };
  const why = 'needs root, or unprivileged user namespaces to build test hosts in (`unshare --user --map-root-user --net --mount true` fails here)';
  skipUnlessCi(why);
  return { mode: 'skip', why };
}

/** Registers one test that runs `file` again inside a user namespace and passes if it passes. */
export function rerunInUserNamespace(fileUrl: string): void {
  const file = fileURLToPath(fileUrl);
  it(`${file.split('/test/')[1]} (re-run in an unprivileged user namespace)`, () => {
    const script = `${PRIVATE_NETNS_RUN} && exec "$0" --import tsx --test --test-reporter=spec "$1"`;
    // Without the parent runner's context variable, the inner runner runs and reports by itself.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const result = spawnSync('unshare', [...USER_NAMESPACE_FLAGS, 'sh', '-c', script, process.execPath, file], { encoding: 'utf8', env, timeout: 600_000 });
    console.log(result.stdout);
    assert.equal(result.status, 0, `${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
  });
}
