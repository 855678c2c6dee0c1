/** The virtual clock: a queue of callbacks ordered by real simulated time, then by insertion. */
export class Scheduler {
  nowMs = 0;
  private heap: Array<{ atMs: number; order: number; run: () => void }> = [];
  private order = 0;
  /** Callbacks run so far: the simulator's unit of work. */
  steps = 0;

  at(atMs: number, run: () => void): void {
    const entry = { atMs: Math.max(atMs, this.nowMs), order: this.order++, run };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Runs callbacks in time order until `endMs` (or until `stop` says so). */
  runUntil(endMs: number, stop: () => boolean = () => false): void {
    while (this.heap.length > 0 && this.heap[0]!.atMs <= endMs && !stop()) {
      const entry = this.pop();
      this.nowMs = entry.atMs;
      this.steps++;
      entry.run();
    }
    if (!stop()) this.nowMs = Math.max(this.nowMs, endMs);
  }

  private pop(): { atMs: number; order: number; run: () => void } {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: { atMs: number; order: number }, b: { atMs: number; order: number }): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
}
