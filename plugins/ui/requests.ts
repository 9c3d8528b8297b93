import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UiAssets } from './assets.js';
import { setUiHeaders } from './headers.js';
import type { NavigationRegistry } from './navigation.js';
import { safeSegments, sendText, serveFile } from './static-files.js';

/**
 * The UI's answer to a request no API route matched: versioned assets under `/ui/<build>/`,
 * plugin pages' assets under `/ui/plugins/<id>/`, other `/ui/` files revalidated, and the
 * single-page app's index.html for every other page path. `/api` paths are left to the 404.
 */
export function uiRequestHandler(assets: UiAssets, nav: NavigationRegistry) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname === '/api' || pathname.startsWith('/api/')) return false;
    if (pathname.startsWith('/ui/')) {
      const segments = safeSegments(pathname.slice(4));
      if (segments && (await serveAsset(req, res, assets, nav, segments))) return true;
      sendText(res, 404, 'Not found');
      return true;
    }
    // A path that looks like a file (has an extension) is a missing asset, not a page.
    if (/\.[a-z0-9]+$/i.test(pathname)) {
      sendText(res, 404, 'Not found');
      return true;
    }
    sendIndex(req, res, assets.indexHtml);
    return true;
  };
}

async function serveAsset(
  req: IncomingMessage,
  res: ServerResponse,
  assets: UiAssets,
  nav: NavigationRegistry,
  segments: string[],
): Promise<boolean> {
  const [first, ...rest] = segments;
  if (first === assets.build && rest.length) {
    if (rest[0] === 'js' && rest.length > 1) return serveFile(req, res, assets.clientDir, rest.slice(1), 'immutable');
    return serveFile(req, res, assets.publicDir, rest, 'immutable');
  }
  if (first === 'plugins' && rest.length > 1) {
    const dir = nav.assetsDir(rest[0]!);
    return dir ? serveFile(req, res, dir, rest.slice(1), 'revalidate') : false;
  }
  return serveFile(req, res, assets.publicDir, segments, 'revalidate');
}

function sendIndex(req: IncomingMessage, res: ServerResponse, html: string): void {
  setUiHeaders(res);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(req.method === 'HEAD' ? undefined : html);
}
