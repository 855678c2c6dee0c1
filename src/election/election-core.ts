/**
 * The one shape of both election cores (etcd raft's RawNode): inputs in, a Ready out, nothing
 * else. A driver (../runtime/driver.ts, ../zookeeper/zk-driver.ts) feeds `step` and `tick` with
 * its clock's time, then carries out `ready()` in order and calls `advance()`; it sets one timer
 * for `wakeAtMs()`. The cores' transitions and test seams stay behind this interface.
 */
export interface ElectionCore<Input, Output, View, Status> {
  /**
   * Whether `step` would take `input` at all: a driver may count what is refused before queueing
   * it. A core that refuses nothing says true.
   */
  accepts(input: Input): boolean;
  /** Takes one input (a message, a reply, a command); what is due by `nowMs` runs first. */
  step(input: Input, nowMs: number): void;
  /** Advances the clock to `nowMs`: fires what is due. Time never goes back; an earlier one changes nothing. */
  tick(nowMs: number): void;
  /** What the inputs since the last `advance()` asked for, in the order to carry it out; null: nothing. */
  ready(): Output | null;
  /** The last `ready()` was carried out: the next one holds only what came after. */
  advance(): void;
  /** When `tick` has something to do next (local time), or null: never again (stopped). */
  wakeAtMs(): number | null;
  /** True while this node may act as leader at `nowMs`. */
  hasLease(nowMs: number): boolean;
  /** What an observer may know cheaply at `nowMs`: read after every input (event lines, checkers). */
  view(nowMs: number): View;
  /** Everything a status page shows at `nowMs`, in the core's own terms. */
  status(nowMs: number): Status;
}
