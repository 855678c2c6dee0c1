/**
 * Where the dashboard's messages come from: Electron's preload bridge when the page runs in the
 * desktop window, otherwise the node's Server-Sent Events stream on the page's own origin.
 */
import type { ControlAction, ControlResult, DashboardMessage, NumberedMessage } from '../../dashboard/messages.ts';
import { openEventStream, type ConnectionState } from './event-stream.ts';

export type { ConnectionState };

export interface DashboardSource {
  /** Where the data comes from, for the page's footer. */
  readonly kind: 'electron' | 'browser';
  /** Delivers every message; returns a function that disconnects. */
  connect(onMessage: (message: DashboardMessage) => void, onState: (state: ConnectionState) => void): () => void;
  control(action: ControlAction, token: string | null): Promise<ControlResult>;
}

/** What electron/preload.ts exposes on `window.conclave`: one method per IPC channel. */
export interface ConclaveBridge {
  hello(): Promise<NumberedMessage>;
  onMessage(listener: (message: NumberedMessage) => void): () => void;
  control(action: ControlAction): Promise<ControlResult>;
}

declare global {
  interface Window {
    conclave?: ConclaveBridge;
  }
}

export function chooseSource(): DashboardSource {
  const bridge = window.conclave;
  return bridge === undefined ? browserSource() : electronSource(bridge);
}

function electronSource(bridge: ConclaveBridge): DashboardSource {
  return {
    kind: 'electron',
    connect(onMessage, onState) {
      onState('connecting');
      let stopped = false;
      // Subscribe first so nothing between the hello and the stream is lost. What arrives before
      // the hello waits for it; then only what the hello does not already hold goes on (shown
      // again, an event would stand twice in the timeline).
      const early: NumberedMessage[] = [];
      let helloSeq: number | null = null;
      const unsubscribe = bridge.onMessage((message) => {
        if (helloSeq === null) early.push(message);
        else if (message.seq > helloSeq) onMessage(message);
      });
      bridge
        .hello()
        .then((hello) => {
          if (stopped) return;
          onMessage(hello);
          helloSeq = hello.seq;
          for (const message of early) if (message.seq > hello.seq) onMessage(message);
          early.length = 0;
          onState('open');
        })
        .catch(() => onState('closed'));
      return () => {
        stopped = true;
        unsubscribe();
      };
    },
    control: (action) => bridge.control(action),
  };
}

function browserSource(): DashboardSource {
  return {
    kind: 'browser',
    connect(onMessage, onState) {
      // Every (re)connection starts with a fresh hello, sent in the same turn as the node
      // subscribes the stream (server.ts): nothing it holds comes again after it.
      return openEventStream('./api/stream', (data) => {
        try {
          onMessage(JSON.parse(data) as DashboardMessage);
        } catch {
          // A malformed message is skipped; the next snapshot carries the whole state again.
        }
      }, onState);
    },
    async control(action, token) {
      try {
        const response = await fetch(`./api/control/${action}`, {
          method: 'POST',
          headers: token === null ? {} : { authorization: `Bearer ${token}` },
        });
        const body = (await response.json().catch(() => ({}))) as Partial<ControlResult>;
        return response.ok ? { ok: true } : { ok: false, error: body.error ?? `HTTP ${response.status}` };
      } catch (error) {
        return { ok: false, error: `the node did not answer (${(error as Error).message})` };
      }
    },
  };
}
