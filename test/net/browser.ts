/**
 * Debian's Chromium under Playwright, run inside a lab's observer namespace so it reaches the
 * nodes' dashboards on the lab's own network. Never downloads a browser.
 */
import { accessSync, chmodSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a closed network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Why Chromium cannot run here, or null when it can (callers skip, or fail in CI: skipUnlessCi). */
export function chromiumMissing(): string | null {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return null;
  } catch {
    return `${CHROMIUM} is missing or not executable (apt-get install -y chromium)`;
  }
}

/** Launches Chromium in `ns` (through `ip netns exec`, which keeps the PID Playwright started). */
export async function launchIn(ns: string | null, dir: string): Promise<Browser> {
  let executablePath = CHROMIUM;
  if (ns !== null) {
    executablePath = join(dir, 'chromium-in-netns.sh');
    writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Collects what would mean the page is broken: console errors (CSP violations among them) and
 * uncaught exceptions; except those a test provokes on purpose, matched by `expected`.
 */
export function watchForErrors(page: Page, expected: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.some((pattern) => pattern.test(message.text()))) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return errors;
}
