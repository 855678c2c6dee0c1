/**
 * The lab's server, from the page: its snapshot stream (Server-Sent Events on the page's own
 * origin, kept connected) and its action endpoint.
 */
import type { LabAction, LabActionResult, LabSnapshot } from '../../lab/messages.ts';
import { openEventStream } from '../lib/event-stream.ts';
import type { ConnectionState } from '../lib/source.ts';
import { parseSnapshot } from './lab-view.ts';

export const STREAM_URL = './api/lab/stream';
export const ACTION_URL = './api/lab/action';

/** Delivers every snapshot and connection change; returns a function that disconnects. */
export function connectLab(onSnapshot: (snapshot: LabSnapshot) => void, onState: (state: ConnectionState) => void): () => void {
  return openEventStream(
    STREAM_URL,
    (data) => {
      // A malformed message is skipped: the next one carries the whole state again.
      const snapshot = parseSnapshot(data);
      if (snapshot !== null) onSnapshot(snapshot);
    },
    onState,
  );
}

/**
 * Sends one action with this run's token (from the address `npm run demo` printed), which only the
 * lab's own page has; a refusal comes back as `{ok: false, error}`.
 */
export async function sendLabAction(action: LabAction, token: string): Promise<LabActionResult> {
  try {
    const response = await fetch(ACTION_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(action),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<LabActionResult>;
    if (response.ok && body.ok !== false) return { ok: true };
    return { ok: false, error: body.error ?? `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: `the lab did not answer (${(error as Error).message})` };
  }
}
