/**
 * The observer's page, on the dashboard's host (src/dashboard/web-host.ts: security headers, the
 * Host check against DNS rebinding, bounded streams). Loopback by default. The page only reads:
 * it has no action to guard, so it needs no token. Its files are this module's own strings
 * (./watch-page.ts), so `conclave watch` works without the built bundle.
 */
import { SECURITY_HEADERS, WebHost } from '../dashboard/web-host.ts';
import type { ObserverSnapshot } from './observer.ts';
import { WATCH_PAGE_FILES } from './watch-page.ts';

/** The page is sent the whole view this often (cards say "last heard N s ago"). */
const PUSH_EVERY_TICKS = 5;

/** What the page shows: the Observer, or a test's stand-in. */
export interface WatchSource {
  snapshot(): ObserverSnapshot;
  /** Called a few times a second; returns the unsubscribe. */
  onTick(listener: () => void): () => void;
}

export function startWatchServer(observer: WatchSource, listen: { host: string; port: number }): Promise<WebHost> {
  return WebHost.start({
    host: listen.host,
    port: listen.port,
    pages: (request, response, path) => {
      const file = WATCH_PAGE_FILES[path === '/' ? '/watch.html' : path];
      if (file === undefined) return false;
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.contentType, 'cache-control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : file.body);
      return true;
    },
    api: (request, response, path, web) => {
      if (path === '/api/watch/snapshot') {
        response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        response.end(JSON.stringify(observer.snapshot()));
        return true;
      }
      if (path !== '/api/watch/stream') return false;
      web.stream(request, response, observer.snapshot(), (send) => {
        let ticks = 0;
        return observer.onTick(() => {
          if (++ticks % PUSH_EVERY_TICKS === 0) send(observer.snapshot());
        });
      });
      return true;
    },
  });
}
