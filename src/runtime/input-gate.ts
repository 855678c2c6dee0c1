/**
 * Where a LAN node's inputs pass on their way in: its timers firing and the datagrams arriving.
 * A running node's gate lets each through at once. conclave/testing holds them for a while, so
 * that one node among several in one process looks stalled (a GC pause, a SIGSTOP) while the
 * others run: its inputs arrive late, in order, and its stall detector sees the late timer.
 * Not part of the package's API: the testing kit hands it over under a symbol in the options
 * (`withGate`), which no option type declares, so `ConclaveNode.start` keeps one parameter.
 */
export interface InputGate {
  /** Runs `input` now, or later (but in order with the other inputs). */
  pass(input: () => void): void;
}

export const OPEN_GATE: InputGate = { pass: (input) => input() };

const GATE = Symbol('conclave.inputGate');

/** `options` with `gate` attached, for `ConclaveNode.start` (conclave/testing only). */
export function withGate<O extends object>(options: O, gate: InputGate): O {
  return Object.assign({ ...options }, { [GATE]: gate });
}

/** The gate attached to `options`, or the open one. */
export function gateOf(options: object): InputGate {
  return (options as { [GATE]?: InputGate })[GATE] ?? OPEN_GATE;
}

/** A timer whose firing passes the gate; cancelling it also stops a firing the gate holds. */
export function gatedTimer(gate: InputGate, schedule: (fire: () => void) => () => void, fire: () => void): () => void {
  let live = true;
  const cancel = schedule(() => gate.pass(() => live && fire()));
  return () => {
    live = false;
    cancel();
  };
}
