/**
 * A test whose tool (Chromium, ZooKeeper, nftables) is missing skips and says why on a
 * developer's machine. In CI it fails instead: a suite that skips its browser, ZooKeeper and
 * network tests would pass there having proved none of what they check.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';

/** The `CI` variable, which CI services set; empty, "0" or "false" count as not set. */
export function inCi(): boolean {
  const value = process.env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * The `skip` option for tests that need what `missing` names (null: it is there). In CI a missing
 * prerequisite also registers a test, where this is called, that fails saying what is missing.
 */
export function skipUnlessCi(missing: string | null): string | false {
  if (missing === null) return false;
  if (inCi()) {
    it(`prerequisite: ${missing}`, () => {
      assert.fail(`${missing}; CI is set, so a missing prerequisite fails the run instead of skipping its tests`);
    });
  }
  return missing;
}
