/**
 * Which control buttons work right now, and why not when they do not: a disabled button always
 * comes with its reason in words.
 */
import type { ControlAction, ControlResult, ControlsInfo } from '../../dashboard/messages.ts';

export const CONTROLS_OFF_TEXT = 'Controls are off: start the node with --dashboard-controls';

export const CONTROL_LABELS = { resign: 'Resign', pause: 'Pause', resume: 'Resume' } as const satisfies Record<ControlAction, string>;

export const CONTROL_HINTS = {
  resign: 'Give up leadership now; the next node is elected at once.',
  pause: 'Stop sending and receiving, as if the cable were pulled.',
  resume: 'Send and receive again; the node rejoins.',
} as const satisfies Record<ControlAction, string>;

export interface ControlAvailability {
  enabled: boolean;
  /** Why it is disabled, or null when enabled. */
  why: string | null;
}

export interface ControlContext {
  role: string;
  paused: boolean;
  controls: ControlsInfo | null;
  /** An action is on its way: one at a time. */
  busy: boolean;
}

export function controlAvailability(context: ControlContext): Record<ControlAction, ControlAvailability> {
  const common = commonBlocker(context);
  const check = (reason: string | null): ControlAvailability => {
    const why = common ?? reason;
    return { enabled: why === null, why };
  };
  return {
    resign: check(context.role === 'leader' ? null : `Only the coordinator can resign; this node is a ${context.role}.`),
    pause: check(context.paused ? 'Already paused.' : null),
    resume: check(context.paused ? null : 'Not paused.'),
  };
}

function commonBlocker(context: ControlContext): string | null {
  if (context.controls === null) return 'Waiting for the node.';
  if (!context.controls.enabled) return CONTROLS_OFF_TEXT;
  if (context.busy) return 'Sending…';
  return null;
}

export const MISSING_TOKEN_TEXT = 'Enter the control token first (it is printed when the node starts).';

/** The line under the buttons after an action: "Pause: done." / "Resign failed: wrong token". */
export function controlResultText(action: ControlAction, result: ControlResult): string {
  return result.ok ? `${CONTROL_LABELS[action]}: done.` : `${CONTROL_LABELS[action]} failed: ${result.error ?? 'unknown error'}`;
}

/**
 * The control token from a URL fragment "#token=…" (how `conclave run` prints the dashboard's
 * link), or null. Other fragment parameters are ignored.
 */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token === null || token.trim() === '' ? null : token.trim();
}
