/** The built bundle's files, for both hosts: the HTTP server and Electron's app protocol. */
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBundleFile } from './bundle-file.ts';

/** From src/dashboard and from dist/dashboard alike, the bundle is in dist/ui. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

/** The policy both hosts send with every file: nothing but the bundle's own files and its stream. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export type UiFile =
  | { found: true; body: Buffer; contentType: string; immutable: boolean }
  | { found: false; status: 400 | 404 | 503; error: string };

/** Reads a URL path's file from the bundle; never anything outside it, nor of an unknown type. */
export async function readUiFile(uiDir: string, urlPath: string): Promise<UiFile> {
  const path = urlPath === '/' ? '/index.html' : urlPath;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { found: false, status: 400, error: 'malformed path' };
  }
  const root = uiDir.endsWith(sep) ? uiDir : uiDir + sep;
  const file = normalize(join(root, decoded));
  const contentType = MIME_TYPES[extname(file)];
  if (!file.startsWith(root) || contentType === undefined) return { found: false, status: 404, error: 'not found' };
  try {
    // Vite names assets by content hash, so they never change; the page itself must be re-read.
    return { found: true, body: await readBundleFile(file), contentType, immutable: path.startsWith('/assets/') };
  } catch {
    if (path === '/index.html') return { found: false, status: 503, error: 'the dashboard bundle is not built: run npm run build' };
    return { found: false, status: 404, error: 'not found' };
  }
}
