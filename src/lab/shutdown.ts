/**
 * The end of a lab run: every step runs even when one before it failed (a page server that will
 * not close must not keep the nodes running and the namespaces in place), and each failure is
 * reported by name.
 */
export type ShutdownStep = readonly [name: string, run: () => unknown];

/** Runs the steps in order; resolves with the exit status: 0, or 1 when any step failed. */
export async function shutDown(steps: readonly ShutdownStep[], report: (line: string) => void): Promise<number> {
  let status = 0;
  for (const [name, run] of steps) {
    try {
      await run();
    } catch (error) {
      status = 1;
      report(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return status;
}
