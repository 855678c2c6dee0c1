/**
 * A Server-Sent Events stream that stays connected. EventSource retries a dropped connection by
 * itself, but gives up for good on an HTTP error (503 when too many pages are open, or a server
 * restarting): then this opens a new one, backing off up to 10 s.
 */
/** Where a page's stream to its node stands. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 10_000;

/** Delivers each message's data and every connection change; returns a function that disconnects. */
export function openEventStream(url: string, onData: (data: string) => void, onState: (state: ConnectionState) => void): () => void {
  let stream: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = FIRST_RETRY_MS;
  let stopped = false;
  const open = (): void => {
    onState('connecting');
    stream = new EventSource(url);
    stream.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      onState('open');
    };
    stream.onerror = () => {
      if (stream?.readyState !== EventSource.CLOSED) return onState('connecting');
      onState('closed');
      stream.close();
      if (!stopped) retryTimer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
    stream.onmessage = (event: MessageEvent<string>) => onData(event.data);
  };
  open();
  return () => {
    stopped = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    stream?.close();
  };
}
