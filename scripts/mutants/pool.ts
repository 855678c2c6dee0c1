/** Runs `tasks` on `workers`, each worker taking the next task as it finishes one. */
export async function runPool<W, T>(workers: readonly W[], tasks: readonly T[], run: (worker: W, task: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < tasks.length) await run(worker, tasks[next++]!);
    }),
  );
}
