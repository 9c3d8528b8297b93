import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { setUiHeaders } from './headers.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/vnd.microsoft.icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content type by file extension; unknown types are served as opaque bytes. */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** How long browsers may keep a file: `immutable` for versioned URLs, `revalidate` otherwise. */
export type CachePolicy = 'immutable' | 'revalidate';

/**
 * Split a URL path tail into safe segments: decoded once, no empty, `.`/`..`, dot-file, NUL or
 * backslash segments. Returns null for anything else (the caller answers 404).
 */
export function safeSegments(tail: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(tail);
  } catch {
    return null;
  }
  const parts = decoded.split('/');
  if (parts.some((p) => !p || p.startsWith('.') || /[\0\\]/.test(p))) return null;
  return parts;
}

/** Resolve segments under root, following links only when the real target stays inside root. */
async function resolveInside(root: string, segments: string[]): Promise<string | null> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(path.join(realRoot, ...segments));
    return real.startsWith(realRoot + path.sep) ? real : null;
  } catch {
    return null;
  }
}

/**
 * Serve one regular file from `root` (GET or HEAD) with its content type, an ETag, the cache
 * policy and the UI's security headers. Returns false when there is no such file.
 */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  segments: string[],
  cache: CachePolicy,
): Promise<boolean> {
  const file = await resolveInside(root, segments);
  if (!file) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  setUiHeaders(res);
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('Cache-Control', cache === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', info.mtime.toUTCString());
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', info.size);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}

/** A small text answer (404 for a missing asset) with the UI's headers. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  setUiHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
