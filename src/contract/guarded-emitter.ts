import { EventEmitter } from 'node:events';

/** `event` listeners that never see a `listener-error` line (a stream of other kinds): an error is not told to them. */
export const blindToListenerErrors = new WeakSet<(...args: never[]) => unknown>();

/**
 * The nodes' EventEmitter, whose listeners cannot stop the node. A node emits from inside its own
 * timers and request loops: a listener that throws there would unwind the node's work (no timer
 * set again: no heartbeats, no elections) instead of reaching the code that registered it. So
 * each listener runs on its own: one that throws (or, if async, rejects) does not keep the others
 * from running, and its error is reported once: as a `listener-error` line on `event`, or on stderr when no `event`
 * listener would see that line (or an `event` listener was the one that threw).
 */
export abstract class GuardedEmitter<T extends Record<keyof T, unknown[]>> extends EventEmitter<T> {
  // `any`: the parameters of EventEmitter<T>.emit, whose helper types @types/node does not export.
  override emit<K>(eventName: K | keyof T, ...args: any[]): boolean {
    const listeners = (this as EventEmitter).rawListeners(eventName as string | symbol) as Array<(...args: unknown[]) => unknown>;
    for (const listener of listeners) {
      try {
        const result = listener.apply(this, args);
        // An async listener fails later, as a rejected promise: unhandled, Node would end the process.
        if (result instanceof Promise) result.catch((error: unknown) => this.listenerFailed(String(eventName), error));
      } catch (error) {
        this.listenerFailed(String(eventName), error);
      }
    }
    return listeners.length > 0;
  }

  /** Emits the `listener-error` line: `listenerOf` the event, and the error's message. */
  protected abstract emitListenerError(listenerOf: string, error: string): void;

  private listenerFailed(event: string, error: unknown): void {
    const told = (this as EventEmitter).listeners('event').some((listener) => !blindToListenerErrors.has(listener as (...args: never[]) => unknown));
    if (event !== 'event' && told) {
      this.emitListenerError(event, error instanceof Error ? error.message : String(error));
    } else {
      console.error(`conclave: a listener of "${event}" threw:`, error);
    }
  }
}
